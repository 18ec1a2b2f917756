from __future__ import annotations

import io
import zipfile

from imr.corpus import build_frames
from imr.uploads import parse_uploads

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


def test_every_file_comes_back_and_duplicates_are_parsed_once():
    cache: dict = {}
    progress: list[tuple[int, int]] = []
    uploads = [
        ("a.txt", LETTER),
        ("batch.zip", zipped({"copy-of-a.txt": LETTER, "notes.docx": b"x"})),
        ("broken.zip", b"PK\x03\x04 truncated"),
        ("random.pdf", b"\x00\x01 not a pdf"),
    ]
    letters = parse_uploads(uploads, cache, lambda done, total, name: progress.append((done, total)))
    by_file = {letter.file: letter for letter in letters}
    assert set(by_file) == {"a.txt", "batch.zip/copy-of-a.txt", "batch.zip/notes.docx", "broken.zip", "random.pdf"}
    assert progress[-1] == (5, 5) and len(progress) == 5
    assert by_file["a.txt"].status in ("ok", "partial") and by_file["a.txt"].decisions[0].outcome == "upheld"
    assert by_file["batch.zip/copy-of-a.txt"].decisions == by_file["a.txt"].decisions
    for name in ("batch.zip/notes.docx", "broken.zip", "random.pdf"):
        assert by_file[name].status == "error" and by_file[name].error and "\n" not in by_file[name].error
    assert len(cache) == 2  # a.txt's bytes parsed once; random.pdf once
    files = build_frames([letter.to_dict() for letter in letters]).letters.set_index("file")
    assert files.loc["batch.zip/copy-of-a.txt", "duplicate_file"] and files.loc["a.txt", "duplicate_case"]


def test_a_rerun_reuses_the_cache():
    cache: dict = {}
    first = parse_uploads([("a.txt", LETTER)], cache)
    cache_entry = next(iter(cache.values()))
    again = parse_uploads([("renamed.txt", LETTER)], cache)
    assert again[0].file == "renamed.txt" and again[0].decisions is cache_entry.decisions
    assert first[0].file == "a.txt"
