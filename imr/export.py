"""Bytes for downloads: CSV / Excel / JSON for frames, HTML (and PNG where possible) for charts.

Letter text is untrusted: every spreadsheet cell goes through `imr.safe_text.spreadsheet_cell`
(control characters dropped, then formulas neutralised), and a chart caption is HTML-escaped.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import importlib.util
import io
import json
import math
import os
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import openpyxl
import pandas as pd
import plotly.graph_objects as go
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from imr.corpus import split_citations
from imr.safe_text import spreadsheet_cell

# Frame columns that only tie rows together inside one session (a row number), never exported.
INTERNAL_COLUMNS = frozenset({"letter_id"})
# Record fields only a program can use, left out of the human (CSV, Excel) exports: a decision's
# reasons are character offsets into its rationale; reason_tags carries the tags for people.
MACHINE_ONLY_COLUMNS = frozenset({"reasons"})
# Human names where "snake_case -> Sentence case" is not enough (acronyms, 0-based index).
_HUMAN_NAMES = {
    "sha256": "SHA-256",
    "ocr": "OCR",
    "ur_denial_date": "UR denial date",
    "ur_action": "UR action",
    "days_ur_to_decision": "Days from UR denial to decision",
    "decision_index": "Item",  # shown 1-based, as the app numbers items
    "catalogue_id": "Catalogue ID",
    "ci_low": "95% CI low",
    "ci_high": "95% CI high",
    "score": "Match score",
    "sources_reviewer": "Sources cited by the reviewer",
    "sources_claims_administrator": "Sources cited by the claims administrator",
    "sections_reviewer": "Sections cited by the reviewer",
    "sections_claims_administrator": "Sections cited by the claims administrator",
}
# Record date fields; any other column with "date" in its name is a date column too.
DATE_COLUMNS = frozenset({"date_of_injury", "ur_denial_date", "application_received", "date_assigned", "decision_date"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_COLUMN_WIDTH = 60  # characters: a rationale column does not push every other column off screen
_WIDTH_SAMPLE_ROWS = 500  # widths from the header and the first rows: a 100k-row sheet stays fast
EXCEL_CELL_CHARS = 32_767  # Excel's limit: a longer cell makes it "repair" (drop) the sheet's content
_CUT_MARK = " [cut: longer than an Excel cell holds]"
FILTERS_SHEET = "filters"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

ExportKind = Literal["human", "machine"]
FilterRows = Mapping[str, Any] | Iterable[tuple[str, Any]] | Any  # Any: a filters dataclass (corpus.Filters)


def human_name(column: str) -> str:
    """"date_of_injury" -> "Date of injury"; acronyms and the item number by the table above."""
    if column in _HUMAN_NAMES:
        return _HUMAN_NAMES[column]
    words = column.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def is_internal(column: str) -> bool:
    return column in INTERNAL_COLUMNS or column.startswith("_")


def export_frame(frame: pd.DataFrame, kind: ExportKind = "human") -> pd.DataFrame:
    """The frame as exported: internal columns removed; "human" (CSV, Excel) also leaves out
    machine-only fields, renames columns to human names and numbers items from 1; "machine" (JSON)
    keeps the record contract's snake_case names and the 0-based decision_index."""
    if kind not in ("human", "machine"):
        raise ValueError(f"kind must be 'human' or 'machine', not {kind!r}")
    kept = frame[[column for column in frame.columns if not is_internal(str(column))]]
    if kind == "machine":
        return kept.copy()
    kept = kept[[column for column in kept.columns if column not in MACHINE_ONLY_COLUMNS]]
    if "decision_index" in kept:
        kept = kept.assign(decision_index=kept["decision_index"] + 1)
    return kept.rename(columns=lambda column: human_name(str(column)))


def citations_with_threshold(citations: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The citations frame with a "matched" yes/no column after "score": yes when the catalogue
    matched it at or above the app's score threshold (the rule of `corpus.split_citations`)."""
    matched, _ = split_citations(citations, threshold)
    flags = pd.Series("no", index=citations.index, dtype=object)
    flags[citations.index.isin(matched.index)] = "yes"
    out = citations.copy()
    position = out.columns.get_loc("score") + 1 if "score" in out else len(out.columns)
    out.insert(position, "matched", flags)
    return out


# --- cells -----------------------------------------------------------------------------------------

def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _flat_text(value: Any) -> str:
    """Lists become "a; b", dicts "key: value, ..." (nested record fields in one cell)."""
    if isinstance(value, (list, tuple)):
        return "; ".join(_flat_text(item) for item in value if not _is_missing(item))
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_flat_text(item)}" for key, item in value.items() if not _is_missing(item))
    return str(value)


def _flat_cell(value: Any) -> Any:
    """Lists and dicts flattened to text; every string goes through the one spreadsheet neutraliser."""
    if isinstance(value, (list, tuple, dict)):
        value = _flat_text(value)
    return spreadsheet_cell(value)


def spreadsheet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as safe, flat cells for CSV and Excel."""
    return frame.apply(lambda column: column.map(_flat_cell)) if len(frame) else frame.copy()


def _whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Number columns holding only whole numbers (a quantity of 60, NaN where unknown) as nullable
    integers, so no export writes 60.0. Record fields built from dicts arrive as object columns."""
    converted = {}
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object:
            known = values[~values.map(_is_missing)]
            if not len(known) or not isinstance(known.iloc[0], (int, float)) or not known.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).all():
                continue
            values = pd.to_numeric(values.where(~values.map(_is_missing)), errors="coerce").astype(float)
        if pd.api.types.is_float_dtype(values) and values.notna().any():
            known = values.dropna()
            if (known == known.round()).all() and known.abs().max() < 2**53:  # inf fails the bound
                converted[column] = values.astype("Int64")
    return frame.assign(**converted) if converted else frame


def _is_date_column(column: str) -> bool:
    raw = next((key for key, name in _HUMAN_NAMES.items() if name == column), column)
    raw = raw.lower().replace(" ", "_")
    return raw in DATE_COLUMNS or "date" in raw


def _excel_value(value: Any, is_date: bool) -> Any:
    """A Python value openpyxl writes with the right type: dates, numbers, booleans, safe text."""
    if _is_missing(value) or (isinstance(value, str) and not value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) and value.tzinfo is None else value.replace(tzinfo=None)
    if isinstance(value, dt.date) or isinstance(value, bool):
        return value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, int):
        return value
    if is_date and isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:  # "2015-02-30": left as the letter wrote it
            pass
    cell = _flat_cell(value)
    if isinstance(cell, str) and len(cell) > EXCEL_CELL_CHARS:
        cell = cell[:EXCEL_CELL_CHARS - len(_CUT_MARK)] + _CUT_MARK
    return cell


# --- files -----------------------------------------------------------------------------------------

def to_csv(frame: pd.DataFrame) -> bytes:
    # utf-8-sig so Excel opens non-ASCII names correctly.
    return spreadsheet_frame(_whole_numbers(frame)).to_csv(index=False).encode("utf-8-sig")


def _sheet_title(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case."""
    base = _SHEET_NAME_FORBIDDEN.sub(" ", str(name)).strip("' ")[:31] or "sheet"
    title, number = base, 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = base[:31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def _write_sheet(book: openpyxl.Workbook, title: str, frame: pd.DataFrame) -> None:
    """Header row bold and frozen, autofilter over the table, dates as dates, readable widths. The
    book is write-only (rows streamed, not kept as cell objects: several times faster), so widths,
    panes and the filter are set before the rows."""
    sheet = book.create_sheet(title)
    columns = [str(column) for column in frame.columns]
    date_columns = [_is_date_column(column) for column in columns]
    header = [spreadsheet_cell(column) for column in columns]
    rows = ([_excel_value(value, is_date) for value, is_date in zip(row, date_columns)]
            for row in frame.itertuples(index=False, name=None))
    sample = frame.head(_WIDTH_SAMPLE_ROWS).itertuples(index=False, name=None)
    widths = [_cell_width(name) for name in header]
    for row in sample:
        widths = [max(width, _cell_width(_excel_value(value, is_date))) for width, value, is_date in zip(widths, row, date_columns)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    sheet.append([_styled(sheet, name, font=_BOLD) for name in header])
    for row in rows:
        sheet.append([_styled(sheet, value, number_format="yyyy-mm-dd") if isinstance(value, dt.date)
                      and not isinstance(value, dt.datetime) else value for value in row])


_BOLD = Font(bold=True)


def _styled(sheet, value: Any, font: Font | None = None, number_format: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _cell_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    return max(len(line) for line in str(value).splitlines() or [""])


def filter_rows(filters: FilterRows | None) -> list[tuple[str, str]]:
    """(name, values) for each active filter, from a mapping, (name, value) pairs or a filters
    dataclass (fields at their default left out); empty values are left out, lists joined with "; "."""
    if filters is None:
        return []
    if dataclasses.is_dataclass(filters) and not isinstance(filters, type):
        pairs: Iterable[tuple[str, Any]] = ((human_name(f.name), getattr(filters, f.name))
                                            for f in dataclasses.fields(filters)
                                            if getattr(filters, f.name) != f.default)  # a default is no filter
    elif isinstance(filters, Mapping):
        pairs = filters.items()
    else:
        pairs = filters
    rows = []
    for name, value in pairs:
        if isinstance(value, (set, frozenset)):
            value = sorted(map(str, value))
        text = "" if _is_missing(value) else _flat_text(value)
        if text.strip():
            rows.append((str(name), text))
    return rows


def to_excel(sheets: Mapping[str, pd.DataFrame], filters: FilterRows | None = None,
             sources: Sequence[str] | str | None = None, exported_at: dt.datetime | None = None) -> bytes:
    """One sheet per frame, then a "filters" sheet: each active filter (name, values), the export
    time (UTC) and the corpus sources, so the file says what it is a selection of."""
    book = openpyxl.Workbook(write_only=True)
    taken: set[str] = {FILTERS_SHEET}
    for name, frame in sheets.items():
        _write_sheet(book, _sheet_title(name, taken), frame)
    when = (exported_at or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    source_text = sources if isinstance(sources, str) else "; ".join(sources or [])
    active = filter_rows(filters) or [("(none)", "all rows")]
    about = pd.DataFrame(
        [*active, ("Exported at (UTC)", when.strftime("%Y-%m-%d %H:%M:%S")), ("Corpus sources", source_text or "unknown")],
        columns=["Filter", "Values"])
    _write_sheet(book, FILTERS_SHEET, about)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_json(frame: pd.DataFrame) -> bytes:
    """Records with whole numbers as integers, lists kept as lists and missing values as null."""
    frame = _whole_numbers(frame)
    dates = {column: frame[column].map(lambda v: None if _is_missing(v) else _excel_value(v, False).isoformat())
             for column in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[column])}
    frame = frame.assign(**dates) if dates else frame
    records = json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=15))
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def figure_html(fig: go.Figure, caption: str | None = None) -> bytes:
    """A standalone page with plotly.js embedded, so it works offline; `caption` (e.g. the active
    filters) is printed under the chart, escaped."""
    page = fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False})
    if caption:
        note = f'<p style="font-family:sans-serif;color:#333">{html.escape(caption)}</p>\n'
        page = page.replace("</body>", note + "</body>", 1)
    return page.encode("utf-8")


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def figure_png(fig: go.Figure, scale: float = 2.0) -> bytes | None:
    """PNG through kaleido (needs a Chrome/Chromium); None when it cannot render, never empty bytes."""
    try:
        image = fig.to_image(format="png", scale=scale)
    except Exception:  # kaleido missing or no browser: the caller hides or explains the button
        return None
    return image if isinstance(image, bytes) and image.startswith(_PNG_SIGNATURE) else None


def png_available() -> bool:
    """kaleido 1.x renders through a local Chrome/Chromium (BROWSER_PATH or one on PATH)."""
    has_browser = bool(os.environ.get("BROWSER_PATH")) or any(
        shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome"))
    return has_browser and importlib.util.find_spec("kaleido") is not None
