"""Untrusted text made safe to show: control characters as visible escapes (pure).

Catalogs come from anyone with write access to the repository, and their text
reaches terminals, CI logs and XML reports. A raw ESC can recolour or rewrite a
terminal, a NUL makes a JUnit report invalid XML (issue 7), a lone surrogate
cannot be written as UTF-8 at all. Every output format therefore passes
translator-supplied text (msgids, msgstrs, messages quoting them, file names)
through :func:`visible` or :func:`json_text`.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["json_safe", "json_text", "visible"]

# C0 controls, DEL, C1 controls (U+009B is a one-character CSI), lone surrogates,
# the non-characters XML forbids, the line/paragraph separators some terminals
# and JavaScript treat as line breaks, and the bidirectional embeddings, overrides
# and isolates that make a terminal show text in another order than it is
# ("Trojan Source").
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep: str = "\t") -> str:
    r"""*text* with every control character except those in *keep* written as an escape.

    >>> visible("a\x1b[31mred\x00")
    'a\\x1b[31mred\\x00'
    >>> visible("one\ntwo\r"), visible("one\ntwo", keep="\n")
    ('one\\ntwo\\r', 'one\ntwo')
    """
    if not _UNSAFE.search(text):
        return text
    if not keep:
        return _UNSAFE.sub(_escape, text)
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(data: Any, indent: int | None = 2) -> str:
    r"""JSON of *data*, readable (non-ASCII kept) yet safe for terminals and UTF-8.

    ``json.dumps`` already escapes C0 controls; DEL, C1 controls, lone surrogates and
    U+2028/U+2029 are written as ``\uXXXX`` too. They can only occur inside strings,
    so the result is the same JSON value.

    >>> json_text({"msgid": "\x1b[2J\x9b\ud800ok"}, indent=None)
    '{"msgid": "\\u001b[2J\\u009b\\ud800ok"}'
    """
    return json_safe(json.dumps(data, ensure_ascii=False, indent=indent))


def json_safe(dumped: str) -> str:
    """JSON text (``json.dumps(..., ensure_ascii=False)``) with what :func:`json_text`
    escapes beyond it escaped too."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
