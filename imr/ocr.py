"""Pages without a text layer -> text, through the Tesseract command line (Debian `tesseract-ocr`,
`tesseract-ocr-eng`). Called from `imr.extract` for image pages only; the rest of the pipeline is
unchanged.

The command line rather than a Python binding: nothing to compile, and one run per page costs
about 1.5 s at 300 dpi on one core (benchmarks/bench_accuracy.py --scanned prints it), as long as
Tesseract's OpenMP threads are held to one: left to themselves they contend for the cores and the
same page takes over 8 s.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from PIL import ImageFilter

from imr import budget

TESSERACT = "tesseract"
DPI = 300
MISSING = "scanned letter: OCR needs tesseract-ocr (Debian: apt-get install tesseract-ocr tesseract-ocr-eng)"
# Told of each page read, for a progress display: (pages done, pages to read).
PageProgress = Callable[[int, int], None]
on_page: PageProgress | None = None


@dataclass(frozen=True)
class OcrPage:
    text: str
    confidence: float  # mean word confidence, 0-100


def available() -> bool:
    return shutil.which(TESSERACT) is not None


def read_image(png: bytes) -> OcrPage:
    """One page image (PNG bytes) -> its text, lines and paragraphs as Tesseract found them."""
    try:
        run = subprocess.run([TESSERACT, "stdin", "stdout", "--psm", "4", "-l", "eng", "tsv"], input=png, capture_output=True,
                             timeout=budget.OCR_PAGE_SECONDS, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except FileNotFoundError:
        raise budget.BudgetExceeded(MISSING) from None
    except subprocess.TimeoutExpired:
        raise budget.BudgetExceeded(f"OCR of a page took longer than {budget.OCR_PAGE_SECONDS:g} s (limit)") from None
    if run.returncode != 0:
        raise budget.BudgetExceeded("OCR failed on a page image")
    return _from_tsv(run.stdout.decode("utf-8", errors="replace"))


def read_pdf_page(page) -> OcrPage:
    """A pypdfium2 page, rendered in grayscale at DPI, read."""
    # A 3x3 median removes the specks of a scan or fax and leaves strokes (measured: fewer misread words).
    image = page.render(scale=DPI / 72, grayscale=True).to_pil().filter(ImageFilter.MedianFilter(3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return read_image(buffer.getvalue())


def _from_tsv(tsv: str) -> OcrPage:
    """Tesseract's TSV (one row per word with block, paragraph and line numbers) -> text with the
    page's line breaks, a blank line between paragraphs, and the mean confidence of its words."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        block, paragraph, line = int(cells[2]), int(cells[3]), int(cells[4])
        lines.setdefault((block, paragraph, line), []).append(cells[11])
        if float(cells[10]) >= 0:
            confidences.append(float(cells[10]))
    text, previous = [], None
    for key in sorted(lines):
        if previous is not None and key[:2] != previous[:2]:
            text.append("")
        text.append(" ".join(lines[key]))
        previous = key
    return OcrPage("\n".join(text), sum(confidences) / len(confidences) if confidences else 0.0)
