"""Scoring the parser on the real published letters against the truth in tests/real_letters/truth
(one person's reading of each letter; conventions in tests/real_letters/README.md). Shared by
tests/test_real_letters.py and benchmarks/bench_accuracy.py.

The letters live outside the repository (../shared/real-letters, never copied in); without them
nothing here can be scored and the callers say so."""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_LETTERS = ROOT.parent / "shared" / "real-letters"
TRUTH = Path(__file__).resolve().parent / "real_letters" / "truth"
MISSING_REASON = f"the real published letters are not here ({REAL_LETTERS.relative_to(ROOT.parent)} beside the checkout)"

LETTER_FIELDS = ("case_number", "date_assigned", "date_of_injury", "decision_date", "ur_denial_date", "application_received",
                 "priority", "reviewer_licensure", "reviewer_specialties", "patient_age", "patient_sex", "overall_outcome")
DECISION_FIELDS = ("treatment", "quantity", "outcome", "original_request", "authorized_portion")
# Compared ignoring case and punctuation, as the measure says.
FOLDED_FIELDS = ("treatment", "original_request", "authorized_portion", "reviewer_specialties")


def available() -> bool:
    return REAL_LETTERS.is_dir() and any(TRUTH.glob("*.json"))


def truths() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(TRUTH.glob("*.json"))]


def fold(value: object) -> object:
    if isinstance(value, list):
        return [fold(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"[^a-z0-9]+", " ", value.lower()).strip()
    return value


def same(name: str, expected: object, got: object) -> bool:
    if name in FOLDED_FIELDS:
        return fold(expected) == fold(got)
    if name == "quantity" and expected is not None and got is not None:
        return float(expected) == float(got)
    return expected == got


@dataclass
class FieldScores:
    """Per field: how many values were compared and which were wrong (file, expected, got)."""

    compared: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: dict[str, list[tuple[str, object, object]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, name: str, file: str, expected: object, got: object, ok: bool) -> None:
        self.compared[name] += 1
        if not ok:
            self.misses[name].append((file, expected, got))

    def accuracy(self, name: str) -> float:
        return 1 - len(self.misses[name]) / self.compared[name] if self.compared[name] else 1.0


def score_fields(pairs: list[tuple[dict, dict]]) -> FieldScores:
    scores = FieldScores()
    for record, truth in pairs:
        file = truth["file"]
        scores.add("status", file, "not error", record["status"], record["status"] != "error")
        for name in LETTER_FIELDS:
            scores.add(name, file, truth.get(name), record.get(name), same(name, truth.get(name), record.get(name)))
        expected, got = truth["decisions"], record["decisions"]
        scores.add("decision_count", file, len(expected), len(got), len(expected) == len(got))
        for index, decision in enumerate(expected):
            parsed = got[index] if index < len(got) else {}
            for name in DECISION_FIELDS:
                scores.add(name, f"{file} item {index + 1}", decision.get(name), parsed.get(name),
                           same(name, decision.get(name), parsed.get(name)))
    return scores



ROLES = {"claims_administrator": "claims_administrator_guideline", "reviewer": "reviewer_guideline"}


@dataclass
class CitationScores:
    """Guideline lines captured, and citations found against the reading: recall and precision on
    (source, catalogue row); OTHER references count by source alone."""

    lines: int = 0
    captured: int = 0
    nothing_cited: int = 0  # lines saying no evidence was cited
    expected: int = 0
    found: int = 0  # matched citations the parser gave
    right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def capture_rate(self) -> float:
        return self.captured / self.lines if self.lines else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0


def _key(source: str | None, catalogue_id: str | None) -> tuple[str | None, str | None]:
    return (source, None) if source == "OTHER" else (source, catalogue_id)


def score_citations(pairs: list[tuple[dict, dict]]) -> CitationScores:
    scores = CitationScores()
    for record, truth in pairs:
        for index, decision in enumerate(truth["decisions"]):
            parsed = record["decisions"][index] if index < len(record["decisions"]) else {}
            where = f"{truth['file']} item {index + 1}"
            for role, field_name in ROLES.items():
                expected = decision["citations"][role]
                text = parsed.get(field_name)
                found = [c for c in parsed.get("citations", []) if c["role"] == role]
                scores.lines += 1
                if expected == "none":
                    scores.nothing_cited += 1
                    ok = bool(text) and not found
                else:
                    ok = bool(text) and bool(found)
                scores.captured += ok
                if not ok:
                    scores.misses.append(f"{where} {role}: line not captured ({text!r:.80})")
                wanted = Counter(_key(e["source"], e.get("catalogue_id")) for e in ([] if expected == "none" else expected))
                got = Counter(_key(c["source"], c["catalogue_id"]) for c in found if c["source"])
                scores.expected += sum(wanted.values())
                scores.found += sum(got.values())
                scores.right += sum((wanted & got).values())
                for key in (wanted - got):
                    scores.misses.append(f"{where} {role}: missed {key}")
                for key in (got - wanted):
                    scores.misses.append(f"{where} {role}: wrong {key}")
    return scores


# What imr.enrich derives: scored apart, with the issue's own bar (97%).
DERIVED_DECISION_FIELDS = ("category", "subcategory", "body_region", "drug")


def score_derived(pairs: list[tuple[dict, dict]]) -> FieldScores:
    """Per decision: category, subcategory, region treated, drug; per letter: the injured body parts
    (as a set: the same parts in another order are right)."""
    scores = FieldScores()
    for record, truth in pairs:
        file = truth.get("file") or record["file"]
        scores.add("body_parts", file, truth["body_parts"], record["body_parts"], set(truth["body_parts"]) == set(record["body_parts"]))
        for index, decision in enumerate(truth["decisions"]):
            parsed = record["decisions"][index] if index < len(record["decisions"]) else {}
            for name in DERIVED_DECISION_FIELDS:
                if name in decision:
                    scores.add(name, f"{file} item {index + 1}", decision[name], parsed.get(name),
                               (decision[name] or None) == (parsed.get(name) or None))
    return scores
