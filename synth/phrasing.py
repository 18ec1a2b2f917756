"""Small helpers shared by the letter builders: random choice, dates, lists, labels."""
from __future__ import annotations

import datetime as dt
from random import Random
from typing import Sequence, TypeVar

T = TypeVar("T")

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)
# Date styles seen in published letters; each letter picks one for labels and one for prose.
DATE_STYLES = ("m/d/yyyy", "mm/dd/yyyy", "month d, yyyy")


def pick(rng: Random, options: Sequence[T]) -> T:
    return options[rng.randrange(len(options))]


def weighted(rng: Random, table: Sequence[tuple[T, float]]) -> T:
    return rng.choices([item for item, _ in table], weights=[w for _, w in table])[0]


def format_date(day: dt.date, style: str) -> str:
    if style == "m/d/yyyy":
        return f"{day.month}/{day.day}/{day.year}"
    if style == "mm/dd/yyyy":
        return f"{day.month:02d}/{day.day:02d}/{day.year}"
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def join_words(items: Sequence[str], rng: Random) -> str:
    """'a', 'a and b', 'a, b and c' or (Oxford comma) 'a, b, and c'."""
    if len(items) <= 2:
        return " and ".join(items)
    oxford = "," if rng.random() < 0.3 else ""
    return f"{', '.join(items[:-1])}{oxford} and {items[-1]}"


def label(rng: Random, name: str) -> str:
    """A label as letters write it: usually 'Name:', sometimes spaced oddly or without a colon."""
    return weighted(rng, [(f"{name}:", 8), (f"{name} :", 1), (f"{name}:  ", 1), (name, 1)])


def cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]
