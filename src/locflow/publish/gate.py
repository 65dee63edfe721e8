"""The publishing gate: which locale version of an article may be published (pure).

The policy is explicit (``[build]`` in ``locflow.toml``):

``publish = "approved"`` (default)
    only entries an editor approved are published;
``publish = "translated"``
    translated entries awaiting review are published too;
``min_percent = 100`` (default)
    a version is published when this share of its entries (title, summary,
    body) passes; below 100, the other paragraphs fall back to the source text,
    marked on the page as not yet translated (po4a's threshold, made explicit).

Fuzzy and rejected text is never published, whatever the policy, and neither is
text on which an error-level content check fails (a changed number, link or
e-mail address), approved or not, unless the check is silenced for the entry
(``# locflow-ignore: numbers``, or an editor's ``review approve --force``).
A version with no publishable entry at all is never published, even with
``min_percent = 0``.

Living articles (``outdated`` in ``[build]``): when the English article changes after a
version was published, the version stays published. An entry whose source changed
shows the text an editor approved for the previous source (``"previous"``, the
default; verified against its approval hash, :func:`locflow.review.previous_approval`),
or the English text (``"source"``), marked as outdated; a new entry shows the English
text. ``"hold"`` holds the version back as any other (``min_percent`` decides).
``min_percent`` keeps its meaning for a version that was never published: one whose
previous build did not publish it and which has no outdated entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..model import ReviewState, Segment

Key = tuple[str | None, str]  # (msgctxt, msgid)

MISSING = "missing"  # the segment has no entry in the catalog (the catalog is out of date)

_STATE_WORDS = {
    ReviewState.UNTRANSLATED.value: "untranslated",
    ReviewState.FUZZY.value: "fuzzy",
    ReviewState.REJECTED.value: "rejected",
    ReviewState.TRANSLATED.value: "awaiting review",
    MISSING: "not in the catalog (run `locflow sync`)",
}


@dataclass(frozen=True)
class EntryView:
    """What the gate needs of a catalog entry."""

    msgstr: str
    state: ReviewState
    failing: tuple[str, ...] = ()  # error-level content checks that fail on the text
    previous: str | None = None  # text approved for an earlier source, verified and clean


@dataclass(frozen=True)
class Policy:
    """What may be published."""

    publish: str = "approved"  # "approved" | "translated"
    min_percent: float = 100.0
    outdated: str = "previous"  # "previous" | "source" | "hold": see the module

    def allows(self, state: ReviewState) -> bool:
        """Whether text in *state* may be published (fuzzy and rejected: never)."""
        if state is ReviewState.APPROVED:
            return True
        return state is ReviewState.TRANSLATED and self.publish == "translated"

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {"publish": self.publish, "min_percent": self.min_percent}
        if self.outdated != "previous":  # (the default leaves older build keys as they were)
            found["outdated"] = self.outdated
        return found


@dataclass(frozen=True)
class GateResult:
    """The gate's decision on one locale version of one article."""

    published: bool
    reason: str | None  # why it is held back; None when published
    total: int  # entries the article needs (its segments)
    passed: int  # entries whose text may be published
    counts: dict[str, int]  # segments per review state (plus "missing")
    translations: dict[Key, str] = field(default_factory=dict, compare=False, repr=False)
    fallbacks: tuple[Key, ...] = ()  # segments shown in the source language
    failing: dict[str, int] = field(default_factory=dict)  # check id → entries it holds back
    failing_entries: int = 0  # entries whose state allows them but a check fails
    outdated: tuple[Key, ...] = ()  # entries whose source changed since their approval
    behind: bool = False  # published as a living page: shows outdated or new entries
    converted_from: str | None = None  # a derived locale's: its base locale (converted text)
    overridden: int = 0  # entries a derived locale's editor corrected after conversion

    @property
    def outdated_count(self) -> int:
        """Entries the page shows from an earlier version or in English because the
        English article changed (0 for a page that is not behind)."""
        if not self.behind:
            return 0
        return len(self.outdated) + sum(1 for key in self.fallbacks if key not in self.outdated)

    @property
    def percent(self) -> float:
        return 100.0 * self.passed / self.total if self.total else 100.0

    def summary(self) -> dict[str, object]:
        """The review summary written into ``article.json`` and the manifest."""
        return {
            "entries": self.total,
            "published_entries": self.passed,
            "percent": round(self.percent, 1),
            "states": dict(sorted(self.counts.items())),
            "fallbacks": len(self.fallbacks),
            **({"outdated": self.outdated_count} if self.behind else {}),
            **({"converted_from": self.converted_from, "overridden": self.overridden}
               if self.converted_from else {}),
            **({"failing_checks": {"entries": self.failing_entries,
                                   "checks": dict(sorted(self.failing.items()))}}
               if self.failing_entries else {}),
        }


def _describe(counts: Mapping[str, int], policy: Policy, failing: Mapping[str, int],
              failing_entries: int) -> str:
    parts = []
    for state in (MISSING, "untranslated", "fuzzy", "rejected", "translated"):
        if state == "translated" and policy.publish == "translated":
            continue
        if counts.get(state):
            parts.append(f"{counts[state]} {_STATE_WORDS[state]}")
    if failing_entries:
        parts.append(f"{failing_entries} failing error-level checks ({', '.join(sorted(failing))}"
                     "; see `locflow check`)")
    return ", ".join(parts)


def _format_percent(value: float) -> str:
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


def evaluate(
    segments: Sequence[Segment],
    entries: Mapping[Key, EntryView] | None,
    policy: Policy,
    *,
    published_before: bool = False,
) -> GateResult:
    """Decide whether the version with catalog *entries* may be published.

    *segments* are the article's segments (what the catalog must translate);
    *entries* maps ``(msgctxt, msgid)`` to entry views, or is ``None`` when the
    locale has no catalog for the article. *published_before*: the previous build
    published this version (a living article stays published, see the module).
    """
    counts: dict[str, int] = {}
    failing: dict[str, int] = {}
    failing_entries = 0
    translations: dict[Key, str] = {}
    fallbacks: list[Key] = []
    outdated: dict[Key, str] = {}  # key → the text approved for the earlier source
    for segment in segments:
        key = (segment.context, segment.msgid)
        entry = entries.get(key) if entries is not None else None
        state = entry.state.value if entry is not None else MISSING
        counts[state] = counts.get(state, 0) + 1
        if entry is not None and entry.msgstr and policy.allows(entry.state):
            if not entry.failing:
                translations[key] = entry.msgstr
                continue
            failing_entries += 1
            for check in entry.failing:
                failing[check] = failing.get(check, 0) + 1
        if entry is not None and entry.previous and policy.outdated != "hold":
            outdated[key] = entry.previous
        fallbacks.append(key)
    total = len(segments)
    passed = len(translations)
    wanted = "approved" if policy.publish == "approved" else "approved or translated"
    if failing_entries:
        wanted = "publishable"

    def held(reason: str) -> GateResult:
        return GateResult(False, reason, total, passed, counts, {}, tuple(fallbacks), failing,
                          failing_entries)

    if entries is None:
        return held("no catalog (run `locflow sync`)")
    if outdated or published_before:
        living = _living(translations, fallbacks, outdated, policy, published_before)
        if living is not None:
            shown, still = living
            return GateResult(True, None, total, passed, counts, shown, still, failing,
                              failing_entries, tuple(outdated), behind=bool(outdated or still))
    described = _describe(counts, policy, failing, failing_entries)
    if total and not passed:
        return held(f"nothing {wanted} yet ({described})")
    percent = 100.0 * passed / total if total else 100.0
    if percent < policy.min_percent:
        return held(
            f"{passed} of {total} entries {wanted} ({_format_percent(percent)}, "
            f"needs {_format_percent(policy.min_percent)}): {described}"
        )
    return GateResult(True, None, total, passed, counts, translations, tuple(fallbacks), failing,
                      failing_entries)


def _living(translations: dict[Key, str], fallbacks: list[Key], outdated: dict[Key, str],
            policy: Policy, published_before: bool
            ) -> tuple[dict[Key, str], tuple[Key, ...]] | None:
    """A living page's texts and its entries left in English, or None when the version
    is not kept published that way (``hold``, or nothing current nor outdated to show)."""
    if policy.outdated == "hold" or not (translations or outdated):
        return None
    if not (published_before or outdated):
        return None
    shown = dict(translations)
    if policy.outdated == "previous":
        shown.update(outdated)
        still = tuple(key for key in fallbacks if key not in outdated)
    else:
        still = tuple(fallbacks)
    return shown, still
