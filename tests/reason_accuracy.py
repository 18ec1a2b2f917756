"""Scoring reason tags, guideline limits and prior quantities against the labels by reading
(tests/real_letters/reasons/*.json for the real letters, tests/fixtures/*/NAME.reasons.json for the
hand-written ones; conventions in tests/real_letters/REASONS.md). Shared by tests/test_reasons.py and
benchmarks/bench_accuracy.py.

Tags are scored per decision as sets: micro precision/recall/F1 over all tags, and per tag. A limit
is right when value and unit equal the label's (the text is as written and not compared), or when both
are null; a prior quantity when the numbers are equal or both null."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import imr
import real_accuracy
from imr.models import REASON_TAGS, GuidelineLimit
from imr.reasons import FALLBACK, find_reasons, item_words

HERE = Path(__file__).resolve().parent
REAL_LABELS = HERE / "real_letters" / "reasons"
FIXTURES = HERE / "fixtures"


def _ratio(right: int, total: int) -> float:
    return right / total if total else 1.0


@dataclass
class ReasonScores:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    # (right, compared) where the label states a value, and where it states none
    limit_stated: list[int] = field(default_factory=lambda: [0, 0])
    limit_none: list[int] = field(default_factory=lambda: [0, 0])
    prior_stated: list[int] = field(default_factory=lambda: [0, 0])
    prior_none: list[int] = field(default_factory=lambda: [0, 0])
    decisions: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, where: str, decision: dict, label: dict) -> None:
        self.decisions += 1
        got = {reason["tag"] for reason in decision.get("reasons") or []}
        expected = set(label["tags"])
        for tag in got & expected:
            self.tp[tag] += 1
        for tag in got - expected:
            self.fp[tag] += 1
        for tag in expected - got:
            self.fn[tag] += 1
        if got != expected:
            self.misses.append(f"{where}: tags expected {sorted(expected)}, got {sorted(got)}")
        limit, want = decision.get("guideline_limit"), label.get("guideline_limit")
        right = (limit is None and want is None) or (
            limit is not None and want is not None and float(limit["value"]) == float(want["value"]) and limit["unit"] == want["unit"])
        self._count(self.limit_stated if want else self.limit_none, right, where, "guideline_limit", want, limit)
        prior, want_prior = decision.get("prior_quantity"), label.get("prior_quantity")
        right = (prior is None and want_prior is None) or (
            prior is not None and want_prior is not None and float(prior) == float(want_prior))
        self._count(self.prior_stated if want_prior is not None else self.prior_none, right, where, "prior_quantity", want_prior, prior)

    def _count(self, tally: list[int], right: bool, where: str, name: str, expected: object, got: object) -> None:
        tally[0] += right
        tally[1] += 1
        if not right:
            self.misses.append(f"{where}: {name} expected {expected!r}, got {got!r}")

    @property
    def precision(self) -> float:
        return _ratio(sum(self.tp.values()), sum(self.tp.values()) + sum(self.fp.values()))

    @property
    def recall(self) -> float:
        return _ratio(sum(self.tp.values()), sum(self.tp.values()) + sum(self.fn.values()))

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def used(self, tag: str) -> int:
        """How many decisions the labels give this tag."""
        return self.tp[tag] + self.fn[tag]

    def tag_precision(self, tag: str) -> float:
        return _ratio(self.tp[tag], self.tp[tag] + self.fp[tag])

    def tag_recall(self, tag: str) -> float:
        return _ratio(self.tp[tag], self.used(tag))

    def exactness(self, name: str) -> float:
        """Share right of guideline_limit or prior_quantity, stated and null labels together."""
        stated, none = (self.limit_stated, self.limit_none) if name == "guideline_limit" else (self.prior_stated, self.prior_none)
        return _ratio(stated[0] + none[0], stated[1] + none[1])

    def report(self) -> list[str]:
        lines = [f"{self.decisions} decisions: tags micro precision {self.precision:.3f}, recall {self.recall:.3f}, F1 {self.f1:.3f}"]
        for tag in REASON_TAGS:
            lines.append(f"    {tag:<28} labelled {self.used(tag):>4}  found {self.tp[tag] + self.fp[tag]:>4}  "
                         f"precision {self.tag_precision(tag):.3f}  recall {self.tag_recall(tag):.3f}")
        for name, stated, none in (("guideline_limit", self.limit_stated, self.limit_none),
                                   ("prior_quantity", self.prior_stated, self.prior_none)):
            lines.append(f"    {name:<16} exact {self.exactness(name):.3f}: where stated {stated[0]} / {stated[1]}, "
                         f"null where none {none[0]} / {none[1]}")
        return lines


def fallback_counts(pairs: list[tuple[dict, dict]]) -> tuple[int, int, int]:
    """(upheld items, items no phrase gave a reason so the fallback tag was given, of those the ones
    whose label has that tag)."""
    upheld = fired = right = 0
    for record, labels in pairs:
        decisions = record.get("decisions") or []
        for label in labels["decisions"]:
            decision = decisions[label["item"] - 1] if label["item"] <= len(decisions) else {}
            if decision.get("outcome") != "upheld":
                continue
            upheld += 1
            limit = decision.get("guideline_limit")
            found = find_reasons(decision.get("rationale"), "upheld", decision.get("category") or "Other",
                                 decision.get("subcategory") or "other", GuidelineLimit(**limit) if limit else None,
                                 decision.get("over_limit"), item_words(decision.get("treatment") or "", decision.get("drug")),
                                 fallback=False)
            if not found:
                fired += 1
                right += FALLBACK in label["tags"]
    return upheld, fired, right


def score(pairs: list[tuple[dict, dict]], scores: ReasonScores | None = None) -> ReasonScores:
    """Score (record, labels) pairs; a labelled item the parser did not find counts as found empty."""
    scores = scores or ReasonScores()
    for record, labels in pairs:
        decisions = record.get("decisions") or []
        for label in labels["decisions"]:
            index = label["item"] - 1
            decision = decisions[index] if index < len(decisions) else {}
            scores.add(f"{Path(labels['file']).name} item {label['item']}", decision, label)
    return scores


def real_pairs() -> list[tuple[dict, dict]]:
    """(record, labels) of every labelled real letter; needs the letters (real_accuracy.available())."""
    pairs = []
    for path in sorted(REAL_LABELS.glob("*.json")):
        labels = json.loads(path.read_text(encoding="utf-8"))
        pairs.append((imr.parse_file(real_accuracy.REAL_LETTERS / labels["file"]).to_dict(), labels))
    return pairs


def halves(pairs: list[tuple[dict, dict]]) -> tuple[list[tuple[dict, dict]], list[tuple[dict, dict]]]:
    """The real letters in file order, split in two: those at even positions, whose rationales were
    read while the phrase families were written, and those at odd positions, held out while the first
    families were written (F1 0.833 then) and read for the second pass: no longer unseen, so their
    score now overstates what to expect on unseen letters."""
    ordered = sorted(pairs, key=lambda pair: pair[1]["file"])
    return ordered[0::2], ordered[1::2]


def fixture_pairs(suffix: str = ".reasons.json") -> list[tuple[dict, dict]]:
    """(record, labels) of every labelled hand-written letter (tests/fixtures/*/NAME.reasons.json)."""
    pairs = []
    for path in sorted(FIXTURES.glob(f"*/*{suffix}")):
        stem = path.name.removesuffix(suffix)
        letter = next(p for p in (path.parent / f"{stem}.pdf", path.parent / f"{stem}.txt") if p.exists())
        labels = json.loads(path.read_text(encoding="utf-8"))
        pairs.append((imr.parse_file(letter).to_dict(), {**labels, "file": f"{path.parent.name}/{labels['file']}"}))
    return pairs


def blind_pairs() -> list[tuple[dict, dict]]:
    """(record, labels) of the blind letters (tests/fixtures/*/NAME.blind.json): written and labelled by
    someone who had not read the rules, and not read by whoever tunes them, so their score is what to
    expect on unseen rationales. Kept out of fixture_pairs() and the floors of tests/test_reasons.py."""
    return fixture_pairs(".blind.json")
