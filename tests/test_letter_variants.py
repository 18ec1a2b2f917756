"""Forms real letters take that the generator writes only on request: generated letters are
re-typeset with one change each and parsed from the rendered PDF (or text, where a line break must
fall at a set place)."""
from __future__ import annotations

import dataclasses
import re

import pytest

import imr
import synth
from synth.blocks import Block, para


@pytest.fixture(scope="module")
def letters() -> list[synth.SyntheticLetter]:
    return synth.generate(24, seed=707)


def _first(letters: list[synth.SyntheticLetter], layout: str) -> synth.SyntheticLetter:
    return next(letter for letter in letters if letter.truth["layout"] == layout and len(letter.truth["decisions"]) >= 2)


def _retypeset(letter: synth.SyntheticLetter, blocks: list[Block]) -> imr.Letter:
    return imr.parse_bytes(dataclasses.replace(letter, blocks=tuple(blocks)).pdf_bytes(), f"{letter.name}.pdf")


def test_notice_dated_on_its_title_line_and_decisions_printed_twice(letters):
    letter = _first(letters, "notice_2013")
    blocks = list(letter.blocks)
    title = next(i for i, b in enumerate(blocks) if b.kind == "title")
    dated = blocks.pop(title + 1)  # "Dated: ..." / "Date: ..." under the title
    blocks[title] = Block("title", f"{blocks[title].text} Dated: {dated.text.split(':', 1)[1].strip()}")
    sentences = [i for i, b in enumerate(blocks) if re.match(r"\d\) MAXIMUS", b.text)]
    blocks[sentences[-1] + 1: sentences[-1] + 1] = [blocks[i] for i in sentences]
    parsed = _retypeset(letter, blocks)
    assert parsed.decision_date == letter.truth["decision_date"]
    assert [d.treatment for d in parsed.decisions] == [d["treatment"] for d in letter.truth["decisions"]]


def test_header_injury_date_wins_and_a_disagreeing_summary_is_reported(letters):
    letter = _first(letters, "determination")
    year = int(letter.truth["date_of_injury"][:4])
    summary_at = next(i for i, b in enumerate(letter.blocks) if b.text == "CLINICAL CASE SUMMARY") + 2
    blocks = list(letter.blocks)
    blocks[summary_at:summary_at] = [para(f"The injured worker has an industrial injury date of 03/14/{year - 1}.")]
    parsed = _retypeset(letter, blocks)
    assert parsed.date_of_injury == letter.truth["date_of_injury"]
    assert any(w.startswith("date of injury: the header says") and f"{year - 1}-03-14" in w for w in parsed.warnings)
    assert parsed.status == "ok"  # a disagreement is reported, nothing is missing


def test_modified_requests_in_generated_letters_are_read():
    modified = [(letter, index) for letter in synth.generate(60, seed=99, layouts=["determination"])
                for index, d in enumerate(letter.truth["decisions"]) if d.get("original_request")]
    assert len(modified) >= 5
    for letter, index in modified:
        truth = letter.truth["decisions"][index]
        decision = imr.parse_bytes(letter.pdf_bytes(), f"{letter.name}.pdf").decisions[index]
        assert (decision.treatment.lower(), decision.quantity) == (truth["treatment"].lower(), truth["quantity"])
        assert (decision.original_request, decision.authorized_portion) == (truth["original_request"], truth["authorized_portion"])


ITEM_BODY = """
Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment.
MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment.
Decision rationale: The guidelines support a limited course. The request is not medically necessary.
"""


@pytest.mark.parametrize("written, treatment, quantity", [
    ("Retrospective Toradol injection 60mg given in the office, DOS:\n11/11/2016: Upheld",
     "Retrospective Toradol injection 60mg given in the office, DOS: 11/11/2016", None),
    ("Labs to include: CBC, CMP and an EKG before the\nsurgery\nUpheld", "Labs to include: CBC, CMP and an EKG before the surgery", None),
    ("Physical therapy for the lumbar spine, 12-18 sessions: Upheld", "Physical therapy for the lumbar spine, 12-18 sessions", 18),
    ("Ibuprofen 800mg #90 with 2 refills was the original request. Ibuprofen 800mg #90 was\nauthorized by the Claims Administrator. "
     "The remaining IMR eligible portion of the\noriginal request, Two refills of Ibuprofen 800mg #90 is: Upheld", "Two refills of Ibuprofen 800mg", 90),
])
def test_item_headings_as_text_layers_break_them(letters, written, treatment, quantity):
    letter = _first(letters, "determination")
    text = letter.text()
    start = text.index("set forth below:") + len("set forth below:")
    parsed = imr.parse_text(text[:start] + "\n" + written + ITEM_BODY, "item.txt")
    assert [(d.treatment, d.quantity) for d in parsed.decisions] == [(treatment, quantity)]
