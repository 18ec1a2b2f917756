"""Field-by-field comparison of parsed records with truth records, for the accuracy tests."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

SCALAR_FIELDS = ("layout", "case_number", "date_of_injury", "ur_denial_date", "application_received", "date_assigned",
                 "decision_date", "priority", "patient_age", "patient_sex", "overall_outcome")
LIST_FIELDS = ("reviewer_licensure", "reviewer_specialties", "body_parts", "diagnoses")
EXACT_DECISION_FIELDS = ("quantity", "outcome", "category")
TEXT_DECISION_FIELDS = ("treatment", "original_request", "authorized_portion", "claims_administrator_guideline", "reviewer_guideline", "rationale")
# Free text is right when it matches after folding case, punctuation and spacing, up to a few
# characters of difference (a rejoined hyphen, a dropped trailing period).
TEXT_SIMILARITY = 95


@dataclass(frozen=True)
class FieldResult:
    field: str
    expected: object
    got: object

    @property
    def ok(self) -> bool:
        return _same(self.field, self.expected, self.got)


def _fold(value: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(value).lower()).strip()


def _same(field: str, expected: object, got: object) -> bool:
    name = field.rsplit(".", 1)[-1]
    if name in LIST_FIELDS:
        return sorted(map(_fold, expected or [])) == sorted(map(_fold, got or []))
    if name in TEXT_DECISION_FIELDS:
        if not expected or not got:
            return not expected and not got
        return fuzz.ratio(_fold(expected), _fold(got)) >= TEXT_SIMILARITY
    return expected == got


def compare(record: dict, truth: dict) -> list[FieldResult]:
    results = [FieldResult(name, truth.get(name), record.get(name)) for name in SCALAR_FIELDS + LIST_FIELDS if name in truth]
    expected_decisions, got_decisions = truth.get("decisions", []), record.get("decisions", [])
    results.append(FieldResult("decision_count", len(expected_decisions), len(got_decisions)))
    for index, expected in enumerate(expected_decisions):
        got = got_decisions[index] if index < len(got_decisions) else {}
        for name in EXACT_DECISION_FIELDS + TEXT_DECISION_FIELDS:
            results.append(FieldResult(f"decisions[{index}].{name}", expected.get(name), got.get(name)))
    return results
