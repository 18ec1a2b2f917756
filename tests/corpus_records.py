"""Hand-made record dicts in the `Letter.to_dict()` shape, shared by the corpus/chart/export tests."""
from __future__ import annotations

from typing import Any


def citation(source: str | None, section: str | None, role: str = "reviewer", score: float = 90.0) -> dict[str, Any]:
    return {"role": role, "text": f"{source} {section}", "source": source, "section": section,
            "pages": None, "score": score}


def decision(treatment: str, outcome: str | None, category: str = "Pharmaceuticals",
             citations: list[dict[str, Any]] | None = None, rationale: str = "") -> dict[str, Any]:
    return {"treatment": treatment, "quantity": None, "outcome": outcome, "category": category,
            "claims_administrator_guideline": None, "reviewer_guideline": None,
            "citations": citations or [], "rationale": rationale}


def letter(file: str, decisions: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "file": file, "sha256": f"sha-{file}", "pages": 3, "status": "ok", "error": None, "warnings": [],
        "layout": "determination", "case_number": f"CM-{file}", "date_of_injury": "2010-01-01",
        "ur_denial_date": "2015-03-01", "application_received": None, "date_assigned": None,
        "decision_date": "2015-04-15", "priority": "Standard", "reviewer_licensure": ["California"],
        "reviewer_specialties": ["Orthopedic Surgery"], "patient_age": 45, "patient_sex": "female",
        "body_parts": ["low back"], "diagnoses": [], "overall_outcome": None, "decisions": decisions,
    }
    record.update(fields)
    return record


def sample_records() -> list[dict[str, Any]]:
    """Four letters, six decisions (2 overturned of 5 decided, 1 unknown), one error file."""
    return [
        letter("a.pdf", [
            decision("Tramadol 50mg", "upheld", citations=[citation("CPMTG", "Opioids"),
                                                           citation("ODG", "Tramadol", role="claims_administrator")]),
            decision("Physical therapy x6", "overturned", "Rehabilitation",
                     citations=[citation("CPMTG", "Physical medicine")], rationale="Functional gains documented."),
        ], patient_age=59, reviewer_specialties=["Physical Medicine & Rehabilitation", "Pain Management"]),
        letter("b.pdf", [
            decision("MRI lumbar spine", "upheld", "Diagnostic testing", citations=[citation(None, None)]),
        ], decision_date="2016-07-02", ur_denial_date="2016-06-01", patient_sex="male", patient_age=28,
           reviewer_licensure=["Texas"], body_parts=["knee", "low back"]),
        letter("c.pdf", [
            decision("Psychotherapy 6 sessions", "overturned", "Behavioral and mental health"),
            decision("Zolpidem 10mg", "upheld", citations=[citation("ODG", "Zolpidem")]),
            decision("Unclear item", None, "Other"),
        ], case_number="CM-a.pdf", patient_age=None, patient_sex=None, decision_date=None),
        letter("broken.pdf", [], status="error", error="not a PDF", sha256="sha-a.pdf", case_number=None,
               layout=None, decision_date=None, ur_denial_date=None, patient_age=None, patient_sex=None,
               reviewer_licensure=[], reviewer_specialties=[], body_parts=[]),
    ]
