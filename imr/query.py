"""Filters <-> URL query parameters, so a link reproduces the view. Pure functions."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields

from imr.corpus import Filters

TEXT_KEY = "text"


def filters_from_params(params: Mapping[str, Sequence[str] | str], options: Mapping[str, Sequence[str]]) -> Filters:
    """Read filters from query params (each key may repeat); values not in `options` are dropped."""
    values: dict[str, object] = {}
    for field in fields(Filters):
        raw = params.get(field.name)
        if raw is None:
            continue
        items = [raw] if isinstance(raw, str) else list(raw)
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
