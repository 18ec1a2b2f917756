"""The grids people read: corpus frames -> tables with human column names, lists joined, missing values
blank (never "nan"), dates as dates. The app shows these and exports the same rows."""
from __future__ import annotations

from typing import Any

import pandas as pd

from imr.facets import value_label

# (frame column, heading) in display order.
DECISION_COLUMNS = (
    ("case_number", "Case number"), ("item", "Item"), ("treatment", "Treatment"), ("quantity", "Quantity"),
    ("outcome", "Outcome"), ("category", "Service category"), ("subcategory", "Subcategory"), ("drug", "Drug"),
    ("body_region", "Region treated"), ("reason_tags", "Reasons given"), ("guideline_limit", "Guideline limit"),
    ("ur_action", "UR action"), ("original_request", "Original request"), ("authorized_portion", "Authorized portion"),
    ("decision_date", "Decision date"), ("reviewer_specialty_groups", "Reviewer specialty"),
    ("reviewer_licensure", "Reviewer licensure"), ("sections", "Guideline sections cited"), ("age_band", "Age band"),
    ("patient_sex", "Sex"), ("body_parts", "Injured body parts"), ("days_ur_to_decision", "Days from UR denial"),
    ("origin", "Letters from"), ("file", "File"), ("rationale", "Rationale"),
)
LETTER_COLUMNS = (
    ("file", "File"), ("origin", "Letters from"), ("status", "Status"), ("error", "Error"), ("warnings", "Warnings"),
    ("layout", "Layout"), ("case_number", "Case number"), ("decision_date", "Decision date"), ("decisions", "Decisions"),
    ("duplicate_file", "Same content as another file"), ("duplicate_case", "Case number shared"), ("pages", "Pages"),
    ("sha256", "SHA-256"),
)
CITATION_COLUMNS = (
    ("file", "File"), ("treatment", "Treatment"), ("outcome", "Outcome"), ("role", "Cited by"), ("source", "Source"),
    ("cited", "Section"), ("chapter", "Chapter"), ("year", "Year"), ("pages", "Pages"), ("score", "Match score"),
    ("text", "Citation as written"),
)
DATE_COLUMNS = {"decision_date"}
NUMBER_COLUMNS = {"quantity", "days_ur_to_decision", "decisions", "pages", "score", "year"}
_ROLE_LABELS = {"reviewer": "reviewer", "claims_administrator": "claims administrator"}


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return value


def _table(frame: pd.DataFrame, columns: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    table = pd.DataFrame(index=frame.index)
    for column, heading in columns:
        values = frame[column]
        if column in DATE_COLUMNS:
            table[heading] = pd.to_datetime(values, errors="coerce", format="ISO8601").dt.date
        elif column in NUMBER_COLUMNS:
            numbers = pd.to_numeric(values, errors="coerce")
            whole = numbers.dropna().eq(numbers.dropna().round()).all()
            table[heading] = numbers.round().astype("Int64") if whole else numbers
        elif values.dtype == bool:
            table[heading] = values.map({True: "yes", False: "no"})
        else:
            table[heading] = values.map(_cell).astype(str)
    return table.reset_index(drop=True)


def decisions_table(decisions: pd.DataFrame) -> pd.DataFrame:
    """One row per decision, items numbered from 1 as the Letter view numbers them."""
    frame = decisions.assign(
        item=decisions["decision_index"] + 1,
        reason_tags=decisions["reason_tags"].map(lambda tags: [value_label("reason", t) for t in tags or []]),
        origin=decisions["origin"].map(lambda o: value_label("corpus", o)),
    )
    table = _table(frame, DECISION_COLUMNS)
    table["Item"] = table["Item"].astype("Int64")
    return table


def letters_table(letters: pd.DataFrame) -> pd.DataFrame:
    return _table(letters.assign(origin=letters["origin"].map(lambda o: value_label("corpus", o))), LETTER_COLUMNS)


def citations_table(citations: pd.DataFrame) -> pd.DataFrame:
    """With a "Matched" column when the citations were judged at a threshold (`export.citations_with_threshold`)."""
    columns = CITATION_COLUMNS + ((("matched", "Matched"),) if "matched" in citations else ())
    return _table(citations.assign(role=citations["role"].map(lambda r: _ROLE_LABELS.get(r, r))), columns)


def citation_groups_table(groups: pd.DataFrame) -> pd.DataFrame:
    """`corpus.citation_groups` (or its SQL twin) with the column names people read."""
    return groups.rename(columns={"group": "Source", "claims_administrator": "Claims administrator",
                                  "reviewer": "Reviewer", "total": "Total"})


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """The grid's copy of a table: whole-number columns as "1,204" text with blanks where unknown (a grid
    shows a missing number as "None"); exports keep the numbers."""
    shown = table.copy()
    for column in shown.columns:
        if str(shown[column].dtype) == "Int64" and shown[column].isna().any():
            shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else f"{int(v):,}")
    return shown


def blank(value: Any) -> str:
    """A cell as text, "" when missing (pandas gives NaN for a missing string, and NaN is truthy)."""
    return "" if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) else str(value)


def letter_label(row: Any) -> str:
    """"CM15-0000001 · a.pdf · ok" for a letters-frame row; "no case number" when it has none."""
    return f"{blank(row['case_number']) or 'no case number'} · {blank(row['file'])} · {blank(row['status'])}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """"1 decision", "1,204 decisions"."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def percent(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.1%}"
