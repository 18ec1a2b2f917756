"""Typed records passed between the pipeline's steps.

`Letter.to_dict()` is the JSON contract read by the CLI, the app, the exports and the checks:
its keys and their order are fixed (see README, "The record").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OUTCOMES = ("upheld", "overturned")
OVERALL_OUTCOMES = ("upheld", "overturned", "partially overturned")
STATUSES = ("ok", "partial", "error")
CITATION_ROLES = ("claims_administrator", "reviewer")
CATEGORIES = (
    "Pharmaceuticals",
    "Rehabilitation",
    "Diagnostic testing",
    "DMEPOS",
    "Injections",
    "Surgery",
    "Evaluation and management",
    "Behavioral and mental health",
    "Programs",
    "Home health",
    "Other",
)
BODY_PARTS = (
    "head", "neck", "upper back", "low back", "shoulder", "elbow", "wrist", "hand",
    "hip", "knee", "ankle", "foot", "psyche",
)
# Why an item was decided (tests/real_letters/REASONS.md defines each tag).
REASON_TAGS = (
    "no_functional_improvement",
    "exceeds_guideline_quantity",
    "duration_exceeded",
    "not_recommended",
    "indications_not_documented",
    "opioid_monitoring",
    "request_incomplete",
    "depends_on_denied_item",
    "criteria_met",
    "other",
)
LIMIT_UNITS = ("visits", "sessions", "treatments", "weeks", "days", "months", "units", "refills", "tablets", "injections")


@dataclass
class InputFile:
    """One file to parse: its name and either its bytes, a path to read them from, or why not."""

    name: str
    data: bytes | None = None
    error: str | None = None
    path: str | None = None
    ocr: bool = True  # read pages without a text layer through OCR (the CLI's --no-ocr turns it off)


@dataclass
class Page:
    """One page's text as extracted, before cleaning."""

    number: int
    text: str
    width: float = 0.0  # PDF points; 0 for text files
    height: float = 0.0


@dataclass
class Document:
    """What extraction gives: the raw pages of one input file."""

    name: str
    sha256: str
    pages: list[Page]
    ocr_pages: int = 0  # pages read by OCR
    ocr_confidence: float | None = None  # their mean word confidence, 0-100


@dataclass(frozen=True)
class Citation:
    """One guideline citation found in a decision, matched (or not) to the catalogue."""

    role: str  # one of CITATION_ROLES
    text: str  # the citation as written
    source: str | None = None  # catalogue source code (CPMTG, OPIOID, ACOEM, ODG, ...); None = unmatched
    section: str | None = None  # catalogue section/topic name; None for a chapter or guideline cited whole
    pages: str | None = None  # pages stated in the text, e.g. "74-96"
    score: float = 0.0  # 0-100
    year: int | None = None  # edition year as written ("Low Back Complaints 2004")
    chapter: str | None = None  # chapter as written (ACOEM, ODG)
    catalogue_id: str | None = None  # the catalogue row matched: a section's, or a chapter's or guideline's when cited whole

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "text": self.text,
            "source": self.source,
            "section": self.section,
            "pages": self.pages,
            "score": self.score,
            "year": self.year,
            "chapter": self.chapter,
            "catalogue_id": self.catalogue_id,
        }


@dataclass(frozen=True)
class Reason:
    """One reason tag and the rationale sentence that gives it (character offsets into the rationale)."""

    tag: str  # one of REASON_TAGS
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"tag": self.tag, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class GuidelineLimit:
    """The recommended maximum the rationale measures the request against ("9-10 visits" -> 10 visits)."""

    value: int | float
    unit: str  # one of LIMIT_UNITS
    text: str  # the limit as written

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit, "text": self.text}


@dataclass
class Decision:
    """One disputed treatment and the reviewer's outcome for it."""

    treatment: str  # the item IMR decided, as written, without a closing quantity
    quantity: int | float | None = None
    outcome: str | None = None  # one of OUTCOMES
    # A modified request: what was first asked for and the part UR authorized, as written.
    original_request: str | None = None
    authorized_portion: str | None = None
    category: str = "Other"
    subcategory: str = "other"  # a fixed list per category (data/vocab/subcategories.csv)
    body_region: str | None = None  # the region the item is aimed at (BODY_PARTS words)
    drug: str | None = None  # medications: generic name(s), lower case, "/" between combined ones
    strength: str | None = None  # medications: strength as written ("10/325mg")
    claims_administrator_guideline: str | None = None
    reviewer_guideline: str | None = None
    citations: list[Citation] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    guideline_limit: GuidelineLimit | None = None
    prior_quantity: int | float | None = None  # how many of the same treatment the worker already had
    # quantity (plus prior where the rationale counts them together) above the limit; None when unknown
    over_limit: bool | None = None
    rationale: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "treatment": self.treatment,
            "quantity": self.quantity,
            "outcome": self.outcome,
            "original_request": self.original_request,
            "authorized_portion": self.authorized_portion,
            "category": self.category,
            "subcategory": self.subcategory,
            "body_region": self.body_region,
            "drug": self.drug,
            "strength": self.strength,
            "claims_administrator_guideline": self.claims_administrator_guideline,
            "reviewer_guideline": self.reviewer_guideline,
            "citations": [c.to_dict() for c in self.citations],
            "reasons": [r.to_dict() for r in self.reasons],
            "guideline_limit": self.guideline_limit.to_dict() if self.guideline_limit else None,
            "prior_quantity": self.prior_quantity,
            "over_limit": self.over_limit,
            "rationale": self.rationale,
        }


@dataclass
class Letter:
    """One parsed letter. `text` and `evidence` serve the UI and are not part of the record."""

    file: str
    sha256: str | None = None
    pages: int = 0
    ocr: bool = False  # some pages were read by OCR (a warning gives their mean confidence)
    status: str = "ok"  # one of STATUSES
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    layout: str | None = None
    case_number: str | None = None
    date_of_injury: str | None = None
    ur_denial_date: str | None = None
    application_received: str | None = None
    date_assigned: str | None = None
    decision_date: str | None = None
    priority: str | None = None
    reviewer_licensure: list[str] = field(default_factory=list)
    reviewer_specialties: list[str] = field(default_factory=list)
    reviewer_specialty_groups: list[str] = field(default_factory=list)  # canonical: ABMS names, professions
    patient_age: int | None = None
    patient_sex: str | None = None
    body_parts: list[str] = field(default_factory=list)
    diagnoses: list[str] = field(default_factory=list)
    overall_outcome: str | None = None
    decisions: list[Decision] = field(default_factory=list)
    # Cleaned letter text and, per field name, the (start, end) span in it that the value came from.
    text: str = field(default="", repr=False)
    evidence: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "pages": self.pages,
            "ocr": self.ocr,
            "status": self.status,
            "error": self.error,
            "warnings": list(self.warnings),
            "layout": self.layout,
            "case_number": self.case_number,
            "date_of_injury": self.date_of_injury,
            "ur_denial_date": self.ur_denial_date,
            "application_received": self.application_received,
            "date_assigned": self.date_assigned,
            "decision_date": self.decision_date,
            "priority": self.priority,
            "reviewer_licensure": list(self.reviewer_licensure),
            "reviewer_specialties": list(self.reviewer_specialties),
            "reviewer_specialty_groups": list(self.reviewer_specialty_groups),
            "patient_age": self.patient_age,
            "patient_sex": self.patient_sex,
            "body_parts": list(self.body_parts),
            "diagnoses": list(self.diagnoses),
            "overall_outcome": self.overall_outcome,
            "decisions": [d.to_dict() for d in self.decisions],
        }
