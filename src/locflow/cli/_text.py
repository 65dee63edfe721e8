"""Words for numbers in messages: "1 warning", "2 warnings", never "1 warning(s)"."""

from __future__ import annotations


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` with the noun in the right number.

    >>> count(1, "warning"), count(2, "entry", "entries"), count(0, "file")
    ('1 warning', '2 entries', '0 files')
    """
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def printable(text: str) -> str:
    """*text* with control characters escaped, for a terminal (translator text is untrusted).

    The same escapes as every report format (:func:`locflow.escaping.visible`).

    >>> printable("8 in\\x1b[2J the translation")
    '8 in\\\\x1b[2J the translation'
    """
    from ..escaping import visible

    return visible(text, keep="")


def describe_overrides(stats: object) -> str:
    """What a sync did to a derived locale's catalog of overrides, in words."""
    from ..derived import OverrideStats

    assert isinstance(stats, OverrideStats)
    parts = [f"{n} {label}" for n, label in (
        (stats.kept, "kept"), (stats.stale, "stale: the conversion changed, now fuzzy"),
        (stats.dropped, "dropped: same as the conversion"), (stats.obsolete, "obsolete"))
        if n]
    return ", ".join(parts) or "no overrides"
