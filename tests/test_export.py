from __future__ import annotations

import datetime as dt
import io
import json
import re

import numpy as np
import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest

from corpus_records import citation, decision, letter, sample_records
from imr.corpus import NO_EVIDENCE, Filters, build_frames
from imr.export import (EXCEL_CELL_CHARS, MAX_COLUMN_WIDTH, citations_with_threshold, export_frame, figure_html, figure_png,
                        png_available, to_csv, to_excel, to_json)


@pytest.fixture
def frames():
    return build_frames(sample_records())


@pytest.fixture
def decisions(frames):
    return frames.decisions


def open_book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def column_cells(sheet, header: str) -> list:
    names = [cell.value for cell in sheet[1]]
    return [row[names.index(header)] for row in sheet.iter_rows(min_row=2)]


def test_csv_round_trips_and_flattens_lists(decisions):
    frame = pd.read_csv(io.BytesIO(to_csv(decisions)), encoding="utf-8-sig")
    assert len(frame) == len(decisions)
    assert frame.loc[0, "sections"] == "CPMTG: Opioids; ODG: Tramadol"


def test_spreadsheets_neutralise_formulas_from_letter_text():
    hostile = pd.DataFrame({"treatment": ['=HYPERLINK("http://x","y")', "@SUM(1)", "plain"], "n": [1, 2, 3]})
    csv_text = to_csv(hostile).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'@SUM" in csv_text
    sheet = open_book(to_excel({"t": hostile}))["t"]
    assert sheet["A2"].value.startswith("'=") and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 1  # numbers stay numbers


def test_formulas_in_headers_and_filter_values_are_neutralised_too():
    book = open_book(to_excel({"t": pd.DataFrame({"=cmd|' /C calc'!A0": [1]})}, filters={"Search": "=1+1"}))
    assert book["t"]["A1"].value.startswith("'=")
    assert book["filters"]["B2"].value == "'=1+1"


def test_excel_has_one_sheet_per_frame_a_filters_sheet_and_drops_control_characters(decisions):
    frame = decisions.assign(rationale="bell\x07 here")
    book = open_book(to_excel({"decisions": frame, "letters": frame.head(1)}))
    assert book.sheetnames == ["decisions", "letters", "filters"]
    assert column_cells(book["decisions"], "rationale")[0].value == "bell here"
    assert book["decisions"].max_row == len(decisions) + 1


def test_excel_sheets_have_frozen_header_and_autofilter_over_the_table(frames):
    book = open_book(to_excel({"letters": export_frame(frames.letters), "decisions": export_frame(frames.decisions)}))
    for name, frame in (("letters", frames.letters), ("decisions", frames.decisions)):
        sheet = book[name]
        last_column = openpyxl.utils.get_column_letter(sheet.max_column)
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{last_column}{len(frame) + 1}"
        assert sheet["A1"].font.bold


def test_excel_dates_are_dates_and_numbers_are_numbers(frames):
    sheet = open_book(to_excel({"letters": export_frame(frames.letters)}))["letters"]
    injury = column_cells(sheet, "Date of injury")[0]
    assert isinstance(injury.value, dt.datetime) and injury.value.date() == dt.date(2010, 1, 1)
    assert injury.is_date and injury.number_format == "yyyy-mm-dd"
    decided = [cell.value for cell in column_cells(sheet, "Decision date")]
    assert decided[1] == dt.datetime(2016, 7, 2) and decided[2] is None  # a missing date is an empty cell
    assert [cell.value for cell in column_cells(sheet, "Pages")] == [3, 3, 3, 3]
    assert all(cell.data_type == "n" for cell in column_cells(sheet, "Pages"))


def test_excel_leaves_impossible_dates_and_dates_outside_date_columns_as_text():
    frame = pd.DataFrame({"decision_date": ["2015-02-30", "2015-02-03", "soon"], "treatment": ["2015-02-03"] * 3})
    sheet = open_book(to_excel({"t": frame}))["t"]
    assert [cell.value for cell in column_cells(sheet, "decision_date")] == ["2015-02-30", dt.datetime(2015, 2, 3), "soon"]
    assert [cell.value for cell in column_cells(sheet, "treatment")] == ["2015-02-03"] * 3


def test_excel_widths_fit_the_text_up_to_a_cap():
    frame = pd.DataFrame({"Rationale": ["word " * 200], "n": [1]})
    sheet = open_book(to_excel({"t": frame}))["t"]
    assert sheet.column_dimensions["A"].width == MAX_COLUMN_WIDTH
    assert 8 <= sheet.column_dimensions["B"].width < 20


def test_excel_cells_longer_than_excel_allows_are_cut_and_say_so():
    sheet = open_book(to_excel({"t": pd.DataFrame({"rationale": ["x" * 40_000, "short"]})}))["t"]
    assert len(sheet["A2"].value) == EXCEL_CELL_CHARS and sheet["A2"].value.endswith("]")
    assert sheet["A3"].value == "short"


def test_excel_sheet_names_follow_excel_rules():
    frame = pd.DataFrame({"n": [1]})
    book = open_book(to_excel({"a/b:c*d?": frame, "A/B:C*D?": frame, "filters": frame, "x" * 40: frame}))
    assert book.sheetnames[-1] == "filters" and len(book.sheetnames) == 5
    assert len({name.lower() for name in book.sheetnames}) == 5
    assert all(len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name) for name in book.sheetnames)


@pytest.mark.parametrize("given", [
    Filters(outcome=("upheld", "overturned"), text="tramadol"),
    {"Outcome": ["upheld", "overturned"], "Body part": [], "Search": "tramadol"},
    [("Outcome", ("upheld", "overturned")), ("Search", "tramadol"), ("Drug", None)],
])
def test_filters_sheet_lists_active_filters_export_time_and_sources(given):
    when = dt.datetime(2026, 11, 29, 23, 5, tzinfo=dt.timezone.utc)
    book = open_book(to_excel({"t": pd.DataFrame({"n": [1]})}, filters=given,
                              sources=["uploaded: 3 files", "demo: 64 letters"], exported_at=when))
    rows = [tuple(cell.value for cell in row) for row in book["filters"].iter_rows()]
    assert rows[0] == ("Filter", "Values")
    assert rows[1][1] == "upheld; overturned" and rows[2][1] == "tramadol"
    assert rows[-2] == ("Exported at (UTC)", "2026-11-29 23:05:00")
    assert rows[-1] == ("Corpus sources", "uploaded: 3 files; demo: 64 letters")
    assert len(rows) == 5  # empty filters are left out


def test_filters_sheet_says_when_nothing_was_filtered():
    rows = [tuple(c.value for c in row) for row in open_book(to_excel({"t": pd.DataFrame({"n": [1]})}))["filters"].iter_rows()]
    assert rows[1] == ("(none)", "all rows")


def test_json_keeps_lists_and_nulls(decisions):
    records = json.loads(to_json(decisions))
    assert records[0]["sources"] == ["CPMTG", "ODG"]
    assert records[5]["outcome"] == "unknown"
    assert records[4]["patient_age"] is None


def test_json_writes_whole_numbers_as_integers():
    record = letter("q.pdf", [decision("Tramadol", "upheld"), decision("PT", "upheld"), decision("MRI", "upheld")])
    record["decisions"][0]["quantity"] = 60.0
    record["decisions"][1]["quantity"] = 12
    decisions = build_frames([record]).decisions
    records = json.loads(to_json(export_frame(decisions, "machine")))
    quantities = [r["quantity"] for r in records]
    assert quantities == [60, 12, None] and all(type(q) is int for q in quantities[:2])
    floats = json.loads(to_json(pd.DataFrame({"whole": [60.0, np.nan], "rate": [0.25, 1.0]})))
    assert floats == [{"whole": 60, "rate": 0.25}, {"whole": None, "rate": 1.0}]
    assert "60.0" not in to_csv(pd.DataFrame({"whole": [60.0, np.nan]})).decode("utf-8-sig")


def test_export_frame_drops_internal_columns_and_names_columns_for_people(decisions):
    frame = decisions.assign(_score_cache=1)
    human = export_frame(frame)
    assert "letter_id" not in human and "_score_cache" not in human and "Letter id" not in human
    assert {"Date of injury", "Claims administrator guideline", "Case number", "UR action"} <= set(
        export_frame(build_frames(sample_records()).letters)) | set(human)
    assert list(human["Item"]) == [index + 1 for index in decisions["decision_index"]]  # items from 1
    machine = export_frame(frame, "machine")
    assert list(machine.columns) == [c for c in decisions.columns if c != "letter_id" and not c.startswith("_")]
    assert list(machine["decision_index"]) == list(decisions["decision_index"])
    with pytest.raises(ValueError):
        export_frame(frame, "xlsx")


def test_reason_offsets_are_for_programs_only(decisions):
    spans = [[{"tag": "no functional improvement", "start": 0, "end": 12}]] * len(decisions)
    frame = decisions.assign(reasons=spans)
    assert "reasons" not in export_frame(frame) and "Reasons" not in export_frame(frame)
    records = json.loads(to_json(export_frame(frame, "machine")))
    assert records[0]["reasons"] == spans[0]


def test_citations_export_follows_the_threshold(frames):
    records = [letter("t.pdf", [decision("Tramadol", "upheld", citations=[
        citation("CPMTG", "Opioids", score=92.0), citation("ODG", "Tramadol", score=70.0), citation(None, None, score=0.0)])])]
    records[0]["decisions"][0]["claims_administrator_guideline"] = "None cited."
    citations = build_frames(records).citations
    strict = citations_with_threshold(citations, 95)
    loose = citations_with_threshold(citations, 70)
    assert len(strict) == len(loose) == len(citations)
    by_text = dict(zip(loose["text"], loose["matched"]))
    assert by_text == {"CPMTG Opioids": "yes", "ODG Tramadol": "yes", "None None": "no", "None cited.": "no"}
    assert set(strict["matched"]) == {"no"}
    assert list(loose.columns).index("matched") == list(loose.columns).index("score") + 1
    assert loose.loc[loose["group"] == NO_EVIDENCE, "matched"].tolist() == ["no"]


def test_chart_html_embeds_plotly_js_and_loads_nothing_from_the_network():
    page = figure_html(go.Figure(go.Bar(x=[1], y=[2])), caption="Filters: outcome = <b>upheld</b>").decode()
    assert "<html>" in page and len(page) > 1_000_000
    assert "plotly.js v" in page  # the bundle's banner
    assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", page)
    assert "Filters: outcome = &lt;b&gt;upheld&lt;/b&gt;" in page


@pytest.mark.parametrize("failure", [RuntimeError("no browser"), b"", "not bytes", b"<svg/>"])
def test_png_that_cannot_render_is_none_never_empty_bytes(monkeypatch, failure):
    def fake_to_image(self, *args, **kwargs):
        if isinstance(failure, Exception):
            raise failure
        return failure
    monkeypatch.setattr(go.Figure, "to_image", fake_to_image)
    assert figure_png(go.Figure(go.Bar(x=[1], y=[2]))) is None


def test_png_when_a_browser_and_kaleido_are_present():
    if not png_available():
        pytest.skip("kaleido or Chromium not installed: PNG comes from the chart toolbar")
    png = figure_png(go.Figure(go.Bar(x=[1], y=[2])))
    assert png is not None and png.startswith(b"\x89PNG")
