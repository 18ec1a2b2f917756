"""Bytes -> page texts. PDFs through PDFium's text layer (pypdfium2); text files decoded;
.zip uploads expanded into their letter entries within fixed bounds.

Every failure is an `ExtractError` with a one-line message meant for the user."""
from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path, PurePosixPath

import pypdfium2 as pdfium

from imr import budget, ocr
from imr.models import Document, InputFile, Page
from imr.safe_text import printable_name

LETTER_SUFFIXES = (".pdf", ".txt")
# Bounds on untrusted input: one file, one archive, one document.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
# An archive may expand to what one upload session may hold (budget.SESSION_UPLOAD_BYTES), so that no
# process holds more than that of letters in memory at once.
MAX_ZIP_EXPANDED_BYTES = 512 * 1024 * 1024
MAX_ZIP_RATIO = 200  # a higher compression ratio than this is treated as a zip bomb
MAX_PAGES = 200
# A page with fewer characters in its text layer than this is read as an image (a scan, a fax).
MIN_TEXT_LAYER_CHARS = 20
_BLANK_LEVEL = 240  # grey level (0 black, 255 white) below which a rendered page shows something
# Operating-system litter in archives: never letters, so skipped without a record.
_ARCHIVE_LITTER = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")

_PDFIUM_PASSWORD_ERROR = 4


class ExtractError(Exception):
    """A file could not be read as a letter; the message is shown to the user as is."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(data: bytes, name: str, use_ocr: bool = True) -> Document:
    """Page texts of a PDF or text file; pages without a text layer read by OCR when `use_ocr` is on
    (and Tesseract is installed). Raises ExtractError for anything unreadable."""
    if not data:
        raise ExtractError("empty file")
    if len(data) > MAX_FILE_BYTES:
        raise ExtractError(f"file too large ({len(data) // (1024 * 1024)} MB; limit {MAX_FILE_BYTES // (1024 * 1024)} MB)")
    suffix = PurePosixPath(name).suffix.lower()
    ocr_pages, confidence = 0, None
    if looks_like_pdf(data):
        pages, ocr_pages, confidence = _pdf_pages(data, use_ocr)
    elif suffix == ".pdf":
        raise ExtractError("not a PDF (no PDF header; random or damaged bytes?)")
    elif suffix in ("", ".txt", ".text"):
        pages = [Page(1, decode_text(data))]
    else:
        raise ExtractError(f"unsupported file type '{suffix}' (expected .pdf, .txt or .zip)")
    if not any(page.text.strip() for page in pages):
        if ocr_pages:
            raise ExtractError("no text found, even by OCR (an image without words?)")
        if looks_like_pdf(data):
            raise ExtractError("no text layer; scanned? (OCR is off)" if not use_ocr else "no text layer and no page image to read")
        raise ExtractError("no text in file")
    return Document(name=name, sha256=sha256(data), pages=pages, ocr_pages=ocr_pages, ocr_confidence=confidence)


def looks_like_pdf(data: bytes) -> bool:
    # The PDF header may follow a little junk; readers accept it within the first 1 KB.
    return b"%PDF-" in data[:1024]


def _pdf_pages(data: bytes, use_ocr: bool) -> tuple[list[Page], int, float | None]:
    """(pages, pages read by OCR, their mean confidence)."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == _PDFIUM_PASSWORD_ERROR:
            raise ExtractError("encrypted PDF: a password is needed to read it") from None
        raise ExtractError("damaged or truncated PDF: it cannot be opened") from None
    try:
        count = len(document)
        if count == 0:
            raise ExtractError("damaged or truncated PDF: no pages")
        if count > MAX_PAGES:
            raise ExtractError(f"too many pages ({count}; limit {MAX_PAGES}): not a single letter")
        pages = []
        for index in range(count):
            page = document[index]
            try:
                textpage = page.get_textpage()
                width, height = page.get_size()
                pages.append(Page(index + 1, textpage.get_text_range(), width, height))
                textpage.close()
            except pdfium.PdfiumError:
                raise ExtractError(f"damaged PDF: page {index + 1} cannot be read") from None
            finally:
                page.close()
        images = [p for p in pages if len(p.text.strip()) < MIN_TEXT_LAYER_CHARS and _has_image(document[p.number - 1])]
        if not use_ocr or not images:
            return pages, 0, None
        return _read_images(document, pages, images)
    finally:
        document.close()


def _has_image(page) -> bool:
    """Whether a page shows anything: an empty page, or one whose objects draw nothing darker than white
    (a letter's blank last page), is not a scan to read. Tesseract would spend a second finding no
    words on it, and its 0% confidence would mark a whole letter as poorly read."""
    try:
        if not any(True for _ in page.get_objects(max_depth=1)):
            return False
        # At 1/4 scale (18 dpi) a line of print still darkens its pixels well below this level.
        darkest, _ = page.render(scale=0.25, grayscale=True).to_pil().getextrema()
        return darkest < _BLANK_LEVEL
    finally:
        page.close()


def _read_images(document, pages: list[Page], images: list[Page]) -> tuple[list[Page], int, float | None]:
    """Image pages read by OCR, in place; a mixed PDF keeps its text pages as they are."""
    if not ocr.available():
        if len(images) == len(pages):
            raise ExtractError(ocr.MISSING)
        return pages, 0, None  # the text pages stand; the record says what is missing
    if len(images) > budget.MAX_OCR_PAGES:
        raise ExtractError(f"scanned letter of {len(images)} image pages: OCR reads at most {budget.MAX_OCR_PAGES}")
    confidences = []
    for done, image_page in enumerate(images, start=1):
        page = document[image_page.number - 1]
        try:
            read = ocr.read_pdf_page(page)
        except budget.BudgetExceeded as error:
            raise ExtractError(str(error)) from None
        finally:
            page.close()
        pages[image_page.number - 1] = Page(image_page.number, read.text, image_page.width, image_page.height)
        confidences.append(read.confidence)
        if ocr.on_page:
            ocr.on_page(done, len(images))
    return pages, len(images), sum(confidences) / len(confidences)


def pdf_pages_with_layout(data: bytes) -> list[Page]:
    """Page texts through pdfplumber's layout-preserving extraction: slower, but it keeps side-by-side
    label columns apart. Used as a second reading when PDFium's reading order defeats the parser."""
    import pdfplumber  # imported here: only the slow fallback path needs it

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [Page(i + 1, page.extract_text(layout=True) or "") for i, page in enumerate(pdf.pages[:MAX_PAGES])]


def decode_text(data: bytes) -> str:
    """Text bytes -> str: a BOM first; UTF-16 recognised by its zero bytes even without one; then
    UTF-8, with a stray invalid byte marked (U+FFFD) rather than the whole file re-read; Windows-1252
    only for a file with no UTF-8 in it at all (what older Windows tools write)."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise ExtractError(f"text file with a {encoding} mark that does not decode") from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    if data.count(b"\x00") > len(data) // 100:
        raise ExtractError("binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        marked = data.decode("utf-8", errors="replace")
        has_utf8 = any(ord(c) > 0x7f and c != "\ufffd" for c in marked)
        return marked if has_utf8 else data.decode("cp1252", errors="replace")


def _utf16_without_bom(data: bytes) -> str | None:
    """English text in UTF-16 has a zero byte beside nearly every character, on one side."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 8:
        return None
    odd_zeros, even_zeros = sample[1::2].count(0), sample[0::2].count(0)
    if odd_zeros > 0.8 * half and even_zeros < 0.1 * half:
        return "utf-16-le"
    if even_zeros > 0.8 * half and odd_zeros < 0.1 * half:
        return "utf-16-be"
    return None


def expand_upload(name: str, data: bytes) -> list[InputFile]:
    """One uploaded file -> the letters in it: a .zip gives its entries, anything else itself."""
    name = printable_name(name)
    if not (name.lower().endswith(".zip") or data[:4] == b"PK\x03\x04"):
        return [InputFile(name=name, data=data)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [info for info in archive.infolist() if not info.is_dir() and not _is_litter(info.filename)]
    except (zipfile.BadZipFile, OSError, ValueError):
        return [InputFile(name=name, error="damaged or truncated zip archive")]
    if len(entries) > MAX_ZIP_ENTRIES:
        return [InputFile(name=name, error=f"zip has {len(entries)} files; limit {MAX_ZIP_ENTRIES}")]
    expanded = sum(info.file_size for info in entries)
    if expanded > MAX_ZIP_EXPANDED_BYTES:
        return [InputFile(name=name, error=f"zip expands to {expanded // 2**20} MB; limit {MAX_ZIP_EXPANDED_BYTES // 2**20} MB")]
    return [_read_zip_entry(archive, info, name) for info in sorted(entries, key=lambda i: i.filename)]


def _is_litter(entry_name: str) -> bool:
    return any(part in entry_name for part in _ARCHIVE_LITTER) or PurePosixPath(entry_name).name.startswith("._")


def _read_zip_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, archive_name: str) -> InputFile:
    name = printable_name(f"{archive_name}/{info.filename}")
    suffix = PurePosixPath(info.filename).suffix.lower()
    if suffix == ".zip":
        return InputFile(name=name, error="nested zip archive: not expanded (unzip it first)")
    if suffix not in LETTER_SUFFIXES:
        return InputFile(name=name, error=f"unsupported file type '{suffix or info.filename}' in archive (expected .pdf or .txt)")
    if info.file_size > MAX_FILE_BYTES:
        return InputFile(name=name, error=f"file too large ({info.file_size // 2**20} MB; limit {MAX_FILE_BYTES // 2**20} MB)")
    if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
        return InputFile(name=name, error="suspicious compression ratio (zip bomb?): not expanded")
    try:
        with archive.open(info) as entry:
            return InputFile(name=name, data=entry.read(MAX_FILE_BYTES + 1))
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError) as error:
        reason = "encrypted entry" if "encrypted" in str(error).lower() else "damaged entry"
        return InputFile(name=name, error=f"cannot read from archive: {reason}")


def inputs_from_paths(paths: list[str]) -> list[InputFile]:
    """Command-line paths -> InputFiles, in a stable order: a folder gives every file in it (recursive,
    sorted; hidden files and OS litter skipped, other non-letters reported as such); a .zip its
    entries; any other file itself (read lazily by path)."""
    inputs: list[InputFile] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not _is_litter(p.relative_to(path).as_posix())
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            for file in files:
                inputs.extend(_inputs_from_file(file, display=printable_name(str(file))))
        elif path.is_file():
            inputs.extend(_inputs_from_file(path, display=printable_name(raw)))
        else:
            inputs.append(InputFile(name=printable_name(raw), error="no such file or folder"))
    return inputs


def _inputs_from_file(path: Path, display: str) -> list[InputFile]:
    if path.suffix.lower() != ".zip":
        return [InputFile(name=display, path=os.fspath(path))]
    try:
        return expand_upload(display, path.read_bytes())
    except OSError as error:
        return [InputFile(name=display, error=f"cannot read file: {error.strerror or 'I/O error'}")]
