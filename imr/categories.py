"""Treatment text -> DWC service category, by the ordered rules in data/vocab/categories.csv."""
from __future__ import annotations

from imr.vocab import category_rules


def categorize(treatment: str) -> str:
    for category, pattern in category_rules():
        if pattern.search(treatment):
            return category
    return "Other"
