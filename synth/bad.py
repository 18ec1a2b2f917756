"""Inputs a parser must survive: empty, truncated, random, encrypted, scanned, off-topic, odd encodings, zips."""
from __future__ import annotations

import io
import zipfile
from random import Random

from fpdf import FPDF

from synth.letters import SyntheticLetter, build_letter
from synth.render import CREATION_DATE

SEED = "bad-inputs"
ZIP_DATE = (2026, 1, 1, 0, 0, 0)


def _letter(index: int, layout: str = "determination") -> SyntheticLetter:
    return build_letter(Random(f"{SEED}-{index}"), layout)


def _blank_pdf() -> FPDF:
    pdf = FPDF(format="letter", unit="mm")
    pdf.set_creation_date(CREATION_DATE)
    pdf.add_page()
    return pdf


def empty_pdf() -> bytes:
    return b""


def truncated_pdf() -> bytes:
    data = _letter(1).pdf_bytes()
    return data[: len(data) // 2]


def random_bytes_pdf() -> bytes:
    return Random(f"{SEED}-random").randbytes(4096)


def encrypted_pdf() -> bytes:
    """A real letter that opens only with the user password 'secret'."""
    letter = _letter(2)
    pdf = _blank_pdf()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.set_font("helvetica", size=10)
    pdf.multi_cell(0, 5, letter.text())
    return bytes(pdf.output())


def image_only_pdf() -> bytes:
    """A 'scanned' letter: grey bars where the lines of text would be, and no text layer."""
    rng = Random(f"{SEED}-scan")
    pdf = _blank_pdf()
    pdf.set_fill_color(60, 60, 60)
    y = 25.0
    while y < 250:
        width = 170 if rng.random() < 0.8 else rng.uniform(40, 160)
        pdf.rect(20, y, width, 2.2, style="F")
        y += 4.5 if rng.random() < 0.85 else 9
    pdf.set_draw_color(0, 0, 0)
    pdf.ellipse(150, 255, 40, 12)  # a stamp
    return bytes(pdf.output())


def not_imr_pdf() -> bytes:
    """A plain invoice: real text, nothing of an IMR letter."""
    pdf = _blank_pdf()
    pdf.set_font("helvetica", "B", 16)
    pdf.cell(0, 10, "INVOICE #20931", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    for line in ("Sunrise Office Supply, 120 Market Street, Fresno, CA 93721", "Bill to: Valley Dental Group",
                 "Date: 03/14/2024   Terms: Net 30", "", "Qty  Item                      Unit     Total",
                 "10   Copy paper, case        42.00    420.00", "4    Toner cartridge         89.50    358.00",
                 "2    Desk chair              149.00   298.00", "", "Subtotal 1,076.00   Tax 83.39   Total 1,159.39",
                 "Thank you for your business."):
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _decorated_text(letter: SyntheticLetter) -> str:
    """Letter text with non-ASCII outside the truth fields: accents and curly quotes."""
    note = "Reviewed with the employee\u2019s representative, Jos\u00e9 Ram\u00edrez, \u201cper request\u201d \u2013 no changes."
    return letter.text() + "\n" + note + "\n"


def letter_cp1252_txt() -> bytes:
    return _decorated_text(_letter(3, "maximus_2014")).encode("cp1252")


def letter_utf16_txt() -> bytes:
    return _decorated_text(_letter(4, "notice_2013")).encode("utf-16")  # Python writes the BOM


def _zip_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def letters_zip() -> bytes:
    """Good letters in nested folders, plus the junk that zips made on a Mac or by hand carry."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (folder, layout) in enumerate((("2014/batch1", "maximus_2014"), ("2016/march", "determination"),
                                                  ("2016/march/extra", "determination"))):
            letter = _letter(10 + index, layout)
            _zip_entry(archive, f"letters/{folder}/{letter.name}.pdf", letter.pdf_bytes())
        text_letter = _letter(20, "professional_review")
        _zip_entry(archive, f"letters/text/{text_letter.name}.txt", text_letter.text().encode("utf-8"))
        _zip_entry(archive, "letters/.DS_Store", b"\x00\x00\x00\x01Bud1" + bytes(64))
        _zip_entry(archive, "__MACOSX/letters/2014/batch1/._letter.pdf", b"\x00\x05\x16\x07" + bytes(60))
        _zip_entry(archive, "letters/notes.docx", b"PK\x03\x04 not really a word document")
    return buffer.getvalue()


def all_bad_files() -> dict[str, bytes]:
    """File name -> bytes for every bad-input kind."""
    return {
        "empty.pdf": empty_pdf(),
        "truncated.pdf": truncated_pdf(),
        "random_bytes.pdf": random_bytes_pdf(),
        "encrypted.pdf": encrypted_pdf(),
        "image_only.pdf": image_only_pdf(),
        "not_an_imr_letter.pdf": not_imr_pdf(),
        "letter_cp1252.txt": letter_cp1252_txt(),
        "letter_utf16.txt": letter_utf16_txt(),
        "letters.zip": letters_zip(),
        ".DS_Store": b"\x00\x00\x00\x01Bud1" + bytes(64),
        "notes.docx": b"not a docx at all",
    }
