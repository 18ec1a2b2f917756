"""Inputs built to cost a parser time or memory: small files that expand, huge pages, pathological
text. Generated on demand for the hostile-input tests; never stored."""
from __future__ import annotations

import zlib
from random import Random

from fpdf import FPDF

from synth.letters import build_letter
from synth.render import CREATION_DATE

SEED = "hostile-inputs"


def letter_text(index: int = 0) -> str:
    """A well-formed determination letter's text, for the text-based recipes to start from."""
    return build_letter(Random(f"{SEED}-{index}"), "determination").text()


def raw_pdf(content: bytes, media_box: tuple[int, int] = (612, 792)) -> bytes:
    """A one-page PDF whose page draws `content` (a content stream, stored Flate-compressed)."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>" % media_box,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _text_content(lines: list[str], size: float, leading: float, top: float) -> bytes:
    ops = [b"BT /F1 %.1f Tf %.1f TL 36 %.1f Td" % (size, leading, top)]
    for line in lines:
        escaped = line.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"(" + escaped + b") '")
    ops.append(b"ET")
    return b"\n".join(ops)


def huge_media_box_pdf() -> bytes:
    """A few kilobytes: a letter's first lines on a 200-inch page (PDF's largest), the shape that
    drove the layout reading past 5 GB."""
    lines = letter_text().splitlines()[:40]
    return raw_pdf(_text_content(lines, 10, 12, 14_000), media_box=(14_400, 14_400))


def inflating_stream_pdf(megabytes: int = 256) -> bytes:
    """About a megabyte per 250 MB of page content: operators that draw nothing, repeated."""
    return raw_pdf(b"q Q " * (megabytes * 1024 * 1024 // 4))


def dense_pdf(pages: int = 12) -> bytes:
    """Pages packed with tiny text objects: cheap for PDFium, costly for a layout reading."""
    rng = Random(f"{SEED}-dense")
    pdf = FPDF(format="letter", unit="pt")
    pdf.set_creation_date(CREATION_DATE)
    pdf.set_font("helvetica", size=2)
    for _ in range(pages):
        pdf.add_page()
        for row in range(300):
            pdf.set_xy(10, 10 + row * 2.5)
            pdf.cell(590, 2, " ".join(rng.choice(("MRI", "Upheld", "Qty", "CM16", "1/2/16")) for _ in range(60)))
    return bytes(pdf.output())


def repeated_citation_line_letter(repeats: int = 10_000) -> str:
    """A letter whose guideline line is "MTUS, " over and over (60 KB)."""
    return letter_text().replace("Claims Administrator guideline:", "Claims Administrator guideline: Decision based on " + "MTUS, " * repeats, 1)


def repeated_credentials_letter(characters: int = 200_000) -> str:
    """Credentials prose with no sentence end: "board certified in ... licensed in ..." repeated."""
    phrase = "board certified in pain medicine and licensed in California and "
    return letter_text() + "\nThe reviewer is " + phrase * (characters // len(phrase))


def many_decisions_letter(decisions: int = 2_000) -> str:
    text = letter_text()
    start = text.index("set forth below:") + len("set forth below:")
    items = "".join(f"\nItem {n}, Qty: 1: Upheld\nDecision rationale: Not medically necessary." for n in range(decisions))
    return text[:start] + items
