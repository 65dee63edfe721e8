"""Property-based tests of the PO layer and the merge (hypothesis).

* parse → dump → parse is the identity for arbitrary entries (Unicode, escapes,
  plurals, contexts, previous fields, obsolete entries), and dump is byte-stable;
* a merge against any template never loses a translation: every msgstr of the old
  catalog is still in the merged one (active, fuzzy or obsolete).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locflow.catalog import pofile
from locflow.catalog.merge import merge
from locflow.model import Segment

HEADER = {
    "Project-Id-Version": "prop",
    "Language": "es",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}

# Any Unicode scalar value except surrogates, which UTF-8 cannot encode; control
# characters and the escapes gettext knows (\n \t \" \\ \a …) included.
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
nonempty = text.filter(bool)
comment = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"),
                  max_size=20)
flag = st.sampled_from(["fuzzy", "python-format", "c-format", "no-wrap", "brace-format"])


@st.composite
def entries(draw: Any) -> dict[str, Any]:
    plural = draw(st.booleans())
    fields: dict[str, Any] = {
        "msgid": draw(nonempty),
        "msgctxt": draw(st.none() | text),
        "tcomment": draw(st.none() | comment),
        "comment": draw(st.none() | comment),
        "flags": sorted(set(draw(st.lists(flag, max_size=3)))),
        "obsolete": draw(st.booleans()),
    }
    if plural:
        fields["msgid_plural"] = draw(nonempty)
        fields["msgstr_plural"] = {0: draw(text), 1: draw(text)}
    else:
        fields["msgstr"] = draw(text)
    if draw(st.booleans()):
        fields["previous_msgid"] = draw(nonempty)
        fields["previous_msgctxt"] = draw(st.none() | nonempty)
    return fields


def view(entry: pofile.Entry) -> tuple[Any, ...]:
    return (entry.msgid, entry.msgstr, entry.msgid_plural, dict(entry.msgstr_plural),
            entry.msgctxt, entry.tcomment or None, entry.comment or None, sorted(entry.flags),
            entry.previous_msgid, entry.previous_msgctxt, bool(entry.obsolete))


def unique(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """gettext keys (msgctxt, msgid) are unique among active and among obsolete entries."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for spec in specs:
        key = (spec["obsolete"], spec["msgctxt"], spec["msgid"])
        if key not in seen:
            seen.add(key)
            out.append(spec)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entries(), max_size=8).map(unique))
def test_parse_dump_round_trip(specs: list[dict[str, Any]]) -> None:
    catalog = pofile.new_catalog(HEADER)
    for spec in specs:
        catalog.entries.append(pofile.Entry(**spec))
    # Obsolete entries come last in every file gettext writes.
    catalog.entries.sort(key=lambda e: bool(e.obsolete))
    data = pofile.dump(catalog)
    again = pofile.parse(data, "prop.po")
    assert [view(e) for e in again.entries] == [view(e) for e in catalog.entries]
    assert again.metadata() == HEADER
    assert pofile.dump(again) == data  # unchanged entries keep their bytes


paragraph = st.text(st.sampled_from("abcdefgh ,.7"), min_size=1, max_size=30).map(str.strip)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(paragraph.filter(bool), nonempty), max_size=8,
             unique_by=lambda pair: pair[0]),
    st.lists(paragraph.filter(bool), max_size=8, unique=True),
    st.floats(min_value=0.0, max_value=1.0),
)
def test_merge_never_loses_a_translation(
    old: list[tuple[str, str]], new: list[str], threshold: float
) -> None:
    catalog = pofile.new_catalog(HEADER)
    for msgid, msgstr in old:
        catalog.entries.append(pofile.Entry(msgid=msgid, msgstr=msgstr))
    template = [Segment(msgid=m, context=None, kind="paragraph") for m in new]
    merge(catalog, template, threshold=threshold)
    merged = pofile.parse(pofile.dump(catalog), "merged.po")
    kept = {e.msgstr for e in merged.entries}
    assert {msgstr for _, msgstr in old} <= kept
    # every template text is an active entry, once, in template order
    assert [e.msgid for e in merged.active()] == new
    # a translation carried to a different source is never unflagged
    for entry in merged.active():
        if entry.msgstr and entry.msgid not in dict(old):
            assert "fuzzy" in entry.flags
