"""Guideline catalogue integrity and citation matching accuracy."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from imr.catalogue import KINDS
from imr.citations import MATCH_THRESHOLD, SOURCES, find_citations, load_catalogue, match_citation
from imr.models import Citation

LABELED = Path(__file__).parent / "data" / "citations_labeled.csv"
MIN_ACCURACY = 0.97


def _row_section(citation: Citation) -> str | None:
    """The catalogue section a citation was matched to; a chapter or guideline cited whole names its row."""
    rows = {e.id: e for e in load_catalogue()}
    return rows[citation.catalogue_id].section if citation.catalogue_id else citation.section


def _labeled() -> list[dict[str, str]]:
    with LABELED.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_labeled_set_is_large_enough() -> None:
    rows = _labeled()
    assert len(rows) >= 200
    assert sum(1 for r in rows if not r["expected_source"]) >= 20
    assert {r["expected_source"] for r in rows} >= set(SOURCES)


def test_top1_accuracy_on_labeled_citations() -> None:
    citations = [r for r in _labeled() if r["expected_source"]]
    misses = []
    for row in citations:
        got = match_citation(row["text"])
        if (got.source, _row_section(got)) != (row["expected_source"], row["expected_section"]):
            misses.append(f"{row['text']!r}: expected {row['expected_source']}/{row['expected_section']}, got {got.source}/{_row_section(got)} ({got.score})")
    accuracy = 1 - len(misses) / len(citations)
    print(f"top-1 accuracy {accuracy:.3f} over {len(citations)} citations; misses:", *misses, sep="\n  ")
    assert accuracy >= MIN_ACCURACY


def test_non_citations_come_back_unmatched() -> None:
    for row in (r for r in _labeled() if not r["expected_source"]):
        got = match_citation(row["text"])
        assert (got.source, got.section) == (None, None), row["text"]
        assert got.text == row["text"]
        assert all(c.source is None for c in find_citations(row["text"], "reviewer")), row["text"]


@pytest.mark.parametrize("text", [None, "", "   ", "The claims administrator did not cite any guidelines", "No guidelines cited"])
def test_find_citations_is_empty_when_nothing_is_cited(text: str | None) -> None:
    assert find_citations(text, "claims_administrator") == []


def test_seed_letter_citations() -> None:
    ca = find_citations("MTUS Chronic Pain Treatment Guidelines Physical medicine and physical therapy Page(s): 98-99.", "claims_administrator")
    reviewer = find_citations("MTUS Chronic Pain Treatment Guidelines Massage therapy, p60 Page(s): 60.", "reviewer")
    assert [(c.role, c.source, c.section, c.pages) for c in ca] == [("claims_administrator", "CPMTG", "Physical medicine", "98-99")]
    assert [(c.role, c.source, c.section, c.pages) for c in reviewer] == [("reviewer", "CPMTG", "Massage therapy", "60")]
    assert ca[0].score >= MATCH_THRESHOLD and reviewer[0].score >= MATCH_THRESHOLD


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MTUS Chronic Pain Medical Treatment Guidelines Opioids Page(s): 74-96; ODG Pain Chapter, Urine drug testing",
         [("CPMTG", "Opioids"), ("ODG", "Pain (Chronic): Urine drug testing (UDT)")]),
        ("MTUS Chronic Pain Medical Treatment Guidelines, Topical analgesics pp. 111-113 and ODG Pain, Compound drugs",
         [("CPMTG", "Topical analgesics"), ("ODG", "Pain (Chronic): Compound drugs")]),
        ("MTUS ACOEM Chapter 12 Low Back Complaints, MRI, pages 303-305, ODG Low Back, MRIs (magnetic resonance imaging)",
         [("ACOEM", "Low Back Complaints: Special Studies"), ("ODG", "Low Back - Lumbar & Thoracic: MRIs (magnetic resonance imaging)")]),
        # A topic several ODG chapters hold, named with no chapter: ODG as a whole, not a guessed chapter.
        ("Decision based on CA MTUS and ODG, Gym memberships", [("ODG", "Treatment in Workers' Comp (TWC)")]),
        ("Non-MTUS Citation Official Disability Guidelines (ODG) MRI hand", [("ODG", "Forearm, Wrist, & Hand: MRI's (magnetic resonance imaging)")]),
    ],
)
def test_multi_citation_texts_are_split(text: str, expected: list[tuple[str, str]]) -> None:
    found = find_citations(text, "reviewer")
    assert [(c.source, _row_section(c)) for c in found] == expected
    assert all(c.text and c.text in text for c in found)


def test_pages_are_parsed_in_letter_styles() -> None:
    for text, pages in [("p60", "60"), ("Page(s): 98-99", "98-99"), ("pages 74-96", "74-96"), ("pp. 111-113", "111-113"), ("page 60", "60")]:
        assert match_citation(f"MTUS Chronic Pain Medical Treatment Guidelines {text}").pages == pages


def test_stated_pages_break_a_tie() -> None:
    # "Physical therapy" is both a CPMTG and an ODG-style topic; within CPMTG "manipulation" vs
    # "physical medicine" is decided by the pages alone for an ambiguous text.
    assert match_citation("MTUS Chronic Pain Medical Treatment Guidelines, therapy, pages 98-99").section == "Physical medicine"
    assert match_citation("MTUS Chronic Pain Medical Treatment Guidelines, therapy, pages 58-60").section == "Manual therapy & manipulation"


def test_catalogue_integrity() -> None:
    entries = load_catalogue()
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids))
    assert {e.source for e in entries} == set(SOURCES)
    assert {e.kind for e in entries} == set(KINDS)
    assert sum(1 for e in entries if e.source == "ODG" and ":" in e.section) >= 80
    for entry in entries:
        assert entry.section and entry.document and entry.aliases, entry.id
        assert entry.provenance.strip(), entry.id
        assert entry.pages == "" or re.fullmatch(r"\d{1,3}(-\d{1,3})?", entry.pages), entry.id
        if entry.page_span:
            assert entry.page_span[0] <= entry.page_span[1], entry.id
