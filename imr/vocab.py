"""The word lists in data/vocab/, loaded once. Data lives there, with its provenance, not in code."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from imr.clean import lower_pattern

VOCAB_DIR = Path(__file__).resolve().parent.parent / "data" / "vocab"


def _rows(name: str) -> list[dict[str, str]]:
    with open(VOCAB_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=None)
def us_states() -> dict[str, str]:
    """Lower-cased name or abbreviation -> the state's full name."""
    states: dict[str, str] = {}
    for row in _rows("us_states.csv"):
        for written in (row["name"], row["abbreviation"], *filter(None, row["aliases"].split(";"))):
            states[written.lower()] = row["name"]
    return states


@lru_cache(maxsize=None)
def state_name_pattern() -> re.Pattern[str]:
    """Any state name or alias written out ("Washington, D.C." before "Washington"), line breaks allowed."""
    names = sorted((written for written in us_states() if len(written) > 2), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=None)
def body_part_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(body part, pattern) pairs; the patterns are for ascii_lower text."""
    return tuple((row["body_part"], re.compile(lower_pattern(row["pattern"]))) for row in _rows("body_parts.csv"))


@lru_cache(maxsize=None)
def any_body_part() -> re.Pattern[str]:
    """Where some body part is named: one pass over a text instead of one a part."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in body_part_patterns()))


@lru_cache(maxsize=None)
def specialty_pattern() -> re.Pattern[str]:
    """Any known specialty, '&' and 'and' interchangeable, longest names first."""
    names = sorted((r["specialty"] for r in _rows("specialties.csv")), key=len, reverse=True)
    alternatives = [re.escape(n).replace(r"\ ", r"\s+").replace("\\&", "(?:&|and)").replace("Orthopa", "Orthopa?") for n in names]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=None)
def compound_diagnoses() -> frozenset[str]:
    return frozenset(row["diagnosis"].lower() for row in _rows("compound_diagnoses.csv"))


@lru_cache(maxsize=None)
def category_rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(category, pattern) rules in order; the patterns are for ascii_lower text."""
    return tuple((row["category"], re.compile(lower_pattern(row["pattern"]))) for row in _rows("categories.csv"))


@lru_cache(maxsize=None)
def professions() -> dict[str, str]:
    """Lower-cased licensed profession ("doctor of chiropractic") -> the specialty it stands for."""
    return {row["profession"].lower(): row["specialty"] for row in _rows("professions.csv")}


@lru_cache(maxsize=None)
def reviewer_profession_pattern() -> re.Pattern[str]:
    """"The reviewer ... is a Doctor of Chiropractic": the reviewer's licence named as a profession,
    for ascii_lower text. Only sentences about the reviewer count: a treating chiropractor does not."""
    names = "|".join(sorted((re.escape(p).replace(r"\ ", r"\s+") for p in professions()), key=len, reverse=True))
    return re.compile(rf"\b(?:reviewer|reviewed\s+this\s+(?:case|file))\b[^.]{{0,80}}?\b(?:is|was)\s+an?\s+({names})\b")


def fold(text: str) -> str:
    """Lower case, '&' read as 'and', punctuation and spacing folded: how vocabulary keys compare."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " and ")).strip()


@lru_cache(maxsize=None)
def specialty_groups() -> dict[str, str]:
    """Folded specialty as written -> its canonical group (ABMS specialty or licensed profession)."""
    return {fold(row["written"]): row["group"] for row in _rows("specialty_groups.csv")}


@lru_cache(maxsize=None)
def drug_names() -> dict[str, tuple[str, str]]:
    """Folded brand or generic name -> (generic, drug class)."""
    return {fold(row["name"]): (row["generic"], row["drug_class"]) for row in _rows("drugs.csv")}


@lru_cache(maxsize=None)
def subcategory_rules() -> dict[str, tuple[tuple[str, re.Pattern[str] | None], ...]]:
    """Category -> its (subcategory, keyword pattern on folded text) rules in order; None = no keywords."""
    rules: dict[str, list[tuple[str, re.Pattern[str] | None]]] = {}
    for row in _rows("subcategories.csv"):
        keywords = [fold(k) for k in row["keywords"].split(";") if fold(k)]
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True)) + r")\b") if keywords else None
        rules.setdefault(row["category"], []).append((row["subcategory"], pattern))
    return {category: tuple(rows) for category, rows in rules.items()}
