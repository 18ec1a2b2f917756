"""`python -m imr parse` and `python -m imr cite` as a user runs them."""
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import synth
from imr.extract import expand_upload
from synth.bad import all_bad_files

ROOT = Path(__file__).resolve().parent.parent


def run_imr(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "imr", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory) -> tuple[Path, list[synth.SyntheticLetter]]:
    folder = tmp_path_factory.mktemp("mixed")
    letters = synth.generate(8, seed=99)
    for letter in letters:
        (folder / "good" / f"{letter.name}.pdf").parent.mkdir(exist_ok=True)
        (folder / "good" / f"{letter.name}.pdf").write_bytes(letter.pdf_bytes())
    for name, data in all_bad_files().items():
        (folder / name).write_bytes(data)
    return folder, letters


def test_parse_folder_gives_one_correct_record_per_file(mixed_folder):
    folder, letters = mixed_folder
    result = run_imr("parse", "--workers", "2", str(folder))
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    files = [p for p in folder.rglob("*") if p.is_file() and p.name != ".DS_Store"]
    zip_entries = expand_upload("letters.zip", (folder / "letters.zip").read_bytes())
    assert len(records) == len(files) - 1 + len(zip_entries)
    assert [r["file"] for r in records] == sorted(r["file"] for r in records)  # stable order
    by_case = {r["case_number"]: r for r in records if r["case_number"]}
    for letter in letters:
        record = by_case[letter.truth["case_number"]]
        assert record["status"] == "ok"
        assert [d["outcome"] for d in record["decisions"]] == [d["outcome"] for d in letter.truth["decisions"]]
    errors = {Path(r["file"]).name: r["error"] for r in records if r["status"] == "error"}
    assert "encrypted PDF" in errors["encrypted.pdf"] and ("no text found" in errors["image_only.pdf"] or "OCR" in errors["image_only.pdf"])


def test_parse_output_is_the_same_with_one_worker_or_two(mixed_folder):
    folder, _ = mixed_folder
    one, two = run_imr("parse", "--workers", "1", "--format", "jsonl", str(folder)), run_imr("parse", "--workers", "2", "--format", "jsonl", str(folder))
    assert one.stdout == two.stdout and one.stdout.count("\n") > 10


def test_csv_has_one_row_per_decision_and_one_per_failed_file(mixed_folder):
    folder, letters = mixed_folder
    result = run_imr("parse", "--format", "csv", str(folder / "good"), str(folder / "empty.pdf"))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == sum(len(l.truth["decisions"]) for l in letters) + 1
    assert rows[-1]["status"] == "error" and rows[-1]["error"] == "empty file"
    assert {"case_number", "decision_treatment", "decision_outcome", "decision_citations"} <= set(rows[0])


def test_csv_carries_each_decisions_reasons_and_guideline_limit():
    letter = ROOT / "tests" / "fixtures" / "letters_d" / "maximus_2014_02.txt"
    records = json.loads(run_imr("parse", str(letter)).stdout)
    rows = list(csv.DictReader(io.StringIO(run_imr("parse", "--format", "csv", str(letter)).stdout)))
    decisions = records[0]["decisions"]
    assert len(rows) == len(decisions) >= 2
    for row, decision in zip(rows, decisions):
        assert row["decision_reasons"] == "; ".join(r["tag"] for r in decision["reasons"]) != ""
        assert row["decision_prior_quantity"] == ("" if decision["prior_quantity"] is None else str(decision["prior_quantity"]))
        assert row["decision_over_limit"] == ("" if decision["over_limit"] is None else str(decision["over_limit"]))
    # the first item is measured against "13-20 visits over 13-20 weeks" (tests/fixtures/letters_d/maximus_2014_02.reasons.json)
    assert rows[0]["decision_guideline_limit"] == "20 visits" and rows[0]["decision_prior_quantity"] == "20"


def test_unreadable_path_is_reported_not_fatal(tmp_path):
    result = run_imr("parse", str(tmp_path / "missing.pdf"))
    assert result.returncode == 0
    [record] = json.loads(result.stdout)
    assert record["status"] == "error" and record["error"] == "no such file or folder"


def test_cite_prints_one_result_per_text_in_order():
    result = run_imr("cite", "MTUS Chronic Pain Treatment Guidelines Massage therapy, p60 Page(s): 60",
                     "Non-MTUS Official Disability Guidelines (ODG) Pain (Chronic), Zolpidem", "Decision based on medical records")
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout)
    assert [r["source"] for r in results] == ["CPMTG", "ODG", None]
    assert results[0]["section"] == "Massage therapy" and results[0]["pages"] == "60"
    assert set(results[0]) == {"text", "source", "section", "pages", "score", "year", "chapter", "catalogue_id"}
