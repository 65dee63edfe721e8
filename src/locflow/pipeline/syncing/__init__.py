"""The ``sync`` stage: articles segmented into templates, catalogs merged like
``msgmerge --previous``, pre-filled from the translation memory, written at once.

``run`` drives it; ``plan`` merges one article in memory; ``kept`` remembers what the
last sync left (so an unchanged article is not read again); ``memory`` is the
translation memory as one run uses it; ``records`` are the plain results.
"""

from .plan import PlannedCatalog, plan_catalog, plan_template, site_segments
from .records import CatalogSync, SyncResult
from .run import sync

__all__ = ["CatalogSync", "PlannedCatalog", "SyncResult", "plan_catalog", "plan_template",
           "site_segments", "sync"]
