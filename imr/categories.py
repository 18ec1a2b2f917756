"""Treatment text -> DWC service category, by the ordered rules in data/vocab/categories.csv."""
from __future__ import annotations

from imr.clean import ascii_lower
from imr.vocab import category_rules


def categorize(treatment: str) -> str:
    lowered = ascii_lower(treatment)
    for category, pattern in category_rules():
        if pattern.search(lowered):
            return category
    return "Other"
