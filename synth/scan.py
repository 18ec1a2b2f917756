"""Scanned versions of generated letters: each page rendered to an image at a scanner's resolution,
slightly rotated, speckled and JPEG-compressed, then put back into a PDF with no text layer (what a
fax or a printout scanned back in gives). Truth is the born-digital letter's."""
from __future__ import annotations

import io
from dataclasses import dataclass
from random import Random

import pypdfium2 as pdfium
from fpdf import FPDF
from PIL import Image, ImageDraw

from synth.letters import SyntheticLetter
from synth.render import CREATION_DATE

LETTER_MM = (215.9, 279.4)


@dataclass(frozen=True)
class ScanStyle:
    dpi: int = 200
    angle: float = 0.0  # degrees
    speckles: int = 0  # dark dots per page
    jpeg_quality: int = 75


def scan_style(rng: Random) -> ScanStyle:
    return ScanStyle(dpi=rng.choice((150, 200, 300)), angle=rng.uniform(-1.0, 1.0), speckles=rng.choice((0, 200, 600)),
                     jpeg_quality=rng.choice((40, 60, 85)))


def _page_image(page, style: ScanStyle, rng: Random) -> bytes:
    image = page.render(scale=style.dpi / 72, grayscale=True).to_pil().convert("L")
    image = image.rotate(style.angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    draw = ImageDraw.Draw(image)
    for _ in range(style.speckles):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        draw.point((x, y), fill=rng.randrange(0, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=style.jpeg_quality)
    return buffer.getvalue()


def _images_pdf(images: list[bytes]) -> bytes:
    pdf = FPDF(format="letter", unit="mm")
    pdf.set_creation_date(CREATION_DATE)
    for data in images:
        pdf.add_page()
        pdf.image(io.BytesIO(data), x=0, y=0, w=LETTER_MM[0], h=LETTER_MM[1])
    return bytes(pdf.output())


def scanned_pdf(letter: SyntheticLetter, style: ScanStyle, seed: int = 0) -> bytes:
    """Every page of `letter` as a scanned image; no text layer anywhere."""
    rng = Random(f"scan-{letter.name}-{seed}")
    document = pdfium.PdfDocument(letter.pdf_bytes())
    try:
        return _images_pdf([_page_image(document[i], style, rng) for i in range(len(document))])
    finally:
        document.close()


def one_page_scanned_pdf(letter: SyntheticLetter, page_index: int = 1, style: ScanStyle = ScanStyle()) -> bytes:
    """The letter with its text layer, except one page that is an image (a page faxed in)."""
    original = pdfium.PdfDocument(letter.pdf_bytes())
    rng = Random(f"mixed-{letter.name}")
    scanned = pdfium.PdfDocument(_images_pdf([_page_image(original[page_index], style, rng)]))
    merged = pdfium.PdfDocument.new()
    merged.import_pages(original, list(range(page_index)))
    merged.import_pages(scanned, [0])
    merged.import_pages(original, list(range(page_index + 1, len(original))))
    buffer = io.BytesIO()
    merged.save(buffer)
    for document in (merged, scanned, original):
        document.close()
    return buffer.getvalue()
