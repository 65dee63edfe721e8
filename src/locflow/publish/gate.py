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


@dataclass(frozen=True)
class Policy:
    """What may be published."""

    publish: str = "approved"  # "approved" | "translated"
    min_percent: float = 100.0

    def allows(self, state: ReviewState) -> bool:
        """Whether text in *state* may be published (fuzzy and rejected: never)."""
        if state is ReviewState.APPROVED:
            return True
        return state is ReviewState.TRANSLATED and self.publish == "translated"

    def as_dict(self) -> dict[str, object]:
        return {"publish": self.publish, "min_percent": self.min_percent}


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
) -> GateResult:
    """Decide whether the version with catalog *entries* may be published.

    *segments* are the article's segments (what the catalog must translate);
    *entries* maps ``(msgctxt, msgid)`` to entry views, or is ``None`` when the
    locale has no catalog for the article.
    """
    counts: dict[str, int] = {}
    failing: dict[str, int] = {}
    failing_entries = 0
    translations: dict[Key, str] = {}
    fallbacks: list[Key] = []
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
