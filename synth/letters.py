"""Synthetic IMR letters with known truth: one call builds the case, the layout and the typesetting."""
from __future__ import annotations

from dataclasses import dataclass, field
from random import Random
from typing import Any

from synth import render
from synth.blocks import Block, RenderStyle
from synth.case import make_case
from synth.layouts import LAYOUTS
from synth.phrasing import pick, weighted

LAYOUT_IDS = tuple(LAYOUTS)
# Years in which each layout was published (the case number's CMyy follows the year).
LAYOUT_YEARS: dict[str, tuple[int, ...]] = {
    "notice_2013": (2013,),
    "professional_review": (2013, 2014),
    "maximus_2014": (2014,),
    "determination": tuple(range(2015, 2025)),
}
TRUTH_KEYS = (
    "layout", "case_number", "date_of_injury", "ur_denial_date", "application_received",
    "date_assigned", "decision_date", "priority", "reviewer_licensure", "reviewer_specialties",
    "patient_age", "patient_sex", "body_parts", "diagnoses", "overall_outcome", "decisions",
)


@dataclass(frozen=True)
class SyntheticLetter:
    name: str  # file stem, e.g. "007_CM16-0123456"
    truth: dict[str, Any]
    blocks: tuple[Block, ...] = field(repr=False)
    style: RenderStyle = field(repr=False)

    def pdf_bytes(self) -> bytes:
        return render.render_pdf(self)

    def text(self) -> str:
        return render.render_text(self)


def _style(rng: Random, case_number: str) -> RenderStyle:
    header = pick(rng, (case_number, f"Case Number: {case_number}", f"IMR Case Number {case_number}",
                        f"{case_number}  Final Determination Letter"))
    return RenderStyle(
        font=pick(rng, ("helvetica", "times", "courier")),
        size=pick(rng, (9.0, 10.0, 10.5, 11.0, 12.0)),
        margin_mm=pick(rng, (15.0, 20.0, 25.0)),
        align=pick(rng, ("J", "L")),
        header=header,
        footer=weighted(rng, [("Page {n} of {m}", 4), ("Page {n}", 1), ("Page {n} of {m}  ", 1)]),
        line_factor=pick(rng, (1.25, 1.4, 1.6)),
    )


def build_letter(rng: Random, layout: str, year: int | None = None, prefix: str = "") -> SyntheticLetter:
    """One letter of `layout`; its name is `prefix` + case number."""
    year = year if year is not None else pick(rng, LAYOUT_YEARS[layout])
    case = make_case(rng, layout, year)
    written = LAYOUTS[layout](rng, case)
    return SyntheticLetter(
        name=f"{prefix}{case.case_number}", truth=written.truth, blocks=tuple(written.blocks),
        style=_style(rng, case.case_number),
    )


def generate(n: int, seed: int, layouts: list[str] | None = None) -> list[SyntheticLetter]:
    """`n` letters, cycling through `layouts` (default all four); identical for the same seed."""
    chosen = layouts or list(LAYOUT_IDS)
    unknown = set(chosen) - set(LAYOUT_IDS)
    if unknown:
        raise ValueError(f"unknown layouts: {sorted(unknown)}; known: {LAYOUT_IDS}")
    # String seeds hash stably (sha512), independent of PYTHONHASHSEED.
    return [build_letter(Random(f"{seed}-{index}"), chosen[index % len(chosen)], prefix=f"{index:03d}_")
            for index in range(n)]
