"""Scanned letters read through OCR: generated letters rendered, rotated, speckled and JPEG-compressed
(synth/scan.py), a letter with one image page, an image with no words, and the machine without
Tesseract. The OCR cases skip, saying why, where Tesseract is not installed."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from random import Random

import pypdfium2 as pdfium
import pytest
from fpdf import FPDF

import imr
import synth
from accuracy import compare
from imr import ocr
from imr.clean import clean_pages, fix_ocr_confusions
from imr.models import Page
from synth.scan import ScanStyle, one_page_scanned_pdf, scan_style, scanned_pdf

ROOT = Path(__file__).resolve().parent.parent
needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr is not installed (scripts/setup.sh installs it as root)")
REQUIRED_ACCURACY = 0.97  # the same letters born-digital are read ~100%


@pytest.fixture(scope="module")
def letters() -> list[synth.SyntheticLetter]:
    return synth.generate(4, seed=404)


@needs_tesseract
def test_field_accuracy_on_scanned_generated_letters(letters):
    results = []
    for index, letter in enumerate(letters):
        record = imr.parse_bytes(scanned_pdf(letter, scan_style(Random(index))), f"{letter.name}.pdf").to_dict()
        assert record["ocr"] and any(w.startswith("read by OCR") for w in record["warnings"])
        results += compare(record, letter.truth)
    accuracy = sum(r.ok for r in results) / len(results)
    assert accuracy >= REQUIRED_ACCURACY, [f"{r.field}: {r.expected!r} / {r.got!r}" for r in results if not r.ok]


@needs_tesseract
def test_only_the_image_page_of_a_mixed_letter_is_read_by_ocr(letters):
    letter = letters[0]
    parsed = imr.parse_bytes(one_page_scanned_pdf(letter, page_index=1), "mixed.pdf")
    assert parsed.ocr and f"read by OCR: 1 of {parsed.pages} pages" in " ".join(parsed.warnings)
    assert parsed.case_number == letter.truth["case_number"]
    assert [d.outcome for d in parsed.decisions] == [d["outcome"] for d in letter.truth["decisions"]]


def _black_box_pdf() -> bytes:
    image = io.BytesIO()
    from PIL import Image
    Image.new("L", (1700, 2200), 0).save(image, format="PNG")
    pdf = FPDF(format="letter", unit="mm")
    pdf.add_page()
    pdf.image(image, x=0, y=0, w=215.9, h=279.4)
    return bytes(pdf.output())


def _with_blank_image_page(pdf: bytes) -> bytes:
    """`pdf` with a last page that draws a white image: a scanner's blank back page."""
    from PIL import Image

    image = io.BytesIO()
    Image.new("L", (850, 1100), 255).save(image, format="PNG")
    blank = FPDF(format="letter", unit="mm")
    blank.add_page()
    blank.image(image, x=0, y=0, w=215.9, h=279.4)
    merged = pdfium.PdfDocument(pdf)
    merged.import_pages(pdfium.PdfDocument(bytes(blank.output())))
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()


def test_a_blank_image_page_is_not_read_and_does_not_mark_the_letter(letters, monkeypatch):
    # Any OCR run would fail this test: a blank page is told from a scan before Tesseract is asked.
    monkeypatch.setattr(ocr, "read_pdf_page", lambda page: pytest.fail("OCR ran on a blank page"))
    letter = letters[2]
    parsed = imr.parse_bytes(_with_blank_image_page(letter.pdf_bytes()), "blank-last-page.pdf")
    assert parsed.pages == imr.parse_bytes(letter.pdf_bytes(), "plain.pdf").pages + 1
    assert not parsed.ocr and parsed.status == "ok", parsed.warnings
    assert [d.outcome for d in parsed.decisions] == [d["outcome"] for d in letter.truth["decisions"]]


@needs_tesseract
def test_an_image_with_no_words_is_an_error_record():
    letter = imr.parse_bytes(_black_box_pdf(), "black.pdf")
    assert letter.status == "error" and letter.error == "no text found, even by OCR (an image without words?)"


def test_without_tesseract_a_scanned_letter_says_what_it_needs(letters, monkeypatch):
    monkeypatch.setattr(ocr, "TESSERACT", "tesseract-that-is-not-installed")
    letter = imr.parse_bytes(scanned_pdf(letters[1], ScanStyle()), "scan.pdf")
    assert letter.status == "error" and letter.error == ocr.MISSING


def test_no_ocr_switch_turns_scans_away(letters, tmp_path):
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf(letters[2], ScanStyle(dpi=150)))
    result = subprocess.run([sys.executable, "-m", "imr", "parse", "--no-ocr", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "OCR is off" in result.stdout


def test_ocr_look_alikes_are_fixed_in_ocr_text_only():
    assert fix_ocr_confusions("Date of Injury: O1/l5/2O16 Case Number: CM1S-OO12345") == "Date of Injury: 01/15/2016 Case Number: CM15-0012345"
    assert fix_ocr_confusions("MRI Oty: 2: Uphe1d\nSome line |") == "MRI Qty: 2: Upheld\nSome line"
    born_digital = "Reference code O1/l5/2O16 stays as written."
    assert clean_pages([Page(1, born_digital)]) == born_digital
