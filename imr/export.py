"""Bytes for downloads: CSV / Excel / JSON for frames, HTML (and PNG where possible) for charts.

Letter text is untrusted: every spreadsheet cell goes through `imr.safe_text.spreadsheet_cell`
(control characters dropped, then formulas neutralised).
"""
from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from imr.safe_text import spreadsheet_cell

def _flat_cell(value: Any) -> Any:
    """Lists become "a; b"; every string goes through the one spreadsheet neutraliser."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(item) for item in value)
    return spreadsheet_cell(value)


def spreadsheet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as safe, flat cells for CSV and Excel."""
    return frame.apply(lambda column: column.map(_flat_cell)) if len(frame) else frame.copy()


def to_csv(frame: pd.DataFrame) -> bytes:
    # utf-8-sig so Excel opens non-ASCII names correctly.
    return spreadsheet_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            spreadsheet_frame(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


def to_json(frame: pd.DataFrame) -> bytes:
    """Records with lists kept as lists and missing values as null."""
    records = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def figure_html(fig: go.Figure, embed_plotlyjs: bool = False) -> bytes:
    """A standalone page; by default it loads plotly.js from its CDN (small file), or embeds it."""
    return fig.to_html(include_plotlyjs=True if embed_plotlyjs else "cdn", full_html=True).encode("utf-8")


def figure_png(fig: go.Figure, scale: float = 2.0) -> bytes | None:
    """PNG through kaleido (needs a Chrome/Chromium); None when that is unavailable."""
    try:
        return fig.to_image(format="png", scale=scale)
    except Exception:  # kaleido missing or no browser: the caller offers the toolbar's camera button
        return None


def png_available() -> bool:
    """kaleido 1.x renders through a local Chrome/Chromium (BROWSER_PATH or one on PATH)."""
    has_browser = bool(os.environ.get("BROWSER_PATH")) or any(
        shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome"))
    return has_browser and importlib.util.find_spec("kaleido") is not None
