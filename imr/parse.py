"""parse_file / parse_bytes / parse_text: extract -> clean -> detect layout -> parse fields ->
match citations -> assemble the record. None of them raises: every failure becomes a Letter with
status "error" and a one-line message, so one bad file never costs a batch its other results."""
from __future__ import annotations

import os
from pathlib import Path

from imr import budget
from imr.citations import find_citations
from imr.clean import clean_pages
from imr.enrich import enrich
from imr.extract import MAX_FILE_BYTES, ExtractError, looks_like_pdf, pdf_pages_with_layout, read_document, sha256
from imr.layouts.base import LayoutParser, ParsedFields
from imr.layouts.registry import detect_layout
from imr.models import Decision, Document, InputFile, Letter, Page

# The slow second reading (pdfplumber) is spent only on documents of a letter's length.
MAX_LAYOUT_READING_PAGES = 12
NOT_A_LETTER = "not an IMR determination letter (none of the known letter layouts found)"


def parse_file(path: str | os.PathLike[str], use_ocr: bool = True) -> Letter:
    name = os.fspath(path)
    try:
        size = os.path.getsize(name)
        if size > MAX_FILE_BYTES:
            return _error_letter(name, None, f"file too large ({size // 2**20} MB; limit {MAX_FILE_BYTES // 2**20} MB)")
        data = Path(name).read_bytes()
    except OSError as error:
        return _error_letter(name, None, f"cannot read file: {error.strerror or 'I/O error'}")
    return parse_bytes(data, name, use_ocr)


def parse_bytes(data: bytes, name: str, use_ocr: bool = True) -> Letter:
    try:
        document = read_document(data, name, use_ocr)
    except ExtractError as error:
        return _error_letter(name, sha256(data) if data else None, str(error))
    except Exception as error:  # a library failing on hostile input must not end the batch
        return _error_letter(name, sha256(data), f"unreadable file ({type(error).__name__})")
    letter = parse_document(document)
    if letter.status != "ok" and looks_like_pdf(data) and _layout_reading_may_help(document):
        letter = _better_of(letter, _reparse_with_layout(data, document))
    return letter


def _layout_reading_may_help(document: Document) -> bool:
    """The pdfplumber reading costs 10-100x PDFium's and its memory grows with the page area: worth it
    only for a letter's worth of normal-sized pages that PDFium did read text from."""
    pages = document.pages
    return (len(pages) <= MAX_LAYOUT_READING_PAGES
            and all(0 < p.width <= budget.MAX_PAGE_POINTS and 0 < p.height <= budget.MAX_PAGE_POINTS for p in pages)
            and sum(len(p.text) for p in pages) <= budget.MAX_TEXT_CHARS // 4)


def parse_text(text: str, name: str = "<text>") -> Letter:
    return parse_document(Document(name=name, sha256=sha256(text.encode("utf-8", "surrogatepass")), pages=[Page(1, text)]))


def parse_input(item: InputFile) -> Letter:
    """One InputFile (from a folder, a command line or an upload) -> its Letter."""
    if item.error:
        return _error_letter(item.name, None, item.error)
    if item.data is not None:
        return parse_bytes(item.data, item.name, item.ocr)
    letter = parse_file(item.path or item.name, item.ocr)
    letter.file = item.name
    return letter


def parse_document(document: Document) -> Letter:
    letter = Letter(file=document.name, sha256=document.sha256, pages=len(document.pages), ocr=document.ocr_pages > 0)
    characters = sum(len(page.text) for page in document.pages)
    if characters > budget.MAX_TEXT_CHARS:
        return _fail(letter, f"text too long ({characters:,} characters; limit {budget.MAX_TEXT_CHARS:,}): not one letter")
    try:
        text = clean_pages(document.pages, read_by_ocr=letter.ocr)
        letter.text = text
        layout = detect_layout(text)
        if layout is None:
            return _fail(letter, NOT_A_LETTER)
        parsed = layout.parse(text)
        if len(parsed.decisions) > budget.MAX_DECISIONS:
            return _fail(letter, f"{len(parsed.decisions):,} decisions (limit {budget.MAX_DECISIONS}): not one letter")
        _fill(letter, layout, parsed, document)
    except budget.BudgetExceeded as error:
        return _fail(letter, str(error))
    except MemoryError:
        return _fail(letter, f"needed more memory than a letter may use (limit {budget.FILE_MEMORY_BYTES // 2**20} MB)")
    except Exception as error:  # a parser bug on one odd letter is reported on that letter only
        return _fail(letter, f"parser failed on this letter ({type(error).__name__}); please report it")
    return letter


def _fill(letter: Letter, layout: LayoutParser, parsed: ParsedFields, document: Document) -> None:
    letter.layout = layout.layout_id
    for name, value in parsed.values.items():
        setattr(letter, name, value)
    letter.evidence = parsed.evidence
    letter.decisions = parsed.decisions
    for decision in letter.decisions:
        decision.citations = (find_citations(decision.claims_administrator_guideline, "claims_administrator")
                              + find_citations(decision.reviewer_guideline, "reviewer"))
    enrich(letter)
    letter.overall_outcome = overall_outcome(letter.decisions)
    missing, notes = _missing(letter, layout), list(parsed.disagreements)
    if document.ocr_pages:
        confidence = document.ocr_confidence or 0.0
        reading = f"read by OCR: {document.ocr_pages} of {len(document.pages)} pages, mean word confidence {confidence:.0f}%"
        # A poor reading is reported partial rather than trusted.
        (missing if confidence < budget.LOW_OCR_CONFIDENCE else notes).append(reading)
    letter.warnings = missing + notes
    letter.status = "partial" if missing else "ok"


def overall_outcome(decisions: list[Decision]) -> str | None:
    outcomes = {d.outcome for d in decisions}
    if not decisions or None in outcomes:
        return None
    if outcomes == {"upheld"}:
        return "upheld"
    return "overturned" if outcomes == {"overturned"} else "partially overturned"


def _missing(letter: Letter, layout: LayoutParser) -> list[str]:
    # Every layout states the reviewer and the patient; dates and labels vary by layout.
    expected = (*layout.expected_fields, "reviewer_licensure", "reviewer_specialties", "patient_age", "patient_sex")
    warnings = [f"missing {name.replace('_', ' ')}" for name in expected if getattr(letter, name) in (None, [])]
    if not letter.decisions:
        warnings.append("no decisions found")
    for index, decision in enumerate(letter.decisions, 1):
        if decision.outcome is None:
            warnings.append(f"decision {index}: outcome not found")
        if not decision.rationale:
            warnings.append(f"decision {index}: rationale not found")
    return warnings


def _reparse_with_layout(data: bytes, document: Document) -> Letter | None:
    """Second reading through pdfplumber's layout mode, for PDFs whose PDFium reading order
    interleaves columns. Only letters that came out incomplete pay for it."""
    try:
        with budget.time_limit(budget.LAYOUT_READING_SECONDS, "the layout reading"):
            pages = pdf_pages_with_layout(data)
    except Exception:  # its own time budget, memory, or a library failing on hostile input
        return None
    return parse_document(Document(name=document.name, sha256=document.sha256, pages=pages))


def _better_of(first: Letter, second: Letter | None) -> Letter:
    if second is None or second.status == "error":
        return first
    if first.status == "error" or len(second.warnings) < len(first.warnings):
        return second
    return first


def _error_letter(name: str, digest: str | None, message: str) -> Letter:
    return Letter(file=name, sha256=digest, status="error", error=message)


def _fail(letter: Letter, message: str) -> Letter:
    letter.status, letter.error, letter.decisions = "error", message, []
    return letter
