"""Compare locflow's content checks with pofilter's on the shared corpus, per check family.

Usage: python benchmarks/compare_pofilter.py [--examples N] [--json FILE]

Both tools look at the same entries: translated, not fuzzy, not obsolete. An entry
counts for a family when any of the family's tests fires on it. For each family
the table shows entries flagged by both, by locflow only and by pofilter only,
then a few examples of each disagreement.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path

import polib
from _corpus import CORPUS, GROUPS, po_files

# family: (locflow check ids, pofilter tests)
FAMILIES: dict[str, tuple[list[str], list[str]]] = {
    "numbers": (["numbers"], ["numbers"]),
    "urls": (["urls"], ["urls", "emails"]),
    "placeholders": (["placeholders"], ["printf", "pythonbraceformat", "variables"]),
    "markup": (["markup", "unsafe-html"], ["xmltags"]),
    "punctuation": (["punctuation"], ["endpunc"]),
    "whitespace": (["whitespace"], ["startwhitespace", "endwhitespace", "doublespacing"]),
    "same-as-source": (["same-as-source"], ["unchanged"]),
    "length": (["length"], ["long", "short"]),
}
Key = tuple[str, str | None, str]
_POFILTER_RE = re.compile(r"\(pofilter\) (\w+): (.*)")


def locflow_findings() -> dict[Key, dict[str, str]]:
    """(file, msgctxt, msgid) → {locflow check id: first message}."""
    from locflow.catalog import pofile
    from locflow.checks import CheckContext, check_entry
    from locflow.review import is_translated

    out: dict[Key, dict[str, str]] = defaultdict(dict)
    for path, locale in po_files():
        rel = str(path.relative_to(CORPUS))
        for entry in pofile.load(path).active():
            if not is_translated(entry) or "fuzzy" in entry.flags:
                continue
            ctx = CheckContext(locale, tuple(entry.flags), entry.tcomment or "")
            for problem in check_entry(entry.msgid, entry.msgstr or
                                       entry.msgstr_plural.get(0, ""), ctx):
                out[(rel, entry.msgctxt, entry.msgid)].setdefault(problem.check, problem.message)
    return out


def pofilter_findings() -> dict[Key, dict[str, str]]:
    """(file, msgctxt, msgid) → {pofilter test: message}, from pofilter's output catalogs."""
    tests = sorted({t for _, ts in FAMILIES.values() for t in ts})
    out: dict[Key, dict[str, str]] = defaultdict(dict)
    with tempfile.TemporaryDirectory() as tmp:
        for group, locale in GROUPS:
            target = Path(tmp, group)
            target.parent.mkdir(parents=True, exist_ok=True)
            args = ["pofilter", f"--language={locale}", "--nofuzzy", "--progress=none"]
            args += [f"--test={t}" for t in tests]
            subprocess.run([*args, "-i", str(CORPUS / group), "-o", str(target)],
                           check=True, capture_output=True)
        for path in Path(tmp).rglob("*.po"):
            rel = str(path.relative_to(tmp))
            for entry in polib.pofile(str(path)):
                for test, message in _POFILTER_RE.findall(entry.tcomment or ""):
                    out[(rel, entry.msgctxt, entry.msgid)].setdefault(test, message)
    return out


def compare(examples: int) -> dict[str, object]:
    ours, theirs = locflow_findings(), pofilter_findings()
    rng = random.Random(4)
    table: dict[str, object] = {}
    for family, (our_ids, their_tests) in FAMILIES.items():
        a = {k for k, v in ours.items() if any(c in v for c in our_ids)}
        b = {k for k, v in theirs.items() if any(t in v for t in their_tests)}

        def sample(keys: set[Key], src: dict[Key, dict[str, str]], ids: list[str]) -> list[dict]:
            picked = rng.sample(sorted(keys, key=str), min(examples, len(keys)))
            return [{"file": k[0], "msgid": k[2][:160],
                     "says": "; ".join(f"{i}: {src[k][i]}" for i in ids if i in src[k])}
                    for k in picked]

        table[family] = {
            "both": len(a & b), "locflow_only": len(a - b), "pofilter_only": len(b - a),
            "examples_locflow_only": sample(a - b, ours, our_ids),
            "examples_pofilter_only": sample(b - a, theirs, their_tests),
        }
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--json", help="also write the full comparison to this file")
    args = parser.parse_args()
    table = compare(args.examples)
    print(f"{'family':<16}{'both':>8}{'locflow only':>14}{'pofilter only':>15}")
    for family, row in table.items():
        assert isinstance(row, dict)
        print(f"{family:<16}{row['both']:>8}{row['locflow_only']:>14}{row['pofilter_only']:>15}")
    for family, row in table.items():
        assert isinstance(row, dict)
        for side in ("locflow_only", "pofilter_only"):
            if row[f"examples_{side}"]:
                print(f"\n== {family}: {side.replace('_', ' ')}")
                for ex in row[f"examples_{side}"]:
                    print(f"  {ex['file']}: {ex['says']}\n    msgid: {ex['msgid']!r}")
    if args.json:
        Path(args.json).write_text(json.dumps(table, ensure_ascii=False, indent=2) + "\n",
                                   encoding="utf-8")


if __name__ == "__main__":
    main()
