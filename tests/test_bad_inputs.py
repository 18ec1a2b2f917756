"""Every kind of bad input comes back as its own record with a clear one-line message; nothing raises."""
import io
import random
import zipfile

import pytest

import imr
from imr import ocr
import synth
from imr.extract import MAX_ZIP_RATIO, expand_upload
from imr.parse import parse_input
from synth.bad import all_bad_files

BAD = all_bad_files()


@pytest.mark.parametrize("name, message", [
    ("empty.pdf", "empty file"),
    ("truncated.pdf", "damaged or truncated PDF"),
    ("random_bytes.pdf", "not a PDF"),
    ("encrypted.pdf", "encrypted PDF"),
    # Grey bars where lines would be: OCR finds no words (or, without Tesseract, says it is needed).
    ("image_only.pdf", "no text found, even by OCR" if ocr.available() else "OCR needs tesseract-ocr"),
    ("not_an_imr_letter.pdf", "not an IMR determination letter"),
    ("notes.docx", "unsupported file type"),
])
def test_bad_file_is_one_error_record(name, message):
    letter = imr.parse_bytes(BAD[name], name)
    assert letter.status == "error"
    assert message in letter.error
    assert "\n" not in letter.error
    assert letter.decisions == [] and letter.file == name


@pytest.mark.parametrize("name", ["letter_cp1252.txt", "letter_utf16.txt"])
def test_text_in_another_encoding_is_read(name):
    letter = imr.parse_bytes(BAD[name], name)
    assert letter.status in ("ok", "partial"), letter.error
    assert letter.case_number and letter.decisions
    assert "\ufffd" not in letter.text  # nothing lost to a wrong decoding


def test_zip_with_nested_folders_and_junk_gives_one_record_per_file():
    items = expand_upload("letters.zip", BAD["letters.zip"])
    names = [item.name for item in items]
    assert not any("__MACOSX" in n or n.endswith(".DS_Store") for n in names)
    letters = [parse_input(item) for item in items]
    good = [l for l in letters if l.status != "error"]
    junk = [l for l in letters if l.status == "error"]
    assert len(good) >= 3 and all(l.decisions for l in good)
    assert junk and all("unsupported file type" in l.error for l in junk)


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_nested_zip_and_damaged_zip_are_refused_per_entry():
    letter = synth.generate(1, seed=3)[0]
    archive = _zip({"ok.pdf": letter.pdf_bytes(), "bomb.txt": b"0" * (MAX_ZIP_RATIO * 20_000), "inner.zip": _zip({"a.txt": b"x"})})
    by_name = {item.name.split("/")[-1]: parse_input(item) for item in expand_upload("batch.zip", archive)}
    assert by_name["ok.pdf"].status == "ok"
    assert "zip bomb" in by_name["bomb.txt"].error
    assert "nested zip" in by_name["inner.zip"].error
    [damaged] = expand_upload("broken.zip", archive[: len(archive) // 2])
    assert parse_input(damaged).error == "damaged or truncated zip archive"


def test_random_and_mutated_inputs_never_raise():
    rng = random.Random(7)
    pdf = synth.generate(1, seed=5)[0].pdf_bytes()
    samples = [bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 3000))) for _ in range(30)]
    for _ in range(30):
        mutated = bytearray(pdf)
        for _ in range(rng.randint(1, 40)):
            mutated[rng.randrange(len(mutated))] = rng.getrandbits(8)
        samples.append(bytes(mutated))
    for index, data in enumerate(samples):
        letter = imr.parse_bytes(data, f"sample{index}.pdf")
        assert letter.status in ("ok", "partial", "error")
        assert letter.status != "error" or (letter.error and "\n" not in letter.error)


def test_missing_file_is_an_error_record(tmp_path):
    letter = imr.parse_file(tmp_path / "nope.pdf")
    assert letter.status == "error" and letter.error.startswith("cannot read file")
