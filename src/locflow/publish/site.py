"""Site-wide pieces of a build: the output's layout, URLs, JSON, locale helpers and
archives (pure).

Everything here returns bytes or plain data and is deterministic: no clock,
sorted JSON keys, stable ordering, fixed archive timestamps.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xml.etree import ElementTree

#: The output folder's own files (relative to it), beside ``<lang>/`` of each locale.
MANIFEST = "manifest.json"
SITEMAP = "sitemap.xml"
NEWS_SITEMAP = "sitemap-news.xml"
ROBOTS = "robots.txt"
ARCHIVES = "archives"
#: The files of one bundle, in ``<lang>/<slug>/``.
BUNDLE_FILES = ("index.html", "article.json")
#: Each locale's feeds, in ``<lang>/``: RSS 2.0 and Atom 1.0.
RSS_FEED = "feed.xml"
ATOM_FEED = "atom.xml"

#: The fixed timestamp of every archive member (the earliest a zip can hold).
ARCHIVE_DATE = (1980, 1, 1, 0, 0, 0)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dump_json(data: Any) -> bytes:
    """Deterministic JSON: sorted keys, UTF-8 (not \\u escapes), two-space indent, final newline."""
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def dump_manifest(data: Mapping[str, Any]) -> bytes:
    """The manifest's JSON: sorted keys, one line per top-level list item or mapping entry.

    Equal to :func:`dump_json` once parsed, but written by the C encoder (``indent``
    forces the slow pure-Python one) and still diffable line by line.
    """
    def compact(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))

    lines = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list) and value:
            inner = ",\n".join(f"    {compact(item)}" for item in value)
            text = f"[\n{inner}\n  ]"
        elif isinstance(value, dict) and value:
            inner = ",\n".join(f"    {compact(k)}: {compact(value[k])}" for k in sorted(value))
            text = f"{{\n{inner}\n  }}"
        else:
            text = compact(value)
        lines.append(f"  {compact(key)}: {text}")
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


def digest(data: Any) -> str:
    """SHA-256 of the canonical JSON of *data* (for input hashes)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sha256(canonical.encode("utf-8"))


def page_url(base_url: str, tag: str, slug: str | None = None) -> str:
    """Absolute URL of a locale's index page (no slug) or of an article page."""
    return f"{base_url}{tag}/" + (f"{slug}/" if slug else "")


def feed_links(base_url: str, tag: str) -> dict[str, str]:
    """The absolute URLs of a locale's feeds: ``{"rss": …, "atom": …}``."""
    return {"rss": page_url(base_url, tag) + RSS_FEED, "atom": page_url(base_url, tag) + ATOM_FEED}


#: What XML 1.0 cannot hold at all, not even as a character reference.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    r"""*text* with the characters XML 1.0 forbids (C0 controls but tab and line ends, lone
    surrogates, U+FFFE/U+FFFF) replaced by U+FFFD, so a feed or sitemap stays well-formed
    whatever a translator typed.

    >>> xml_text("a\x00b\tc") == "a\ufffdb\tc"
    True
    """
    return _NOT_XML.sub("\ufffd", text)


def xml_document(root: ElementTree.Element) -> bytes:
    """The UTF-8 bytes of the XML document *root*: declaration, two-space indent, final
    newline. ElementTree escapes every text and attribute (``&``, ``<``, ``>``, quotes);
    the caller passes untrusted text through :func:`xml_text`."""
    from xml.etree import ElementTree

    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def script_json(data: Any) -> str:
    r"""JSON for a ``<script type="application/ld+json">`` element: sorted keys, and ``<``,
    ``>``, ``&``, U+2028 and U+2029 written as ``\uXXXX``, so no text (``</script>``,
    ``<!--``) can end the element or change how HTML reads it; the parsed value is the same.

    >>> print(script_json({"headline": "</script><!--"}))
    {"headline": "\u003c/script\u003e\u003c!--"}
    """
    dumped = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return _SCRIPT_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029\x7f-\x9f\ud800-\udfff]")


@lru_cache(maxsize=64)
def og_locale(identifier: str) -> str:
    """Open Graph's ``language_TERRITORY`` form, using CLDR's likely subtags.

    >>> og_locale("zh_Hans"), og_locale("es"), og_locale("en")
    ('zh_CN', 'es_ES', 'en_US')
    """
    from babel.core import Locale, get_global

    likely = get_global("likely_subtags")
    full = str(likely.get(identifier, likely.get(identifier.split("_")[0], identifier)))
    try:
        locale = Locale.parse(full)
    except (ValueError, TypeError):
        return identifier
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


@lru_cache(maxsize=64)
def text_direction(identifier: str) -> str:
    """``ltr`` or ``rtl``."""
    from babel import Locale

    return str(Locale.parse(identifier).text_direction)


@lru_cache(maxsize=4096)
def format_date(value: Any, identifier: str) -> str:
    """The long date form of the locale: 2024年11月4日, 4 de noviembre de 2024."""
    from babel.dates import format_date as babel_format_date

    return str(babel_format_date(value, "long", locale=identifier))


def deterministic_zip(files: Mapping[str, bytes]) -> bytes:
    """A zip of *files* (archive name → bytes): sorted, fixed timestamps and modes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ARCHIVE_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the platform
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return out.getvalue()
