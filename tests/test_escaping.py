"""Untrusted text shown safely: the one escaping rule for terminals and reports."""

from __future__ import annotations

import json

from locflow.cli._text import printable
from locflow.escaping import json_text, visible


def test_terminal_controls_nul_and_bidi_overrides_are_visible_escapes() -> None:
    # ESC recolours a terminal; U+202E shows "evil" text reversed (Trojan Source)
    hostile = "a\x1b[31m\x00b\u202eevil\u2066c\x9bd"
    shown = visible(hostile)
    assert shown == "a\\x1b[31m\\x00b\\u202eevil\\u2066c\\x9bd"
    assert printable(hostile) == shown


def test_ordinary_text_of_every_language_is_untouched() -> None:
    for text in ("El consejo votó 7-2.", "理事会以7比2投票。", "¿Qué? ¡Sí!", "tab\there"):
        assert visible(text) == text


def test_json_keeps_the_exact_text_as_escapes() -> None:
    text = "x\x1b\u202e\u2028y"
    out = json_text({"t": text})
    assert "\x1b" not in out and "\u2028" not in out and "\u202e" not in out
    assert json.loads(out) == {"t": text}
