"""The parser on the 124 real published letters (../shared/real-letters, read in place) against a
careful reading of each (tests/real_letters/truth). Skips, saying why, where the letters are absent."""
from __future__ import annotations

import pytest

import imr
from real_accuracy import DECISION_FIELDS, LETTER_FIELDS, MISSING_REASON, REAL_LETTERS, available, score_citations, score_fields, truths

pytestmark = pytest.mark.skipif(not available(), reason=MISSING_REASON)

# The bar: the item and its quantity >= 99%, every other field >= 99.5%.
REQUIRED = {"treatment": 0.99, "quantity": 0.99}
REQUIRED_OTHERWISE = 0.995


@pytest.fixture(scope="module")
def pairs() -> list[tuple[dict, dict]]:
    return [(imr.parse_file(REAL_LETTERS / truth["file"]).to_dict(), truth) for truth in truths()]


def test_every_real_letter_has_truth(pairs):
    assert len(pairs) == len(list(REAL_LETTERS.glob("*.pdf"))) == 124


@pytest.mark.parametrize("name", ("decision_count", *LETTER_FIELDS, *DECISION_FIELDS))
def test_field_accuracy_on_real_letters(pairs, name):
    scores = score_fields(pairs)
    misses = "\n".join(f"{file}: expected {expected!r}, got {got!r}" for file, expected, got in scores.misses[name])
    assert scores.accuracy(name) >= REQUIRED.get(name, REQUIRED_OTHERWISE), misses


def test_no_real_letter_is_an_error(pairs):
    assert [record["file"] for record, _ in pairs if record["status"] == "error"] == []


def test_guideline_lines_and_citations_on_real_letters(pairs):
    scores = score_citations(pairs)
    misses = "\n".join(scores.misses)
    assert scores.capture_rate >= 0.995, misses
    assert scores.nothing_cited > 0  # "did not cite any medical evidence" lines are kept and counted
    assert scores.recall >= 0.97 and scores.precision >= 0.97, misses
