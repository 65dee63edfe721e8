"""The pipeline's stages as library calls: read → pure step → write.

One module per stage, each owning its caches and helpers: ``syncing`` (a package),
``counting`` (status), ``reviewing``, ``checking``, ``translating`` (machine translation
drafts) and ``gitsetup``; what several share is
in ``catalogs`` (which catalogs a command works on) and ``results`` (results kept in
``.locflow/``). The CLI, the review desk and anything else call these; they own all file
I/O of catalogs and templates, always through :mod:`locflow.catalog.pofile` (atomic,
locked). Stages never import each other.
"""

from ..catalog.pofile import Key
from .behind import Behind, behind
from .catalogs import (
    SITE,
    CatalogRef,
    catalog_locale,
    file_catalogs,
    project_catalogs,
    require_catalogs,
)
from .checking import VerifyApprovals, check
from .counting import CatalogStatus, DerivedStatus, derived_status, status
from .gitsetup import (
    GITATTRIBUTES_LINES,
    MERGE_DRIVER_NAME,
    register_merge_driver,
    write_gitattributes,
)
from .reviewing import (
    FAILING_CHECKS,
    CheckedEntry,
    EntryRow,
    ReviewResult,
    approve_correction,
    approve_entries,
    approve_entry,
    edit_entry,
    is_correction_draft,
    reject_entry,
    review_approve,
    review_list,
    review_reject,
    review_resolve,
)
from .syncing import (
    CatalogSync,
    PlannedCatalog,
    SyncResult,
    plan_catalog,
    plan_template,
    site_segments,
    sync,
)
from .translating import TranslateResult, TranslatorFactory, translate

__all__ = [
    "FAILING_CHECKS", "GITATTRIBUTES_LINES", "MERGE_DRIVER_NAME", "SITE", "Behind",
    "CatalogRef", "CatalogStatus", "CatalogSync", "CheckedEntry", "DerivedStatus", "EntryRow",
    "Key", "PlannedCatalog", "ReviewResult", "SyncResult", "TranslateResult", "TranslatorFactory",
    "VerifyApprovals", "approve_correction", "approve_entries", "approve_entry", "behind",
    "catalog_locale", "check", "derived_status", "edit_entry", "file_catalogs",
    "is_correction_draft",
    "plan_catalog", "plan_template", "project_catalogs", "register_merge_driver",
    "reject_entry", "require_catalogs", "review_approve", "review_list", "review_reject",
    "review_resolve", "site_segments", "status", "sync", "translate", "write_gitattributes",
]
