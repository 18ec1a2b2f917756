"""Filters, the open view and the open letter <-> URL query parameters, so a link reproduces the view
(`?view=letter&case=CM15-0000001&item=2`). Pure functions."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import fields

import pandas as pd

from imr.corpus import CITED_BY, SEARCH_IN, Filters

TEXT_KEY = "text"
# One-value settings that qualify a filter: their allowed values; the default stays out of the URL.
CHOICES = {"cited_by": CITED_BY, "search_in": SEARCH_IN}
VIEW_KEY = "view"
VIEWS = ("Overview", "Decisions", "Letter", "Citations", "Charts", "Reasons", "Files")
DEFAULT_VIEW = VIEWS[0]
# The open letter: its case number when that names one letter, else its file name; the item is 1-based.
CASE_KEY, FILE_KEY, ITEM_KEY = "case", "file", "item"
# The passage marked in the letter when it is not the item's outcome: an item's field ("rationale") or a
# letter's ("decision_date").
MARK_KEY = "mark"
_FIELD_NAME = re.compile(r"[a-z_]{1,40}")


def _items(raw: Sequence[str] | str) -> list[str]:
    return [raw] if isinstance(raw, str) else list(raw)


def filters_from_params(params: Mapping[str, Sequence[str] | str], options: Mapping[str, Sequence[str]]) -> Filters:
    """Read filters from query params (each key may repeat); values not in `options` are dropped."""
    values: dict[str, object] = {}
    for field in fields(Filters):
        raw = params.get(field.name)
        if raw is None:
            continue
        items = _items(raw)
        if field.name == TEXT_KEY:
            values[TEXT_KEY] = items[0] if items else ""
        elif field.name in CHOICES:
            if items and items[0] in CHOICES[field.name]:
                values[field.name] = items[0]
        else:
            allowed = options.get(field.name, ())
            values[field.name] = tuple(item for item in items if item in allowed)
    return Filters(**values)  # type: ignore[arg-type]


def params_from_filters(filters: Filters) -> dict[str, list[str]]:
    """Only the constraints that are set, so an unfiltered view has a clean URL."""
    params: dict[str, list[str]] = {}
    for field in fields(Filters):
        value = getattr(filters, field.name)
        if field.name == TEXT_KEY:
            if value:
                params[TEXT_KEY] = [value]
        elif field.name in CHOICES:
            if value != field.default:
                params[field.name] = [value]
        elif value:
            params[field.name] = list(value)
    return params


def view_from_params(params: Mapping[str, Sequence[str] | str]) -> str:
    """The view named by `?view=charts` (any letter case); a missing or unknown name gives Overview."""
    items = _items(params.get(VIEW_KEY, ()))
    wanted = items[0].strip().lower() if items else ""
    return next((view for view in VIEWS if view.lower() == wanted), DEFAULT_VIEW)


def params_from_state(filters: Filters, view: str, letter: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """The whole URL state: the view (left out when it is Overview), the open letter in the Letter
    view (`letter_params`), then the filters."""
    params = {VIEW_KEY: [view.lower()]} if view != DEFAULT_VIEW else {}
    if view == "Letter" and letter:
        params |= letter
    return params | params_from_filters(filters)


def letter_params(letters: pd.DataFrame, letter_id: int, item: int | None, mark: str | None = None) -> dict[str, list[str]]:
    """How a link names a letter of the `letters` frame: `case` when no other file shares its case
    number, `file` otherwise; `item` is the 1-based decision; `mark` the marked field when it is not
    the item's outcome."""
    row = letters.loc[letters["letter_id"] == letter_id].iloc[0]
    case = row["case_number"]
    unique_case = isinstance(case, str) and bool(case) and int((letters["case_number"] == case).sum()) == 1
    return link_params(case, row["file"], unique_case, item, mark)


def link_params(case: str | None, file: str, unique_case: bool, item: int | None, mark: str | None = None) -> dict[str, list[str]]:
    """A letter's link from its case number (used when `unique_case`) or file, item and marked field."""
    params = {CASE_KEY: [case]} if unique_case and case else {FILE_KEY: [str(file)]}
    params |= {ITEM_KEY: [str(item)]} if item else {}
    return params | ({MARK_KEY: [mark]} if mark and mark != "outcome" else {})


def mark_from_params(params: Mapping[str, Sequence[str] | str]) -> str | None:
    """The field a link marks (a plain field name; anything else is ignored)."""
    items = _items(params.get(MARK_KEY, ()))
    return items[0] if items and _FIELD_NAME.fullmatch(items[0]) else None


def letter_from_params(params: Mapping[str, Sequence[str] | str], letters: pd.DataFrame) -> tuple[int | None, int | None]:
    """(letter_id, 1-based item) a link names; (None, None) when it names no letter of `letters`.
    An item outside the letter's decisions is dropped."""
    case, file = linked_letter(params)
    if case:
        match = letters[letters["case_number"] == case]
    elif file:
        match = letters[letters["file"] == file]
    else:
        return None, None
    if match.empty:
        return None, None
    row = match.iloc[0]
    return int(row["letter_id"]), linked_item(params, int(row["decisions"]))


def linked_letter(params: Mapping[str, Sequence[str] | str]) -> tuple[str | None, str | None]:
    """(case number, file) a link names its letter by (either may be None)."""
    return _first(params, CASE_KEY), _first(params, FILE_KEY)


def linked_item(params: Mapping[str, Sequence[str] | str], decisions: int) -> int | None:
    """The 1-based item a link names, when the letter has it."""
    raw_item = _first(params, ITEM_KEY) or ""
    return int(raw_item) if raw_item.isdigit() and 1 <= int(raw_item) <= decisions else None


def _first(params: Mapping[str, Sequence[str] | str], key: str) -> str | None:
    items = _items(params.get(key, ()))
    return items[0] if items else None
