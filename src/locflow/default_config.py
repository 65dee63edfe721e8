"""The commented ``locflow.toml`` that ``locflow init`` writes: every key, its default,
and what it decides (the settings themselves are checked in :mod:`locflow.config`)."""

DEFAULT_CONFIG_TEXT = """\
# locflow project configuration. Every key is optional; the values shown are the defaults.

[project]
# Shown in catalog headers and page footers.
name = "locflow project"
# The language articles are written in, and the languages they are translated into
# (Babel identifiers: es, zh_Hans, pt_BR, ...).
source_locale = "en"
target_locales = ["zh_Hans", "es"]

[segmentation]
# Front-matter fields that are translated (each gets a msgctxt naming the field);
# `section` is the page's breadcrumb.
fields = ["title", "summary", "section"]

[merge]
# Similarity (0-1) above which a changed paragraph keeps its old translation as fuzzy.
# msgmerge uses 0.6.
fuzzy_threshold = 0.6

[build]
# Where `locflow build` writes the localized bundles.
out = "dist"
# Absolute URL the site is published under (canonical links, sitemap).
base_url = "https://example.com/"
# What may be published: "approved" (reviewed by an editor) or "translated".
publish = "approved"
# Publish a translation once this share (percent) of its entries may be published;
# the rest falls back to the source text, marked as not yet translated.
min_percent = 100
# When the English article changes after a translation was published, the page stays up:
# "previous" shows the text approved for the earlier English, marked as outdated; "source"
# shows the English text there; "hold" takes the page down until all is approved again.
outdated = "previous"
# Embedded players an article's HTML may keep: an <iframe> whose src starts with one of
# these https:// prefixes is published, sandboxed; any other is removed (with a warning).
# embeds = ["https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/"]
embeds = []
# Each language's RSS and Atom feeds (<lang>/feed.xml, <lang>/atom.xml) list its newest
# articles; sitemap-news.xml lists those dated up to news_days days before the newest.
feed_size = 20
news_days = 2

[memory]
# Pre-fill untranslated entries from the translation memory on `locflow sync`
# (offline: the memory is the project's own translated catalogs plus memory/*.tmx|*.po).
prefill = true
# What an exact match of an approved translation becomes: "translated" (awaiting
# review) or "fuzzy" (a draft to check).
exact = "translated"
# Similarity (0-1) above which a memory match becomes a fuzzy draft.
threshold = 0.75
# Where no whole paragraph matches, assemble a fuzzy draft from matching sentences.
sentences = true
[mt]
# Machine translation drafts (`locflow translate`). No provider: no drafts, nothing sent.
# provider = "libre"                 # google, mymemory, libre, deepl, microsoft, baidu
# url = "http://localhost:5000/"     # the LibreTranslate server (libre only); it gets no key
#                                    # from the environment: give a keyed server in LOCFLOW_MT_URL
# Keys come only from environment variables (see the README), never from this file.
timeout = 30        # seconds a whole request may take
retries = 4         # retries of 429, 5xx, timeouts and refused connections
backoff = 1.0       # seconds before the first retry; doubles each time, with jitter
concurrency = 4     # requests in flight at once
# [mt.codes]                         # locale -> engine code, where the engine differs
# zh_Hans = "zh-Hans"

[review]
# Who may approve: `locflow check --verify-approvals` accepts an approval only when
# git history shows it committed by one of them, under the name it records.
# "Name <e-mail>" (the commit's author e-mail must match) or "Name" (its author name).
editors = []
# Also require a good signature (git's %G? = G) by that editor on the commit.
require_signed = false

# [derived]
# Locales nobody translates: converted at build from a target locale's published text with
# OpenCC (s2twp: Taiwan standard and phrases; s2hk: Hong Kong; s2t: plain Traditional).
# `locflow derive` opens an article for an editor's corrections (docs/derived-locales.md).
# zh_Hant = { from = "zh_Hans", convert = "s2twp" }
"""
