"""Record -> derived fields: what each decision is about (the region treated, the subcategory, the
drug and its strength), why it was decided (reason tags, the guideline limit it was measured against)
and the reviewer's canonical specialty groups. Vocabularies are in data/vocab/
(specialty_groups.csv, drugs.csv, subcategories.csv) with their provenance."""
from __future__ import annotations

import re

from imr.fields import find_body_parts
from imr.guideline_limits import measure
from imr.models import Letter
from imr.reasons import find_reasons, item_words
from imr.vocab import drug_names, fold, specialty_groups, subcategory_rules

OTHER = "other"
PSYCHE, BEHAVIORAL = "psyche", "Behavioral and mental health"
# Vocabulary rows that name a kind of product, not a drug: a named drug beside them wins.
PLACEHOLDER_GENERICS = {"compounded medication"}
DRUG_CATEGORIES = ("Pharmaceuticals", "Injections")
MAX_DRUG_NAME_WORDS = 6
TOPICAL = "topical/compounded"
# "10/325mg", "7.5 mg", "5%", "25mg/ml", "4%-27.5%-0.0325%": as written.
_STRENGTH = re.compile(
    r"\d+(?:\.\d+)?(?:\s?(?:mg|mcg|g|gm|%|ml|units?|iu)\b|%)?(?:\s?[/-]\s?\d+(?:\.\d+)?)*\s?(?:mg|mcg|gm|g|%|ml|units?|iu)(?:\s?/\s?(?:ml|g|hr|h|tab))?\b|\d+(?:\.\d+)?%",
    re.IGNORECASE)


def reviewer_specialty_groups(specialties: list[str]) -> list[str]:
    """Canonical groups of the specialties as written, in order, each once; a spelling the vocabulary
    does not know is kept as written (so nothing silently disappears from a filter)."""
    groups = specialty_groups()
    return list(dict.fromkeys(groups.get(fold(written), written) for written in specialties))


def body_region(treatment: str, category: str) -> str | None:
    """The body region an item is aimed at: the first one its words name; a behavioral health item
    (psychotherapy, psychological testing) is aimed at the psyche."""
    found = find_body_parts(treatment)
    if found:
        return found[0].value
    return PSYCHE if category == BEHAVIORAL else None


def find_drug(treatment: str) -> tuple[str, str] | None:
    """(generic name(s), drug class) of what an item names: several drugs named apart are joined
    by "/" like a combination product ("lidocaine/dexamethasone"); the class is the first drug's."""
    found = [drug_names()[name] for name in _drug_names_in(fold(treatment))]
    specific = [drug for drug in found if drug[0] not in PLACEHOLDER_GENERICS] or found
    if not specific:
        return None
    generics = list(dict.fromkeys(part for generic, _ in specific for part in generic.split("/")))
    return "/".join(generics), specific[0][1]


def _drug_names_in(folded: str) -> list[str]:
    """Names from the drug vocabulary in folded text, left to right, the longest at each word: a
    dictionary lookup of word runs (a regex of 500 alternatives costs far more per item)."""
    words, names, index = folded.split(), drug_names(), 0
    found = []
    while index < len(words):
        for length in range(min(MAX_DRUG_NAME_WORDS, len(words) - index), 0, -1):
            candidate = " ".join(words[index: index + length])
            if candidate in names:
                found.append(candidate)
                index += length
                break
        else:
            index += 1
    return found


def strength(treatment: str) -> str | None:
    match = _STRENGTH.search(treatment)
    return match.group(0).strip() if match else None


def subcategory(category: str, treatment: str, drug_class: str | None) -> str:
    """A fixed subcategory of the item's DWC category: for medications the drug's class (a topical or
    compounded form first), otherwise the first keyword rule of the category that matches."""
    folded = fold(treatment)
    rules = subcategory_rules().get(category, ())
    # A strength in percent is a topical's (tablets are dosed in mg): "Diclofenac sodium 3%".
    if category == "Pharmaceuticals" and drug_class != "opioids" and "%" in treatment:
        return TOPICAL
    for name, pattern in rules:
        if category == "Pharmaceuticals" and drug_class and name == drug_class:
            return name
        if pattern is not None and pattern.search(folded):
            return name
    return drug_class or OTHER if category == "Pharmaceuticals" else OTHER


def enrich(letter: Letter) -> None:
    """Fill the derived fields of a parsed letter in place."""
    letter.reviewer_specialty_groups = reviewer_specialty_groups(letter.reviewer_specialties)
    if "reviewer_specialties" in letter.evidence:
        letter.evidence["reviewer_specialty_groups"] = letter.evidence["reviewer_specialties"]
    for index, decision in enumerate(letter.decisions):
        # What is derived from the item's words is shown, in the Letter view, on those words.
        treatment_span = letter.evidence.get(f"decisions[{index}].treatment")
        if treatment_span:
            for name in ("subcategory", "body_region", "drug", "strength"):
                letter.evidence[f"decisions[{index}].{name}"] = treatment_span
        drug = find_drug(decision.treatment) if decision.category in DRUG_CATEGORIES else None
        decision.drug = drug[0] if drug else None
        decision.strength = strength(decision.treatment) if drug else None
        decision.body_region = body_region(decision.treatment, decision.category)
        decision.subcategory = subcategory(decision.category, decision.treatment, drug[1] if drug else None)
        decision.guideline_limit, decision.prior_quantity, decision.over_limit = measure(
            decision.rationale, decision.category, decision.outcome, decision.quantity, decision.treatment)
        decision.reasons = find_reasons(decision.rationale, decision.outcome, decision.category, decision.subcategory,
                                        decision.guideline_limit, decision.over_limit, item_words(decision.treatment, decision.drug))
