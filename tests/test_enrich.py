"""What each decision is about (imr.enrich): against the reading of the real letters and of the
hand-written sets, and on the forms the vocabularies must handle."""
from __future__ import annotations

import glob
import json
from pathlib import Path

import pytest

import imr
from imr.enrich import find_drug, reviewer_specialty_groups, strength, subcategory
from imr.vocab import fold, specialty_groups
from real_accuracy import MISSING_REASON, REAL_LETTERS, available, score_derived, truths

FIXTURES = Path(__file__).parent / "fixtures"
REQUIRED = 0.97  # the bar for region treated, subcategory and drug


def _fixture_pairs() -> list[tuple[dict, dict]]:
    pairs = []
    for path in sorted(FIXTURES.glob("*/*.truth.json")):
        stem = path.name.removesuffix(".truth.json")
        letter = next(p for p in (path.with_name(f"{stem}.txt"), path.with_name(f"{stem}.pdf")) if p.exists())
        pairs.append((imr.parse_file(letter).to_dict(), {**json.loads(path.read_text()), "file": letter.name}))
    return pairs


@pytest.mark.parametrize("name", ("subcategory", "body_region", "drug"))
def test_derived_fields_on_hand_written_letters(name):
    scores = score_derived(_fixture_pairs())
    assert scores.accuracy(name) >= REQUIRED, scores.misses[name]


@pytest.mark.skipif(not available(), reason=MISSING_REASON)
@pytest.mark.parametrize("name", ("subcategory", "body_region", "drug"))
def test_derived_fields_on_real_letters(name):
    pairs = [(imr.parse_file(REAL_LETTERS / truth["file"]).to_dict(), truth) for truth in truths()]
    scores = score_derived(pairs)
    assert scores.accuracy(name) >= REQUIRED, scores.misses[name]


def test_every_specialty_spelling_seen_has_a_group():
    files = glob.glob(str(Path(__file__).parent / "real_letters" / "truth" / "*.json")) + glob.glob(str(FIXTURES / "*" / "*.truth.json"))
    spellings = {written for path in files for written in json.loads(Path(path).read_text())["reviewer_specialties"]}
    assert len(spellings) > 30
    assert sorted(s for s in spellings if fold(s) not in specialty_groups()) == []


def test_specialty_groups_fold_spellings_and_keep_order():
    written = ["Pain Management", "Physical Medicine & Rehabilitation", "Physical Medicine and Rehabilitation", "Orthopedic Surgery",
               "Orthopaedic Surgery", "Pain Medicine"]
    assert reviewer_specialty_groups(written) == ["Pain Medicine", "Physical Medicine and Rehabilitation", "Orthopaedic Surgery"]
    assert reviewer_specialty_groups(["Underwater Basket Weaving"]) == ["Underwater Basket Weaving"]  # unknown: kept as written


@pytest.mark.parametrize("treatment, drug, drug_class", [
    ("Norco 10/325mg #60", "hydrocodone/acetaminophen", "opioids"),
    ("Hydrocodone/APAP 10/325mg", "hydrocodone/acetaminophen", "opioids"),
    ("Retrospective injection of lidocaine and dexamethasone to the knee", "lidocaine/dexamethasone", None),
    ("Compounded topical cream (flurbiprofen/lidocaine)", "flurbiprofen/lidocaine", None),
    ("MRI of the lumbar spine", None, None),
])
def test_drugs_by_generic_name(treatment, drug, drug_class):
    found = find_drug(treatment)
    assert (found[0] if found else None) == drug
    assert drug_class is None or found[1] == drug_class


def test_strength_as_written_and_percent_means_topical():
    assert strength("Norco 10/325mg #60") == "10/325mg"
    assert strength("Cyclobenzaprine 7.5 mg") == "7.5 mg"
    assert subcategory("Pharmaceuticals", "Diclofenac sodium 3% 300mg/g", "nsaids") == "topical/compounded"
    assert subcategory("Pharmaceuticals", "Diclofenac sodium ER 100mg", "nsaids") == "nsaids"
    assert subcategory("Diagnostic testing", "EMG/NCV of the bilateral upper extremities", None) == "EMG/NCS"
