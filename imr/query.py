"""Filters and the open view <-> URL query parameters, so a link reproduces the view. Pure functions."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields

from imr.corpus import Filters

TEXT_KEY = "text"
VIEW_KEY = "view"
VIEWS = ("Overview", "Decisions", "Letter", "Citations", "Charts", "Files")
DEFAULT_VIEW = VIEWS[0]


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
        elif value:
            params[field.name] = list(value)
    return params


def view_from_params(params: Mapping[str, Sequence[str] | str]) -> str:
    """The view named by `?view=charts` (any letter case); a missing or unknown name gives Overview."""
    items = _items(params.get(VIEW_KEY, ()))
    wanted = items[0].strip().lower() if items else ""
    return next((view for view in VIEWS if view.lower() == wanted), DEFAULT_VIEW)


def params_from_state(filters: Filters, view: str) -> dict[str, list[str]]:
    """The whole URL state: the view (left out when it is Overview) followed by the filters."""
    params = {VIEW_KEY: [view.lower()]} if view != DEFAULT_VIEW else {}
    return params | params_from_filters(filters)
