"""The facts of one synthetic case, before any layout writes them down."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from random import Random

from synth import prose
from synth.citations import write_citation
from synth.people import GENERAL_SPECIALTIES, Patient, Reviewer, make_patient, make_reviewer
from synth.phrasing import pick, weighted
from synth.treatments import CATALOGUE, CATEGORY_WEIGHTS, Treatment

# Share of items overturned by category (DWC: ~10% overall, behavioral and E&M highest).
OVERTURN_RATE = {"Behavioral and mental health": 0.18, "Evaluation and management": 0.2}
DEFAULT_OVERTURN_RATE = 0.09
DECISION_COUNTS = ((1, 55), (2, 25), (3, 12), (4, 8))  # mean ~1.7 items per letter


@dataclass(frozen=True)
class Item:
    """One disputed treatment. `quantity` is shown only by layouts able to write it."""

    treatment: str
    quantity: int | None
    unit: str
    category: str
    outcome: str
    ca_citation: str | None
    reviewer_citation: str
    reasons: tuple[str, ...]  # rationale sentences; the layout adds the concluding one


@dataclass(frozen=True)
class Case:
    layout: str
    case_number: str
    date_of_injury: dt.date
    ur_denial_date: dt.date
    application_received: dt.date
    date_assigned: dt.date
    decision_date: dt.date
    priority: str  # "Standard" | "Expedited", as written
    patient: Patient
    reviewer: Reviewer
    items: tuple[Item, ...]

    @property
    def overall_outcome(self) -> str:
        outcomes = {item.outcome for item in self.items}
        if outcomes == {"upheld"}:
            return "upheld"
        return "overturned" if outcomes == {"overturned"} else "partially overturned"


def _pick_treatments(rng: Random, count: int) -> list[Treatment]:
    chosen: list[Treatment] = []
    while len(chosen) < count:
        category = weighted(rng, CATEGORY_WEIGHTS)
        treatment = pick(rng, [t for t in CATALOGUE if t.category == category])
        if treatment not in chosen:
            chosen.append(treatment)
    return chosen


def _body_parts(rng: Random, treatments: list[Treatment]) -> tuple[list[str], list[str | None]]:
    """Each tied treatment gets one of its parts; untied letters still name 1-3 parts."""
    parts: list[str] = []
    targets: list[str | None] = []
    for treatment in treatments:
        if not treatment.parts:
            targets.append(None)
            continue
        shared = [p for p in treatment.parts if p in parts]
        part = pick(rng, shared) if shared else pick(rng, treatment.parts)
        if part not in parts:
            parts.append(part)
        targets.append(part)
    common = ("low back", "neck", "shoulder", "knee", "wrist", "upper back", "hip", "psyche")
    # Psychiatric claims ride on a physical injury, so at least one physical part is named.
    while all(p == "psyche" for p in parts) or (len(parts) < 3 and rng.random() < 0.45):
        part = weighted(rng, [(p, w) for p, w in zip(common, (10, 7, 5, 4, 2, 2, 1, 1)) if p not in parts])
        parts.append(part)
    return parts, targets


def _reviewer(rng: Random, treatments: list[Treatment]) -> Reviewer:
    fitting = [s for t in treatments for s in t.specialties]
    primary = pick(rng, fitting) if fitting and rng.random() < 0.65 else weighted(rng, GENERAL_SPECIALTIES)
    return make_reviewer(rng, primary, weighted(rng, [(1, 5), (2, 4), (3, 1)]))


def _dates(rng: Random, year: int) -> tuple[dt.date, ...]:
    # Letters of one layout share a year window; keep the UR denial early enough to finish in it.
    ur = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 240))
    injury = ur - dt.timedelta(days=rng.randint(200, 365 * 18))
    received = ur + dt.timedelta(days=rng.randint(4, 35))
    assigned = received + dt.timedelta(days=rng.randint(1, 25))
    decided = assigned + dt.timedelta(days=rng.randint(6, 45))
    return injury, ur, received, assigned, decided


def make_case(rng: Random, layout: str, year: int) -> Case:
    treatments = _pick_treatments(rng, weighted(rng, DECISION_COUNTS))
    parts, targets = _body_parts(rng, treatments)
    patient = make_patient(rng, parts)
    injury, ur, received, assigned, decided = _dates(rng, year)
    items = []
    for treatment, part in zip(treatments, targets):
        overturned = rng.random() < OVERTURN_RATE.get(treatment.category, DEFAULT_OVERTURN_RATE)
        outcome = "overturned" if overturned else "upheld"
        name = treatment.name.format(part=patient.part_words[part]) if part else treatment.name
        quantity = pick(rng, treatment.quantities) if treatment.quantities and rng.random() < 0.75 else None
        ca_source, reviewer_source = pick(rng, treatment.sources), pick(rng, treatment.sources)
        ca = None if rng.random() < 0.12 else write_citation(rng, ca_source, part, year)
        items.append(Item(
            treatment=name, quantity=quantity, unit=treatment.unit, category=treatment.category,
            outcome=outcome, ca_citation=ca,
            reviewer_citation=write_citation(rng, reviewer_source, part, year),
            reasons=prose.rationale_reasons(rng, treatment.family, outcome, patient, part, decided.year - injury.year),
        ))
    return Case(
        layout=layout, case_number=f"CM{received.year % 100:02d}-{rng.randint(0, 9_999_999):07d}",
        date_of_injury=injury, ur_denial_date=ur, application_received=received,
        date_assigned=assigned, decision_date=decided,
        priority="Expedited" if rng.random() < 0.03 else "Standard",
        patient=patient, reviewer=_reviewer(rng, treatments), items=tuple(items),
    )
