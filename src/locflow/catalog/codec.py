"""PO charsets: the one a file's header declares, and the Python codec that reads and writes it.

Shared by :mod:`.reader` (which sniffs the charset from the raw bytes before decoding) and
:mod:`.writer` (which encodes in the header's charset). Only the charsets gettext calls
portable are accepted; the POT placeholder ``CHARSET`` means UTF-8.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import re
from pathlib import Path

from ..errors import CatalogError, excerpt
from .entry import Entry

# the header's Content-Type line, also when the header's msgstr is written on one line,
# its lines are indented or the field name is not capitalized (gettext accepts all three)
_CHARSET_SNIFF_RE = re.compile(
    rb'^[ \t]*(?:#~[ \t]*)?(?:msgstr[ \t]+)?"(?i:content-type):[^"\n]*?charset=([^\\"\s;]+)',
    re.M,
)
_CHARSET_RE = re.compile(r"charset=([^\s;]+)")

# The charsets gettext calls portable (gettext-tools/src/po-charset.c), as far as Python
# has codecs for them. Anything else (rot13, base64, zlib, utf-16, ...) is refused: some
# are not text encodings at all, some are not ASCII-compatible, none is a PO charset.
_PORTABLE_CHARSETS = (
    "UTF-8", "ASCII", "ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5",
    "ISO-8859-6", "ISO-8859-7", "ISO-8859-8", "ISO-8859-9", "ISO-8859-13", "ISO-8859-14",
    "ISO-8859-15", "KOI8-R", "KOI8-U", "KOI8-T", "CP850", "CP866", "CP874", "CP932", "CP949",
    "CP950", "CP1250", "CP1251", "CP1252", "CP1253", "CP1254", "CP1255", "CP1256", "CP1257",
    "CP1258", "GB2312", "EUC-JP", "EUC-KR", "BIG5", "BIG5-HKSCS", "GBK", "GB18030",
    "SHIFT_JIS", "JOHAB", "TIS-620",
)


@functools.lru_cache(maxsize=1)
def _portable_codecs() -> frozenset[str]:
    names = set()
    for charset in _PORTABLE_CHARSETS:
        with contextlib.suppress(LookupError):
            names.add(codecs.lookup(charset).name)
    return frozenset(names)


def python_codec(charset: str, path: str | Path | None, line: int | None) -> str:
    """The Python codec for a PO charset name; the POT placeholder CHARSET means UTF-8.

    An unknown or non-portable charset is a :class:`CatalogError` at *path*:*line*.
    """
    # UTF-8 (nearly every file) is portable: known without importing the codec of every
    # portable charset to build the set (a hundredth of a second per process)
    if charset.upper() in ("CHARSET", "UTF-8"):
        return "utf-8"
    try:
        name = codecs.lookup(charset).name
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        raise CatalogError(f"unknown charset {excerpt(charset)}", path=path, line=line) from None
    if name not in _portable_codecs():
        raise CatalogError(f"unsupported charset {excerpt(charset)} (use UTF-8)",
                           path=path, line=line)
    return name


def sniff_charset(data: bytes) -> tuple[str, int] | None:
    """The charset a Content-Type line of undecoded PO *data* names, and that line's number.

    A guess made before parsing (the line may not be the header's): the reader checks it
    against :func:`header_charset` of what it parsed.
    """
    m = _CHARSET_SNIFF_RE.search(data)
    if m is None:
        return None
    return m.group(1).decode("ascii", "replace"), data.count(b"\n", 0, m.start()) + 1


def header_charset(header: Entry | None) -> str | None:
    """The charset named in the Content-Type field of *header*'s msgstr, if any."""
    if header is None:
        return None
    for line in header.msgstr.split("\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-type":
            m = _CHARSET_RE.search(value)
            return m.group(1) if m else None
    return None
