"""Hostile inputs, each run in a child process with a time and memory budget (tests/bounded.py): every
case ends, within its budget, as a correct record or a one-line error record naming what it hit."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import imr
import synth
from bounded import run_bounded
from imr import citations, clean, fields, items
from imr.batch import parse_guarded
from imr.citation_odg import read_non_mtus
from imr.layouts.base import decision_parts
from imr.layouts.registry import detect_layout
from imr.models import InputFile, Page
from synth import hostile

ROOT = Path(__file__).resolve().parent.parent
WORST_CASE_CHARS = 200_000
# Linear work on 200 KB takes well under a second here; quadratic work takes minutes.
FINDER_SECONDS = 5.0

FINDERS = {
    "age": fields.find_age,
    "sex": fields.find_sex,
    "body parts": fields.find_body_parts,
    "diagnoses": fields.find_diagnoses,
    "credentials": fields.find_prose_credentials,
    "case number": fields.find_case_number,
    "outcome": lambda text: fields.outcome_from_necessity(text, last=True),
    "item heading": items.parse_item_heading,
    "decision parts": decision_parts,
    "citations": lambda text: citations.find_citations(text, "reviewer"),
    "non-MTUS works": read_non_mtus,
    "cleaning": lambda text: clean.clean_pages([Page(1, text)]),
    "layout": detect_layout,
}
# What each finder's patterns look for, repeated with no end: where lazy spans would rescan.
WORST_TOKENS = ("board certified in ", "licensed in ", "subspecialty in ", "a 45 year old ", "Date of Injury: ", "MTUS, ",
                "Section(s): ", "Official Disability Guidelines, ", "was the original request. ", "diagnoses include ",
                "not medically ", "Claims Administrator guideline: ", "Decision based on ", "Knee Complaints 2004, and ",
                "Non-MTUS Citation ", "Regarding the request for ", "Qty: ", "(", "\n", " ", "updated ", "-")


def _worst_case(token: str) -> str:
    return token * (WORST_CASE_CHARS // len(token))


def _all_finders_on(token: str) -> dict[str, float]:
    import time as clock
    took = {}
    text = _worst_case(token)
    for name, finder in FINDERS.items():
        start = clock.perf_counter()
        finder(text)
        took[name] = clock.perf_counter() - start
    return took


@pytest.mark.parametrize("token", WORST_TOKENS)
def test_every_finder_is_linear_on_its_worst_case(token):
    took, _ = run_bounded(_all_finders_on, token, seconds=FINDER_SECONDS * len(FINDERS))
    slow = {name: round(seconds, 2) for name, seconds in took.items() if seconds > FINDER_SECONDS}
    assert not slow, f"{token!r} x {WORST_CASE_CHARS // len(token)}: {slow}"


@pytest.mark.parametrize("recipe, expected_status, message", [
    (lambda: hostile.repeated_citation_line_letter(), "ok", None),
    (lambda: hostile.repeated_credentials_letter(), "ok", None),
    (lambda: hostile.many_decisions_letter(), "error", "decisions (limit"),
    (lambda: "\n" * 49_000_000, "error", None),
    (lambda: hostile.letter_text() + " lorem" * 80_000, "error", "text too long"),
], ids=["citation line of 'MTUS, '", "credentials without end", "2,000 decisions", "49 MB of newlines", "text past the budget"])
def test_hostile_text_ends_within_budget(recipe, expected_status, message):
    letter, seconds = run_bounded(imr.parse_bytes, recipe().encode("utf-8"), "hostile.txt", seconds=15)
    assert letter.status == expected_status, letter.error
    assert message is None or message in letter.error


def test_huge_media_box_skips_the_layout_reading():
    letter, seconds = run_bounded(imr.parse_bytes, hostile.huge_media_box_pdf(), "big.pdf", seconds=15)
    assert letter.status in ("ok", "partial") and seconds < 5


def test_dense_pdf_is_refused_by_its_text_budget():
    letter, _ = run_bounded(imr.parse_bytes, hostile.dense_pdf(), "dense.pdf", seconds=15)
    assert letter.status == "error" and "text too long" in letter.error


def test_a_slow_file_becomes_an_error_record_and_the_batch_goes_on():
    good = synth.generate(3, seed=5)
    inputs = [InputFile("bomb.pdf", data=hostile.inflating_stream_pdf(256))]
    inputs += [InputFile(f"{g.name}.pdf", data=g.pdf_bytes()) for g in good]
    start = time.monotonic()
    letters = list(parse_guarded(inputs, workers=2, seconds=1.5))
    assert time.monotonic() - start < 20
    assert [letter.file for letter in letters] == [item.name for item in inputs]
    assert letters[0].status == "error" and "longer than 1.5 s" in letters[0].error
    assert [letter.case_number for letter in letters[1:]] == [g.truth["case_number"] for g in good]


def test_memory_budget_ends_a_file_not_the_batch():
    inputs = [InputFile("bomb.pdf", data=hostile.inflating_stream_pdf(768)), InputFile("x.txt", data=hostile.letter_text().encode())]
    letters = list(parse_guarded(inputs, workers=1, memory_bytes=256 * 1024 * 1024))
    assert letters[0].status == "error" and letters[0].error
    assert letters[1].status in ("ok", "partial")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def test_cli_batch_survives_a_killed_worker_and_hostile_files(tmp_path):
    good = synth.generate(50, seed=8)
    folder = tmp_path / "letters"
    folder.mkdir()
    # Sorted first, the slow files hold both workers when one of them is killed.
    (folder / "000_bomb_a.pdf").write_bytes(hostile.inflating_stream_pdf(1024))
    (folder / "001_bomb_b.pdf").write_bytes(hostile.inflating_stream_pdf(1024))
    (folder / "002_big_page.pdf").write_bytes(hostile.huge_media_box_pdf())
    (folder / "003_citations.txt").write_text(hostile.repeated_citation_line_letter())
    (folder / "004_decisions.txt").write_text(hostile.many_decisions_letter())
    for letter in good:
        (folder / f"{letter.name}.pdf").write_bytes(letter.pdf_bytes())
    process = subprocess.Popen([sys.executable, "-m", "imr", "parse", "--workers", "2", str(folder)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while not (workers := _children(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(workers[0], signal.SIGKILL)
    out, err = process.communicate(timeout=240)
    assert process.returncode == 0, err
    records = json.loads(out)
    assert len(records) == 55 and "Traceback" not in err
    by_file = {Path(r["file"]).name: r for r in records}
    for letter in good:
        record = by_file[f"{letter.name}.pdf"]
        assert record["status"] != "error" and record["case_number"] == letter.truth["case_number"]
        assert len(record["decisions"]) == len(letter.truth["decisions"])
    errors = [by_file[name] for name in ("000_bomb_a.pdf", "001_bomb_b.pdf", "004_decisions.txt")]
    assert all(r["status"] == "error" and r["error"] for r in errors)
    assert any("died" in r["error"] for r in errors)


def test_cli_handles_a_closed_pipe_bad_worker_counts_and_an_empty_folder(tmp_path):
    for letter in synth.generate(6, seed=9):
        (tmp_path / f"{letter.name}.txt").write_text(letter.text())
    shell = f"{sys.executable} -m imr parse --format jsonl {tmp_path} | head -c 10"
    closed = subprocess.run(shell, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in closed.stderr and "BrokenPipe" not in closed.stderr
    zero = subprocess.run([sys.executable, "-m", "imr", "parse", "--workers", "0", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert zero.returncode == 2 and "must be 1 or more" in zero.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = subprocess.run([sys.executable, "-m", "imr", "parse", str(empty)], cwd=ROOT, capture_output=True, text=True)
    assert nothing.returncode == 0 and json.loads(nothing.stdout) == [] and "no files found" in nothing.stderr


def test_cli_csv_neutralises_formulas_and_names_that_are_not_utf8(tmp_path):
    text = hostile.letter_text()
    first_item = text.index("set forth below:") + len("set forth below:\n")
    text = text[:first_item] + '=HYPERLINK("http://example.invalid","x") ' + text[first_item:]
    name = os.fsencode(tmp_path) + b"/letter-\xff.txt"
    with open(name, "w") as handle:
        handle.write(text)
    result = subprocess.run([sys.executable, "-m", "imr", "parse", "--format", "csv", str(tmp_path)], cwd=ROOT,
                            capture_output=True, timeout=60, env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"})
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")
    assert "letter-\ufffd.txt" in out
    assert ",=HYPERLINK" not in out and "'=HYPERLINK" in out


@pytest.mark.parametrize("change, field", [
    (lambda t: t.replace("Date of Injury", "Date\u200d of\u200b Injury", 1), "date_of_injury"),
    (lambda t: t.replace("Upheld", "Up\u202eheld").replace("Overturned", "Over\u2060turned"), "outcome"),
    (lambda t: t.replace("\n", "\u2028"), "decisions"),
    (lambda t: t.replace("\n", "\u0085"), "decisions"),
    (lambda t: t.replace("Upheld", "U\u0440held"), "outcome"),  # Cyrillic er for p
    (lambda t: t + "\ud800", "decisions"),  # a lone surrogate
], ids=["zero-width in a label", "bidi and word joiner in outcomes", "U+2028 line breaks", "U+0085 line breaks",
        "homoglyph in Upheld", "lone surrogate"])
def test_invisible_and_lookalike_characters_lose_no_field(change, field):
    letter = synth.generate(1, seed=31, layouts=["determination"])[0]
    parsed = imr.parse_text(change(letter.text()), "odd.txt")
    truth = letter.truth
    if field == "date_of_injury":
        assert parsed.date_of_injury == truth["date_of_injury"]
    elif field == "outcome":
        assert [d.outcome for d in parsed.decisions] == [d["outcome"] for d in truth["decisions"]]
    else:
        assert len(parsed.decisions) == len(truth["decisions"])


def test_one_bad_byte_does_not_turn_a_utf8_file_into_mojibake():
    text = hostile.letter_text().replace("Decision rationale:", "Decision rationale: The worker\u2019s pain", 1)
    data = text.encode("utf-8").replace(b"CLINICAL CASE SUMMARY", b"CLINICAL CASE SUMMARY \xff", 1)
    letter = imr.parse_bytes(data, "one-bad-byte.txt")
    assert "worker's pain" in letter.text and "\u00e2" not in letter.text  # no cp1252 mojibake


def test_utf16_without_a_byte_order_mark_is_read():
    text = hostile.letter_text()
    for encoding in ("utf-16-le", "utf-16-be"):
        letter = imr.parse_bytes(text.encode(encoding), "utf16.txt")
        assert letter.status != "error" and letter.decisions, encoding

