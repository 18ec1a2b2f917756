"""Faceted filtering, as Datasette does it: each filter's options with their counts under all the *other*
active filters, the active filters as removable chips, and, for an empty result, which filter emptied it.

Pure functions of the decisions frame and a `Filters`; the app only draws what they return.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from imr.corpus import (
    AGE_BANDS, CITED_BY, CORPUS, LIMIT_ORDER, DEMO, FILTER_COLUMNS, LIST_COLUMNS, QUALIFIERS, SEARCH_ITEMS, SEARCH_LETTERS, UNKNOWN, UPLOADED,
    Filters, combined, filter_column, filter_masks,
)
from imr.search import parse_search

LABELS = {
    "corpus": "Letters from", "outcome": "Outcome", "category": "Service category", "subcategory": "Subcategory",
    "drug": "Drug", "reason": "Reason given", "limit": "Guideline limit", "source": "Guideline source",
    "section": "Guideline section", "specialty": "Reviewer specialty group", "state": "Reviewer licensure state",
    "year": "Decision year", "body_part": "Injured body part", "body_region": "Region treated",
    "age_band": "Age band", "sex": "Sex", "text": "Search", "cited_by": "Cited by", "search_in": "Search in",
}
VALUE_LABELS = {
    "corpus": {UPLOADED: "your uploaded letters", DEMO: "synthetic demo letters", CORPUS: "the opened corpus"},
    "cited_by": {"either": "either side", "reviewer": "the reviewer", "claims_administrator": "the claims administrator"},
    "search_in": {SEARCH_ITEMS: "each item", SEARCH_LETTERS: "whole letters"},
    "reason": {
        "no_functional_improvement": "no functional improvement", "exceeds_guideline_quantity": "more than the guideline allows",
        "duration_exceeded": "duration exceeded", "not_recommended": "not recommended",
        "indications_not_documented": "indications not documented", "opioid_monitoring": "opioid monitoring missing",
        "request_incomplete": "request incomplete", "depends_on_denied_item": "depends on a denied item",
        "criteria_met": "criteria met", "other": "other reason",
    },
}
NATURAL_ORDER = {"age_band": AGE_BANDS, "corpus": (UPLOADED, CORPUS, DEMO), "cited_by": CITED_BY, "limit": LIMIT_ORDER}


def value_label(name: str, value: str) -> str:
    return VALUE_LABELS.get(name, {}).get(value, value)


@dataclass(frozen=True)
class Facet:
    name: str
    options: list[str]  # values with a decision under the other filters, plus any chosen value
    counts: dict[str, int]  # decisions per value under the other filters

    def label(self, value: str) -> str:
        """"Pharmaceuticals (1,204)": the count the result would have with this value added."""
        return f"{value_label(self.name, value)} ({self.counts.get(value, 0):,})"


@dataclass(frozen=True)
class Chip:
    name: str
    value: str  # one chosen value ("" for the search text)
    text: str  # "Outcome: overturned"


def _counts(decisions: pd.DataFrame, column: str) -> dict[str, int]:
    """Decisions per value; a list cell counts once per distinct item, an empty one as "unknown"."""
    values = decisions[column]
    if column in LIST_COLUMNS:
        items = values.explode().fillna(UNKNOWN).astype(str)
        pairs = pd.DataFrame({"row": items.index, "value": items.to_numpy()}).drop_duplicates()
        values = pairs["value"]
    counts = values.dropna().astype(str).value_counts()
    return {str(value): int(count) for value, count in counts.items()}


def ordered(name: str, counts: dict[str, int], chosen: tuple[str, ...]) -> list[str]:
    values = set(counts) | set(chosen)
    if name in NATURAL_ORDER:
        order = NATURAL_ORDER[name]
        return sorted(values, key=lambda v: (order.index(v) if v in order else len(order), v))
    if name == "year":
        return sorted(values)
    return sorted(values, key=lambda v: (-counts.get(v, 0), v))  # largest first, as Datasette lists them


def facets(decisions: pd.DataFrame, filters: Filters) -> dict[str, Facet]:
    """Every filter's facet: counts under all the other active filters (so the lists narrow as filters
    apply, and each count is what the result would hold with that value chosen alone)."""
    masks = filter_masks(decisions, filters)
    result: dict[str, Facet] = {}
    for name in FILTER_COLUMNS:
        others = combined(decisions, (mask for other, mask in masks.items() if other != name))
        column = filter_column(name, filters)
        counts = _counts(decisions.loc[others, [column]], column)  # one column taken, not the frame
        chosen = getattr(filters, name)
        result[name] = Facet(name, ordered(name, counts, chosen), dict(counts))
    return result


def _search_text(filters: Filters) -> str:
    where = " (whole letters)" if filters.search_in == SEARCH_LETTERS else ""
    return f"{parse_search(filters.text).describe()}{where}"


def chips(filters: Filters) -> list[Chip]:
    """One chip per chosen value, in the sidebar's order; the search is one chip."""
    result: list[Chip] = []
    for name in LABELS:
        if name in QUALIFIERS:
            continue
        if name == "text":
            if not parse_search(filters.text).is_empty:
                result.append(Chip("text", "", f"{LABELS['text']}: {_search_text(filters)}"))
            continue
        for value in getattr(filters, name):
            result.append(Chip(name, value, f"{LABELS[name]}: {value_label(name, value)}"))
    return result


def without(filters: Filters, name: str, value: str = "") -> Filters:
    """The filters with one chosen value (or the search text) removed."""
    if name == "text":
        return replace(filters, text="")
    return replace(filters, **{name: tuple(v for v in getattr(filters, name) if v != value)})


def described(filters: Filters) -> list[tuple[str, str]]:
    """(filter, values) for each active filter, for captions, exports and the Excel filters sheet."""
    rows = []
    for name in LABELS:
        if name in QUALIFIERS or name == "text":
            continue
        values = getattr(filters, name)
        if values:
            qualifier = f" (cited by {value_label('cited_by', filters.cited_by)})" \
                if name in ("source", "section") and filters.cited_by != CITED_BY[0] else ""
            rows.append((f"{LABELS[name]}{qualifier}", ", ".join(value_label(name, v) for v in values)))
    if not parse_search(filters.text).is_empty:
        rows.append((LABELS["text"], _search_text(filters)))
    return rows


def describe(filters: Filters) -> str:
    """The active filters in one line, for captions under charts."""
    return "; ".join(f"{name}: {values}" for name, values in described(filters)) or "none"


def what_emptied(decisions: pd.DataFrame, filters: Filters) -> list[tuple[str, int]]:
    """For an empty result: each active filter whose removal alone brings decisions back, with how many,
    largest first. Empty when no single filter is to blame (or the corpus holds no decisions)."""
    masks = filter_masks(decisions, filters)
    found = []
    for name in masks:
        count = int(combined(decisions, (mask for other, mask in masks.items() if other != name)).sum())
        if count:
            found.append((name, count))
    return sorted(found, key=lambda item: -item[1])
