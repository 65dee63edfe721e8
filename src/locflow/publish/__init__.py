"""``locflow build``: localized article bundles, built only from reviewed text.

For every article and every locale whose version passes the publishing gate
(:mod:`.gate`), :func:`build_site` writes::

    <out>/<lang>/<slug>/index.html     the page (templates/article.html)
    <out>/<lang>/<slug>/article.json   title, summary (as text; *_html: escaped), date, URLs,
                                       hashes, review summary
    <out>/<lang>/index.html            the locale's articles, newest first
    <out>/<lang>/feed.xml, atom.xml    the locale's RSS 2.0 and Atom feeds, newest first
    <out>/sitemap.xml                  every page, with xhtml:link hreflang alternates
    <out>/sitemap-news.xml             recent pages of every locale (news: namespace)
    <out>/robots.txt                   names both sitemaps
    <out>/manifest.json                bundles with input hashes and file SHA-256s; held-back
                                       versions with their reasons
    <out>/archives/<lang>.zip          with ``archive=True``: one archive per locale

``<lang>`` is the BCP 47 tag (``en``, ``zh-Hans``). The source-language version
is always built. Builds are deterministic (same inputs, same bytes) and
incremental: each bundle's input hash (source, catalog, site strings,
templates, settings, published alternates) is kept in the manifest, and a
bundle whose inputs did not change is not rendered again. Articles are rendered
on every core (``LOCFLOW_JOBS``), with the bytes of one process; nothing is
written until everything is rendered, then every file at once, atomically
(identical bytes are not written again), the manifest last. Bundles of deleted
or no longer published articles are removed.

The modules, the driver first: :mod:`.build` (:func:`build_site`, step by step),
:mod:`.workers` (one pool task: decide and render a few articles), :mod:`.outputs`
(the streaming output, sitemap, archives, stale files), :mod:`.pages` (bundle and
locale index pages), :mod:`.feeds` (RSS and Atom), :mod:`.search` (news sitemap,
robots.txt), :mod:`.structured` (JSON-LD, the social cards' image), :mod:`.preview`
(:func:`preview_page`), :mod:`.builder` (one build's state: output folder, gate
decisions, templates), :mod:`.manifest` (the typed
records of ``manifest.json``), :mod:`.results` (what a build reports), and below them
:mod:`.gate`, :mod:`.interface`, :mod:`.render`, :mod:`.site`.
"""

from __future__ import annotations

from .build import build_site
from .gate import Policy
from .interface import site_segments
from .pages import source_warnings
from .preview import Preview, preview_page
from .results import BuildResult, Bundle, HeldBack

__all__ = ["BuildResult", "Bundle", "HeldBack", "Policy", "Preview", "build_site", "preview_page",
           "site_segments", "source_warnings"]
