"""A baseline: the findings a project knows of, which ``check --baseline`` does not report.

A baseline file is JSON with sorted keys, one record per finding, sorted by path,
check and fingerprint (:func:`write_baseline`). A large project's baseline holds
hundreds of thousands of records, so neither direction holds it whole:
:class:`BaselineWriter` spools each catalog's records to a temporary file and sorts
only the catalogs, and :meth:`Baseline.read` parses the file record by record and
keeps each fingerprint as two machine words.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from itertools import groupby
from json.encoder import encode_basestring as _string  # (C; ensure_ascii=False's)
from pathlib import Path
from typing import Any, TextIO

from ..model import Finding
from .streaming import JsonList, Writable

__all__ = ["Baseline", "BaselineWriter", "filter_baseline", "fingerprint", "write_baseline"]

_dumps = partial(json.dumps, ensure_ascii=False, indent=2, sort_keys=True)
_SEPARATOR = "\x1e"  # between records in the spool: json.dumps escapes every C0 control
_HEX = frozenset("0123456789abcdef")
_LOW = (1 << 64) - 1


def fingerprint(f: Finding) -> str:
    """A finding's identity across edits: path, msgctxt, msgid, check and message.

    Line numbers are left out on purpose, so that entries moving in the file keep
    their fingerprint.
    """
    key = "\x1f".join([f.path, f.msgctxt or "", f.msgid, f.check, f.message])
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _record(f: Finding) -> dict[str, Any]:
    return {"fingerprint": fingerprint(f), "path": f.path, "check": f.check,
            "msgid": f.msgid[:80], "message": f.message}


_KEYS = ("check", "fingerprint", "message", "msgid", "path")  # as sort_keys orders them


def _record_text(record: dict[str, Any]) -> str:
    """``_dumps(record)``, faster (``json.dumps`` with an indent encodes in Python, most
    of writing a large baseline): each string through the C encoder."""
    if not all(isinstance(record[key], str) for key in _KEYS):
        return _dumps(record)
    return "{\n" + ",\n".join(f'  "{key}": {_string(record[key])}' for key in _KEYS) + "\n}"


class BaselineWriter:
    """The baseline of findings given catalog by catalog, written at the end.

    Each :meth:`add` sorts its records and spools them, as text, to an unnamed temporary
    file; :meth:`write` sorts the spooled runs by path (a path's records are contiguous
    in a baseline) and copies them. Only one entry per path stays in memory.
    """

    def __init__(self) -> None:
        # unnamed: gone however the run ends (closed by close())
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115
        self._runs: list[tuple[str, int, int]] = []  # path, offset, length
        self._end = 0
        self.count = 0

    def add(self, findings: Iterable[Finding]) -> None:
        """Record *findings* (of any paths, usually one catalog's)."""
        records = sorted((_record(f) for f in findings),
                         key=lambda r: (r["path"], r["check"], r["fingerprint"]))
        for path, run in groupby(records, key=lambda r: str(r["path"])):
            data = _SEPARATOR.join(_record_text(r) for r in run).encode("utf-8",
                                                                         "surrogatepass")
            self._spool.seek(self._end)
            self._spool.write(data)
            self._runs.append((path, self._end, len(data)))
            self._end += len(data)
        self.count += len(records)

    def write(self, out: Writable) -> None:
        """Write the baseline file's text to *out* (what :func:`write_baseline` returns)."""
        items = JsonList(out, {"version": 1, "findings": []}, "findings", _dumps)
        for _, same in groupby(sorted(self._runs, key=lambda run: run[0]),
                               key=lambda run: run[0]):
            runs = list(same)
            texts = [text for run in runs for text in self._read(run).split(_SEPARATOR)]
            if len(runs) > 1:  # (a path given twice: its records sorted together)
                texts.sort(key=lambda text: _order(json.loads(text)))
            for text in texts:
                items.add_text(text)
        items.end()

    def _read(self, run: tuple[str, int, int]) -> str:
        self._spool.seek(run[1])
        return self._spool.read(run[2]).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self._spool.close()


def _order(record: dict[str, Any]) -> tuple[str, str]:
    return record["check"], record["fingerprint"]


def write_baseline(findings: Iterable[Finding]) -> str:
    """The baseline file for *findings*: JSON with sorted keys, one record per finding."""
    writer = BaselineWriter()
    out = io.StringIO()
    try:
        writer.add(findings)
        writer.write(out)
    finally:
        writer.close()
    return out.getvalue()


class Baseline:
    """The fingerprints a baseline records: each suppresses one finding with it.

    Only a fingerprint :func:`fingerprint` can give (32 lowercase hex digits) can ever
    match, so only those are kept: sorted, as two 64-bit halves and a count.
    """

    def __init__(self, fingerprints: Iterable[Any]) -> None:
        keys = sorted(int(fp, 16) for fp in fingerprints
                      if isinstance(fp, str) and len(fp) == 32 and _HEX.issuperset(fp))
        self._high, self._low, self._left = array("Q"), array("Q"), array("I")
        for key, same in groupby(keys):
            self._high.append(key >> 64)
            self._low.append(key & _LOW)
            self._left.append(sum(1 for _ in same))

    @classmethod
    def from_text(cls, text: str) -> Baseline:
        """The baseline *text* holds; ValueError if it is not a locflow baseline."""
        try:
            data = json.loads(text)
            fingerprints = []
            for record in data["findings"]:
                fingerprints.append(record["fingerprint"])
                hash(fingerprints[-1])  # (a list there is no baseline: as a Counter would say)
        except RecursionError:
            raise ValueError("not a locflow baseline: nested too deeply") from None
        except (ValueError, KeyError, TypeError) as exc:  # JSONDecodeError, huge integers
            raise ValueError(f"not a locflow baseline: {exc}") from None
        return cls(fingerprints)

    @classmethod
    def read(cls, path: Path) -> Baseline:
        """The baseline in the file *path*, read record by record. OSError, or ValueError
        (UnicodeDecodeError too) for a file that is no locflow baseline: the errors
        ``from_text(path.read_text(encoding="utf-8"))`` raises, as it reads anything
        else than a plain baseline."""
        try:
            with open(path, encoding="utf-8", newline="") as stream:
                return cls(_Scanner(stream).fingerprints())
        except (_Unusual, OSError, ValueError, TypeError, RecursionError):
            return cls.from_text(path.read_text(encoding="utf-8"))

    def take(self, fp: str) -> bool:
        """Whether the baseline knows *fp* and has a record left for it (it is used up)."""
        key = int(fp, 16)
        high, low = key >> 64, key & _LOW
        index = bisect_left(self._high, high)
        while index < len(self._high) and self._high[index] == high:
            if self._low[index] == low:
                if self._left[index] == 0:
                    return False
                self._left[index] -= 1
                return True
            index += 1
        return False

    def filter(self, findings: Iterable[Finding], protected: frozenset[str] = frozenset()
               ) -> tuple[list[Finding], int]:
        """The findings the baseline does not know, and how many it suppressed.

        Findings of the *protected* checks and conflicts are kept whatever it says.
        """
        new: list[Finding] = []
        suppressed = 0
        for f in findings:
            if f.check not in protected and f.check != "conflict" and self.take(fingerprint(f)):
                suppressed += 1
            else:
                new.append(f)
        return new, suppressed


def filter_baseline(
    findings: Sequence[Finding], baseline_text: str, protected: frozenset[str] = frozenset()
) -> tuple[list[Finding], int]:
    """Drop the findings the baseline knows: returns ``(new_findings, suppressed_count)``.

    Each baseline record suppresses one finding with its fingerprint, so a second
    copy of a known problem still shows. Findings of the *protected* checks are
    kept whatever the baseline says (``checks.baseline_protected``). Raises
    ``ValueError`` if the baseline is not a locflow baseline.
    """
    return Baseline.from_text(baseline_text).filter(findings, protected)


class _Unusual(Exception):
    """Not a plain baseline: read it whole, for the error (or result) ``json.loads`` gives."""


_WHITESPACE = re.compile("[ \t\n\r]*")  # JSON's


class _Scanner:
    """The fingerprints of a baseline file's ``findings``, one record parsed at a time.

    Only a JSON object with one ``findings`` list of objects that each have a hashable
    ``fingerprint``, and nothing after it, is read; anything else is :class:`_Unusual`.
    """

    CHUNK = 1 << 20

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.decoder = json.JSONDecoder()
        self.text, self.at, self.eof = "", 0, False

    def fingerprints(self) -> Iterator[Any]:
        """Each record's fingerprint, as it is read; _Unusual (at any point) for a file
        that is not a plain baseline."""
        found = False
        self.expect("{")
        while True:  # (an empty object has no findings: unusual too)
            key = self.value()
            if not isinstance(key, str):
                raise _Unusual
            self.expect(":")
            if key != "findings":
                self.value()
            elif not found:
                found = True
                yield from self.records()
            else:  # (a second list: json.loads keeps the last)
                raise _Unusual
            if not self.next_of("}"):
                break
        if not found or self.peek() != "":
            raise _Unusual

    def records(self) -> Iterator[Any]:
        self.expect("[")
        if self.peek() == "]":
            self.at += 1
            return
        while True:
            record = self.value()
            if not isinstance(record, dict) or "fingerprint" not in record:
                raise _Unusual
            hash(record["fingerprint"])  # (TypeError: unusual)
            yield record["fingerprint"]
            if not self.next_of("]"):
                return

    def next_of(self, closing: str) -> bool:
        """After a member: True if another follows (a comma), False after *closing*."""
        char = self.peek()
        if char not in (",", closing):
            raise _Unusual
        self.at += 1
        return char == ","

    def more(self) -> None:
        """Read on: at least as much again as is left, so that a long value is parsed a
        bounded number of times."""
        chunk = self.stream.read(max(self.CHUNK, len(self.text) - self.at))
        self.text = self.text[self.at:] + chunk
        self.at = 0
        self.eof = not chunk

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end)."""
        while True:
            spaces = _WHITESPACE.match(self.text, self.at)  # (always: it may match nothing)
            self.at = spaces.end() if spaces else self.at
            if self.at < len(self.text) or self.eof:
                return self.text[self.at:self.at + 1]
            self.more()

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise _Unusual
        self.at += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.text, self.at)
            except json.JSONDecodeError:
                if self.eof:
                    raise _Unusual from None
                self.more()
                continue
            if end < len(self.text) or self.eof:  # (a number may go on in the next chunk)
                self.at = end
                return value
            self.more()
