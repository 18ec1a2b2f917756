from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest

from corpus_records import sample_records
from imr.corpus import build_frames
from imr.export import figure_html, figure_png, png_available, to_csv, to_excel, to_json


@pytest.fixture
def decisions():
    return build_frames(sample_records()).decisions


def test_csv_round_trips_and_flattens_lists(decisions):
    frame = pd.read_csv(io.BytesIO(to_csv(decisions)), encoding="utf-8-sig")
    assert len(frame) == len(decisions)
    assert frame.loc[0, "sections"] == "CPMTG: Opioids; ODG: Tramadol"


def test_spreadsheets_neutralise_formulas_from_letter_text():
    hostile = pd.DataFrame({"treatment": ['=HYPERLINK("http://x","y")', "@SUM(1)", "plain"], "n": [1, 2, 3]})
    csv_text = to_csv(hostile).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'@SUM" in csv_text
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel({"t": hostile}))).active
    assert sheet["A2"].value.startswith("'=") and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 1  # numbers stay numbers


def test_excel_has_one_sheet_per_frame_and_drops_control_characters(decisions):
    frame = decisions.assign(rationale="bell\x07 here")
    book = openpyxl.load_workbook(io.BytesIO(to_excel({"decisions": frame, "letters": frame.head(1)})))
    assert book.sheetnames == ["decisions", "letters"]
    header = [cell.value for cell in book["decisions"][1]]
    assert book["decisions"].cell(2, header.index("rationale") + 1).value == "bell here"
    assert book["decisions"].max_row == len(decisions) + 1


def test_json_keeps_lists_and_nulls(decisions):
    records = json.loads(to_json(decisions))
    assert records[0]["sources"] == ["CPMTG", "ODG"]
    assert records[5]["outcome"] == "unknown"
    assert records[4]["patient_age"] is None


def test_chart_html_is_standalone():
    fig = go.Figure(go.Bar(x=[1], y=[2]))
    cdn = figure_html(fig).decode()
    assert "<html>" in cdn and "cdn.plot.ly" in cdn
    embedded = figure_html(fig, embed_plotlyjs=True)
    assert len(embedded) > 1_000_000 > len(cdn)


def test_png_when_a_browser_and_kaleido_are_present():
    if not png_available():
        pytest.skip("kaleido or Chromium not installed: PNG comes from the chart toolbar")
    png = figure_png(go.Figure(go.Bar(x=[1], y=[2])))
    assert png is not None and png.startswith(b"\x89PNG")
