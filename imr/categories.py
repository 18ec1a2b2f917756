"""Treatment text -> DWC service category, by the rules in data/vocab/categories.csv: the category
whose words come first in the item wins ("Lumbar epidural steroid injection with pain consult" is an
injection; "Pain consultation for an epidural injection" a consultation); rows earlier in the file
win ties (each category's first row counts); the last row is the fallback."""
from __future__ import annotations

from imr.clean import ascii_lower
from imr.vocab import category_rules


def categorize(treatment: str) -> str:
    lowered = ascii_lower(treatment)
    rules = category_rules()
    first = {category: match.start() for category, pattern in rules[:-1] if (match := pattern.search(lowered))}
    if not first:
        return rules[-1][0]
    # A medication given as an injection ("Toradol injection 60mg") is the injection.
    if "Injections" in first and "Pharmaceuticals" in first:
        del first["Pharmaceuticals"]
    order = {category: index for index, (category, _) in enumerate(rules)}
    return min(first, key=lambda category: (first[category], order[category]))
