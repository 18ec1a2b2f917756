"""Published statewide IMR figures (DWC and CWCI reports), shown only as labeled reference values.

The figures live in data/statewide.csv, one per row, each with the report it comes from; rates and
shares are fractions (0.127 = 12.7%).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

STATEWIDE_CSV = Path(__file__).resolve().parent.parent / "data" / "statewide.csv"
REFERENCE_LABEL = "statewide reference (DWC/CWCI)"


def load_statewide(path: Path = STATEWIDE_CSV) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"period": str})


def statewide_metric(statewide: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Rows of one metric (overturn_rate, category_share, ...) in period order."""
    return statewide[statewide["metric"] == metric].sort_values("period").reset_index(drop=True)
