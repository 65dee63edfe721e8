// locflow review desk: keyboard shortcuts and small conveniences.
// Every action is a plain HTML form; this file only makes the common path faster.
//
// A key acts on the entry that holds focus (Tab to a button of an entry, click in it, or
// j / k); when focus is on no entry, on the selected one, and `a` then first brings it
// into view if it is not. Keys are shortcuts only outside text fields, can be turned off
// (remembered in this browser), and a key that cannot apply says why in a live region.
(function () {
  "use strict";

  var STORE = "locflow-desk-shortcuts";
  var entries = Array.prototype.slice.call(document.querySelectorAll(".entry"));
  var current = -1;
  var status = document.getElementById("key-status");
  var toggle = document.getElementById("shortcuts-on");
  var timer = 0;

  function say(text) {
    if (!status) { return; }
    window.clearTimeout(timer);
    status.textContent = text;
    if (text) { timer = window.setTimeout(function () { status.textContent = ""; }, 8000); }
  }

  // -- the switch ------------------------------------------------------------------------
  function remembered() {
    try { return window.localStorage.getItem(STORE) !== "off"; } catch (e) { return true; }
  }

  function shortcutsOn() { return !toggle || toggle.checked; }

  var keys = document.getElementById("keys");
  if (keys && toggle) {
    toggle.checked = remembered();
    keys.classList.toggle("off", !toggle.checked);
    keys.hidden = false;
    toggle.addEventListener("change", function () {
      try { window.localStorage.setItem(STORE, toggle.checked ? "on" : "off"); } catch (e) { /* private mode */ }
      keys.classList.toggle("off", !toggle.checked);
      say(toggle.checked ? "Keyboard shortcuts are on." : "Keyboard shortcuts are off.");
    });
  }

  // -- entries -----------------------------------------------------------------------------
  function number(entry) { return entries.indexOf(entry) + 1; }

  function stateOf(entry) {
    var badge = entry.querySelector(".tgt .badge");
    return badge ? badge.textContent.trim().toLowerCase() : "";
  }

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

  function inView(entry) {
    var box = entry.getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    return (box.top >= 0 && box.top < height - 40) || (box.top < 0 && box.bottom > height / 2);
  }

  // The entry holding focus, if any.
  function focusedEntry() {
    var active = document.activeElement;
    return active && active.closest ? active.closest(".entry") : null;
  }

  function noName() { return document.querySelector(".ask-name") !== null; }

  function approve(entry) {
    var button = entry.querySelector(".approve-form button");
    var n = number(entry);
    if (!button) {
      say("Nothing to approve here: entry " + n + " has no approve button.");
    } else if (!button.disabled) {
      say("Approving entry " + n + "…");
      button.form.requestSubmit();
    } else if (noName()) {
      say("Nothing approved: tell the desk your name first (at the top of the page).");
    } else {
      say("Nothing to approve here: entry " + n + " is " + stateOf(entry) + ", not awaiting review.");
    }
  }

  function open(kind, entry) {
    var box = entry.querySelector("details." + kind + "-box");
    if (!box) { say("Nothing to " + kind + " here."); return; }
    var summary = box.querySelector("summary");
    if (summary.classList.contains("disabled")) {
      say(noName() ? "Nothing to " + kind + " yet: tell the desk your name first (at the top of the page)."
        : "Nothing to " + kind + " here: entry " + number(entry) + " is " + stateOf(entry) + ".");
      return;
    }
    entries.forEach(function (other) {
      other.querySelectorAll("details[open]").forEach(function (d) { if (d !== box) { d.open = false; } });
    });
    box.open = true;
    var field = box.querySelector("textarea");
    if (field) {
      field.focus();
      field.setSelectionRange(field.value.length, field.value.length);
    }
  }

  // What a, r, e act on: the focused entry; else the selected one, brought into view first
  // (for `a`, which writes at once, the editor sees it and presses again).
  function target(key) {
    var entry = focusedEntry();
    if (entry) { return entry; }
    if (current < 0) {
      say("No entry selected: press j to go to the first one, or Tab to an entry's buttons.");
      return null;
    }
    entry = entries[current];
    if (key === "a" && !inView(entry)) {
      select(current, true);
      say("Entry " + number(entry) + " is selected: press a again to approve it.");
      return null;
    }
    select(current, true);
    return entry;
  }

  // A reject or edit box opened with the mouse closes the other one.
  document.querySelectorAll(".actions details").forEach(function (box) {
    box.addEventListener("toggle", function () {
      if (!box.open) { return; }
      var summary = box.querySelector("summary");
      var entry = box.closest(".entry");
      if (summary.classList.contains("disabled")) {
        box.open = false;
        say(noName() ? "Tell the desk your name first (at the top of the page)."
          : "Nothing to reject here: entry " + number(entry) + " is " + stateOf(entry) + ".");
        return;
      }
      box.parentNode.querySelectorAll("details[open]").forEach(function (d) { if (d !== box) { d.open = false; } });
      select(entries.indexOf(entry), false);
      var field = box.querySelector("textarea");
      if (field) { field.focus(); }
    });
  });

  // The selection follows focus: the highlighted entry is the one keys act on.
  document.addEventListener("focusin", function (event) {
    var entry = event.target.closest ? event.target.closest(".entry") : null;
    var index = entry ? entries.indexOf(entry) : -1;
    if (index >= 0 && index !== current) { select(index, false); }
  });

  entries.forEach(function (entry, index) {
    entry.addEventListener("click", function () { if (current !== index) { select(index, false); } });
  });

  if (entries.length) {
    var anchored = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    var at = anchored ? entries.indexOf(anchored) : -1;
    if (at >= 0) { select(at, true); }
  }

  function isTextField(element) {
    var field = element && element.closest ? element.closest("input, textarea, select, [contenteditable]") : null;
    if (!field) { return false; }
    if (field.tagName === "INPUT") {
      return !/^(checkbox|radio|button|submit|reset|range|color|file|image)$/i.test(field.type);
    }
    return true;
  }

  function closeAll() {
    entries.forEach(function (entry) {
      entry.querySelectorAll("details[open]").forEach(function (d) { d.open = false; });
    });
  }

  function onTextField(event) {
    var field = event.target;
    if (event.key === "Escape") {
      var box = field.closest("details");
      if (box) { box.open = false; }
      field.blur();
      if (current >= 0) { entries[current].focus({ preventScroll: true }); }
      event.preventDefault();
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && field.form) {
      field.form.requestSubmit();
      event.preventDefault();
    }
  }

  function move(step) {
    var next = current < 0 ? 0 : current + step;
    if (next < 0 || next >= entries.length) {
      say(step > 0 ? "This is the last entry." : "This is the first entry.");
      select(current, true);
      return;
    }
    select(next, true);
  }

  document.addEventListener("keydown", function (event) {
    if (isTextField(event.target)) { onTextField(event); return; }
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || !entries.length) { return; }
    if (event.key === "Escape") { closeAll(); return; }
    if (!shortcutsOn()) { return; }
    var entry;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a":
        entry = target("a");
        if (entry) { approve(entry); }
        break;
      case "r":
      case "e":
        entry = target(event.key);
        if (entry) { open(event.key === "r" ? "reject" : "edit", entry); }
        break;
      default: return;
    }
    event.preventDefault();
  });
})();
