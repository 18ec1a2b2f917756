"""The grids: human column names, items from 1, blanks instead of "nan", whole numbers as integers."""
from __future__ import annotations

from corpus_records import decision, letter, sample_records
from imr.corpus import build_frames
from imr.tables import blank, count, decisions_table, letter_label, letters_table, percent


def test_decisions_table_reads_as_people_expect():
    frames = build_frames(sample_records())
    table = decisions_table(frames.decisions)
    assert list(table.columns[:5]) == ["Case number", "Item", "Treatment", "Quantity", "Outcome"]
    assert table["Item"].tolist() == [1, 2, 1, 1, 2, 3]
    assert "nan" not in table.astype(str).to_string().replace("Quantity", "")
    assert table.loc[4, "Decision date"] is not None and str(table.loc[0, "Decision date"]) == "2015-04-15"
    assert table.loc[0, "Guideline sections cited"] == "CPMTG: Opioids; ODG: Tramadol"
    assert table.loc[0, "Letters from"] == "your uploaded letters"


def test_whole_number_columns_stay_integers():
    records = [letter("a", [{**decision("Norco", "upheld"), "quantity": 60.0}, decision("MRI", "upheld")])]
    table = decisions_table(build_frames(records).decisions)
    assert str(table["Quantity"].dtype) == "Int64" and table["Quantity"].tolist()[0] == 60
    assert letters_table(build_frames(records).letters)["Decisions"].tolist() == [2]


def test_counts_and_percentages():
    assert count(1, "decision") == "1 decision" and count(1204, "decision") == "1,204 decisions"
    assert count(2, "search match", "search matches") == "2 search matches"
    assert percent(0.13207) == "13.2%" and percent(float("nan")) == "–"


def test_a_letter_without_a_case_number_never_reads_nan():
    letters = build_frames(sample_records()).letters
    row = {file: letters[letters["file"] == file].iloc[0] for file in ("a.pdf", "broken.pdf")}
    assert letter_label(row["broken.pdf"]) == "no case number · broken.pdf · error"
    assert letter_label(row["a.pdf"]) == "CM-a.pdf · a.pdf · ok"
    assert blank(row["a.pdf"]["error"]) == "" and blank(None) == "" and blank(0) == "0"
