"""URLs and e-mail addresses written in text: what the ``urls`` check compares (pure).

Shared by the structural reading of an entry (:mod:`.structure`, which finds them in
a reader's prose and in link targets) and the pattern checks of :mod:`.content`
(which leave them out of the prose they measure).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

__all__ = ["EMAIL_RE", "URL_RE", "is_address", "strip_trailing_punct", "urls_in"]

URL_RE = re.compile(
    r"\b(?:https?|ftp)://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
    r"|\bwww\.[A-Za-z0-9\-]+\.[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
)
# Linear on any text (issue 7): a match can only start where a run of its characters
# starts (the look-behind), so a failed attempt is never repeated inside the same run.
EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)


def strip_trailing_punct(url: str) -> str:
    """Drop sentence punctuation glued to a URL ("see http://x.org/." → http://x.org/).

    >>> strip_trailing_punct("https://en.wikipedia.org/wiki/Foo_(bar)).")
    'https://en.wikipedia.org/wiki/Foo_(bar)'
    """
    url = url.rstrip(".,;:!?'\"")
    # counted once and cut once: a loop of url[:-1] is quadratic on "http://x))))…"
    surplus = url.count(")") - url.count("(")
    end = len(url)
    while surplus > 0 and end and url[end - 1] == ")":
        end -= 1
        surplus -= 1
    return url[:end]


@lru_cache(maxsize=4096)
def urls_in(text: str) -> list[str]:
    """The URLs of *text*, then its e-mail addresses that are not part of a URL.

    Memoized: callers treat the list as read-only.
    """
    if "://" not in text and "www." not in text and "@" not in text:
        return []
    found: list[str] = []
    spans: list[tuple[int, int]] = []  # where each URL is, in order
    for m in URL_RE.finditer(text):
        url = strip_trailing_punct(m.group())
        found.append(url)
        spans.append((m.start(), m.start() + len(url)))
    starts = [start for start, _ in spans]
    for m in EMAIL_RE.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i < 0 or m.end() > spans[i][1]:
            found.append(m.group())
    return found


def is_address(target: str) -> bool:
    """True when *target* is one URL or e-mail address, which the urls check covers.

    >>> is_address("https://x.org/docs"), is_address("intro.html")
    (True, False)
    """
    return urls_in(target) == [target.strip()]
