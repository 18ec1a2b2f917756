"""The synthetic letter generator: PDFs are real, truth is consistent, bad files are what they claim."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pypdfium2 as pdfium
import pytest

import synth
from synth.bad import all_bad_files
from synth.letters import TRUTH_KEYS
from synth.phrasing import DATE_STYLES, format_date
from imr.models import BODY_PARTS, CATEGORIES, Letter

LETTERS = synth.generate(12, seed=11)


def _pdf_text(data: bytes, password: str | None = None) -> str:
    document = pdfium.PdfDocument(data, password=password)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def _overall(outcomes: set[str]) -> str:
    if outcomes == {"upheld"}:
        return "upheld"
    return "overturned" if outcomes == {"overturned"} else "partially overturned"


@pytest.mark.parametrize("layout", synth.LAYOUT_IDS)
def test_every_layout_renders_a_pdf_with_a_text_layer(layout: str) -> None:
    letter = synth.generate(1, seed=5, layouts=[layout])[0]
    data = letter.pdf_bytes()
    assert data.startswith(b"%PDF")
    assert 2 <= len(pdfium.PdfDocument(data)) <= 5
    text = _pdf_text(data)
    assert letter.truth["layout"] == layout
    assert letter.truth["case_number"] in text
    assert "Page 1" in text


def test_truth_has_the_record_keys_and_valid_values() -> None:
    # reviewer_specialty_groups is derived from the specialties (imr.enrich) and measured on labels instead.
    record_keys = [k for k in Letter(file="x").to_dict()
                   if k not in ("file", "sha256", "pages", "ocr", "status", "error", "warnings", "reviewer_specialty_groups")]
    for letter in LETTERS:
        truth = letter.truth
        assert list(truth) == record_keys == list(TRUTH_KEYS)
        assert truth["overall_outcome"] == _overall({d["outcome"] for d in truth["decisions"]})
        assert set(truth["body_parts"]) <= set(BODY_PARTS) and truth["body_parts"]
        assert 1 <= len(truth["decisions"]) <= 4
        assert all(d["category"] in CATEGORIES for d in truth["decisions"])


def test_truth_values_are_written_in_the_letter_text() -> None:
    for letter in LETTERS:
        text = " ".join(letter.text().split())
        truth = letter.truth
        assert "[REDACTED]" not in str(truth)
        for value in truth["reviewer_licensure"] + truth["reviewer_specialties"] + truth["diagnoses"]:
            assert value in text
        for decision in truth["decisions"]:
            assert decision["treatment"] in text
            assert decision["rationale"] in text
            assert decision["reviewer_guideline"] in text
            if decision["claims_administrator_guideline"]:
                assert decision["claims_administrator_guideline"] in text
            if decision["quantity"] is not None:
                assert str(decision["quantity"]) in text


def test_same_seed_gives_identical_pdfs_and_other_seeds_differ() -> None:
    first = [letter.pdf_bytes() for letter in synth.generate(4, seed=3)]
    again = [letter.pdf_bytes() for letter in synth.generate(4, seed=3)]
    other = [letter.pdf_bytes() for letter in synth.generate(4, seed=4)]
    assert first == again
    assert first != other


def test_phrasing_varies_between_letters() -> None:
    openings = {letter.truth["decisions"][0]["rationale"].split(".")[0] for letter in synth.generate(30, seed=9)}
    assert len(openings) > 3


def test_bad_files_are_what_they_claim() -> None:
    files = all_bad_files()
    assert files["empty.pdf"] == b""
    for name in ("truncated.pdf", "random_bytes.pdf"):
        with pytest.raises(pdfium.PdfiumError):
            pdfium.PdfDocument(files[name])
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(files["encrypted.pdf"])
    assert "Case Number" in _pdf_text(files["encrypted.pdf"], password="secret")
    assert _pdf_text(files["image_only.pdf"]).strip() == ""
    assert "INVOICE" in _pdf_text(files["not_an_imr_letter.pdf"])
    assert "José" in files["letter_cp1252.txt"].decode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        files["letter_cp1252.txt"].decode("utf-8")
    assert files["letter_utf16.txt"][:2] in (b"\xff\xfe", b"\xfe\xff")
    names = zipfile.ZipFile(io.BytesIO(files["letters.zip"])).namelist()
    assert sum(name.endswith(".pdf") and "__MACOSX" not in name for name in names) == 3
    assert any(name.startswith("__MACOSX/") for name in names) and any(".DS_Store" in name for name in names)


def test_truth_dates_are_written_in_one_of_the_letter_date_styles() -> None:
    for letter in LETTERS:
        text = letter.text()
        for key in ("date_of_injury", "ur_denial_date", "application_received", "date_assigned", "decision_date"):
            if letter.truth[key] is not None:
                day = dt.date.fromisoformat(letter.truth[key])
                assert any(format_date(day, style) in text for style in DATE_STYLES), (letter.name, key)
