// locflow review desk: keyboard shortcuts and small conveniences.
// Every action is a plain HTML form; this file only makes the common path faster.
(function () {
  "use strict";

  // Dashboard: filters apply as soon as they change.
  document.querySelectorAll("select.autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });

  var entries = Array.prototype.slice.call(document.querySelectorAll(".entry"));
  var current = -1;

  function select(index, scroll) {
    if (!entries.length) { return; }
    index = Math.max(0, Math.min(entries.length - 1, index));
    if (current >= 0 && entries[current]) { entries[current].classList.remove("current"); }
    current = index;
    var entry = entries[current];
    entry.classList.add("current");
    if (scroll) {
      entry.scrollIntoView({ block: "center" });
      entry.focus({ preventScroll: true });
      history.replaceState(null, "", "#" + entry.id);
    }
  }

  function open(kind) {
    if (current < 0) { select(0, true); }
    var box = entries[current].querySelector("details." + kind + "-box");
    if (!box) { return; }
    var summary = box.querySelector("summary");
    if (summary.classList.contains("disabled")) { return; }
    entries.forEach(function (entry) {
      entry.querySelectorAll("details[open]").forEach(function (d) { if (d !== box) { d.open = false; } });
    });
    box.open = true;
    var field = box.querySelector("textarea");
    if (field) {
      field.focus();
      field.setSelectionRange(field.value.length, field.value.length);
    }
  }

  // A reject or edit box opened with the mouse closes the other one.
  document.querySelectorAll(".actions details").forEach(function (box) {
    box.addEventListener("toggle", function () {
      if (!box.open) { return; }
      var summary = box.querySelector("summary");
      if (summary.classList.contains("disabled")) { box.open = false; return; }
      box.parentNode.querySelectorAll("details[open]").forEach(function (d) { if (d !== box) { d.open = false; } });
      var entry = box.closest(".entry");
      select(entries.indexOf(entry), false);
      var field = box.querySelector("textarea");
      if (field) { field.focus(); }
    });
  });

  entries.forEach(function (entry, index) {
    entry.addEventListener("click", function () { if (current !== index) { select(index, false); } });
  });

  if (entries.length) {
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    var at = target ? entries.indexOf(target) : -1;
    if (at >= 0) { select(at, true); }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target.closest && target.closest("input, textarea, select, [contenteditable]");
    if (typing) {
      if (event.key === "Escape") {
        var box = target.closest("details");
        if (box) { box.open = false; }
        target.blur();
        if (current >= 0) { entries[current].focus({ preventScroll: true }); }
        event.preventDefault();
      } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && target.form) {
        target.form.requestSubmit();
        event.preventDefault();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || !entries.length) { return; }
    switch (event.key) {
      case "j": select(current + 1, true); break;
      case "k": select(current < 0 ? 0 : current - 1, true); break;
      case "a": {
        if (current < 0) { return; }
        var button = entries[current].querySelector(".approve-form button");
        if (button && !button.disabled) { button.form.requestSubmit(); }
        break;
      }
      case "r": open("reject"); break;
      case "e": open("edit"); break;
      case "Escape":
        entries.forEach(function (entry) {
          entry.querySelectorAll("details[open]").forEach(function (d) { d.open = false; });
        });
        break;
      default: return;
    }
    event.preventDefault();
  });
})();
