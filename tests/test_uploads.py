from __future__ import annotations

import io
import zipfile

from imr.corpus import build_frames
from imr.uploads import Upload, UploadSession

LETTER = """Case Number: CM15-0000001   Date Assigned: 03/02/2015
Date of Injury: 02/16/2000   Decision Date: 04/01/2015

IMR ISSUES, DECISIONS AND RATIONALES

Myofascial Therapy for Neck, Qty: 6: Upheld

Claims Administrator guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Massage therapy Page(s): 60.

Decision rationale: The request is not medically necessary.
""".encode()


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _uploads(files: list[tuple[str, bytes]], reads: list[str] | None = None) -> list[Upload]:
    def reader(name: str, data: bytes):
        def read() -> bytes:
            if reads is not None:
                reads.append(name)
            return data
        return read
    return [Upload(f"id-{name}", name, reader(name, data)) for name, data in files]


def test_every_file_comes_back_and_duplicates_are_parsed_once():
    session = UploadSession(workers=2)
    progress: list[tuple[int, int]] = []
    uploads = _uploads([
        ("a.txt", LETTER),
        ("batch.zip", zipped({"copy-of-a.txt": LETTER, "notes.docx": b"x"})),
        ("broken.zip", b"PK\x03\x04 truncated"),
        ("random.pdf", b"\x00\x01 not a pdf"),
    ])
    letters = session.letters(uploads, lambda done, total, name: progress.append((done, total)))
    by_file = {letter.file: letter for letter in letters}
    assert set(by_file) == {"a.txt", "batch.zip/copy-of-a.txt", "batch.zip/notes.docx", "broken.zip", "random.pdf"}
    assert progress[-1] == (2, 2)  # a.txt's bytes and random.pdf's: each distinct content parsed once
    assert by_file["a.txt"].status in ("ok", "partial") and by_file["a.txt"].decisions[0].outcome == "upheld"
    assert by_file["batch.zip/copy-of-a.txt"].decisions == by_file["a.txt"].decisions
    for name in ("batch.zip/notes.docx", "broken.zip", "random.pdf"):
        assert by_file[name].status == "error" and by_file[name].error and "\n" not in by_file[name].error
    assert len(session.parsed_by_content) == 2
    files = build_frames([letter.to_dict() for letter in letters]).letters.set_index("file")
    assert files.loc["batch.zip/copy-of-a.txt", "duplicate_file"] and files.loc["a.txt", "duplicate_case"]


def test_a_rerun_reads_nothing_again_and_removed_uploads_leave():
    session, reads = UploadSession(), []
    first = session.letters(_uploads([("a.txt", LETTER), ("b.zip", zipped({"c.txt": LETTER}))], reads))
    again = session.letters(_uploads([("a.txt", LETTER), ("b.zip", zipped({"c.txt": LETTER}))], reads))
    assert reads == ["a.txt", "b.zip"] and [l.file for l in again] == [l.file for l in first] == ["a.txt", "b.zip/c.txt"]
    assert session.letters(_uploads([("b.zip", b"")], reads))[0].file == "b.zip/c.txt" and list(session.letters_by_upload) == ["id-b.zip"]


def test_a_session_stops_expanding_past_its_budget(monkeypatch):
    monkeypatch.setattr("imr.budget.SESSION_UPLOAD_BYTES", (len(LETTER) + 1) * 2)
    session = UploadSession()
    letters = session.letters(_uploads([(f"{n}.txt", LETTER + bytes(str(n), "ascii")) for n in range(3)]))
    assert [letter.status != "error" for letter in letters] == [True, True, False]
    assert "upload budget" in letters[2].error
