"""Plotly figures from corpus frames: pure functions, frame in, figure out.

One builder per kind of picture (outcome counts, overturn rates, delay histogram, statewide
comparison), parameterized by a `ChartSpec`; every overturn rate carries its 95% Wilson interval
and its counts.

Each figure is built in one constructor call from plain dicts (every update_* call re-validates),
with `TEMPLATE`: Plotly's "plotly_white" cut down to what these charts draw (bar and histogram
traces on x/y axes), because validating the whole template took most of a figure's build time.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from imr.corpus import rate_table

OUTCOME_COLORS = {"upheld": "#4C78A8", "overturned": "#E45756", "unknown": "#BAB0AC"}
RATE_COLOR = "#E45756"
REFERENCE_COLOR = "#9D9D9D"
TRACE_TYPES = ("bar", "histogram")  # every trace type these charts draw
UNUSED_LAYOUT = ("coloraxis", "colorscale", "geo", "polar", "scene", "ternary")  # no colorscales, no such subplots
_WHITE = pio.templates["plotly_white"]
TEMPLATE = go.layout.Template(
    layout={name: value for name, value in _WHITE.layout.to_plotly_json().items() if name not in UNUSED_LAYOUT},
    data={kind: _WHITE.data[kind] for kind in TRACE_TYPES},
)
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=13)
RATE_AXIS_TITLE = "% overturned (whiskers: 95% CI)"


@dataclass(frozen=True)
class ChartSpec:
    key: str  # stable id, used in file names
    title: str  # what the groups are, e.g. "service category"
    column: str  # decisions-frame column to group by
    top: int | None = None  # keep only the largest groups
    horizontal: bool = True  # categories read best as rows; time reads best left to right


CHART_SPECS: tuple[ChartSpec, ...] = (
    ChartSpec("category", "service category", "category"),
    ChartSpec("ur_action", "UR action (denied or modified)", "ur_action"),
    ChartSpec("reviewer_source", "reviewer's guideline source", "reviewer_sources"),
    ChartSpec("section", "guideline section cited (top 15)", "sections", top=15),
    ChartSpec("subcategory", "subcategory (top 15)", "subcategory", top=15),
    ChartSpec("drug", "drug (top 15)", "drug", top=15),
    ChartSpec("specialty", "reviewer specialty group (top 12)", "reviewer_specialty_groups", top=12),
    ChartSpec("licensure", "reviewer licensure state", "reviewer_licensure"),
    ChartSpec("year", "decision year", "decision_year", horizontal=False),
    ChartSpec("quarter", "decision quarter", "decision_quarter", horizontal=False),
    ChartSpec("age_band", "patient age band", "age_band", horizontal=False),
    ChartSpec("sex", "patient sex", "patient_sex"),
    ChartSpec("body_part", "injured body part", "body_parts"),
    ChartSpec("body_region", "region treated", "body_region"),
)


def _plain(labels: pd.Series) -> list[str]:
    """Group names come from letter text; Plotly reads a few HTML tags in labels, so escape them."""
    return [html.escape(str(label), quote=False) for label in labels]


def _figure(traces: list[dict[str, Any]], title: str, rows: int, horizontal: bool,
            value_axis: dict[str, Any] | None = None, group_axis: dict[str, Any] | None = None,
            **layout: Any) -> go.Figure:
    """The shared look. `value_axis` styles the axis the numbers run along (x when horizontal),
    `group_axis` adds to the other one: groups read top down, or as categories left to right."""
    groups = (dict(autorange="reversed", automargin=True) if horizontal else dict(type="category")) \
        | (group_axis or {})
    x_axis, y_axis = (value_axis or {}, groups) if horizontal else (groups, value_axis or {})
    return go.Figure(data=traces, layout=dict(
        title=dict(text=title, x=0, xanchor="left"),
        template=TEMPLATE,
        font=FONT,
        height=max(320, 30 * rows + 140) if horizontal else 420,
        margin=dict(l=10, r=30, t=60, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1, traceorder="normal"),
        xaxis=x_axis,
        yaxis=y_axis,
        **layout,
    ))


def _empty(title: str) -> go.Figure:
    hidden = dict(visible=False)
    return _figure([], title, 0, horizontal=False, value_axis=hidden, group_axis=hidden,
                   annotations=[dict(text="No decisions match the current filters", showarrow=False,
                                     xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=15))])


def outcome_chart(table: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """Stacked decision counts, upheld vs overturned, per group of a `rate_table`."""
    title = f"Decisions by {spec.title}"
    if table.empty:
        return _empty(title)
    groups = _plain(table["group"])
    group_axis, value_axis = ("y", "x") if spec.horizontal else ("x", "y")
    traces = [
        {
            "type": "bar",
            "name": outcome,
            group_axis: groups,
            value_axis: table[outcome],
            "orientation": "h" if spec.horizontal else "v",
            "marker": {"color": OUTCOME_COLORS[outcome]},
            "hovertemplate": f"%{{{group_axis}}}: %{{{value_axis}}} {outcome}<extra></extra>",
        }
        for outcome in ("upheld", "overturned")
    ]
    return _figure(traces, title, len(table), spec.horizontal, value_axis=dict(title=dict(text="decisions")),
                   barmode="stack")


def rate_chart(table: pd.DataFrame, title: str, horizontal: bool = True) -> go.Figure:
    """Overturn rate per group (a `rate_table`), with 95% Wilson intervals and "k of n" labels."""
    table = table[table["decided"] > 0]
    if table.empty:
        return _empty(title)
    rate = table["rate"] * 100
    error = dict(type="data", symmetric=False, color="#555555", thickness=1.2, width=4,
                 array=(table["ci_high"] - table["rate"]) * 100,
                 arrayminus=(table["rate"] - table["ci_low"]) * 100)
    # Counts go into the group labels so they never collide with the interval whiskers.
    separator = "  ·  " if horizontal else "<br>"
    names = _plain(table["group"])
    groups = [f"{g}{separator}{k} of {n}" for g, k, n in zip(names, table["overturned"], table["decided"])]
    hover = [f"{g}: {r:.1f}% overturned ({k} of {n}); 95% CI {lo * 100:.1f}-{hi * 100:.1f}%"
             for g, r, k, n, lo, hi in zip(names, rate, table["overturned"], table["decided"],
                                           table["ci_low"], table["ci_high"])]
    group_axis, value_axis = ("y", "x") if horizontal else ("x", "y")
    bar = {
        "type": "bar",
        group_axis: groups,
        value_axis: rate,
        "orientation": "h" if horizontal else "v",
        "marker": {"color": RATE_COLOR},
        "opacity": 0.85,
        "hovertext": hover,
        "hoverinfo": "text",
        "name": "overturn rate",
        f"error_{value_axis}": error,
    }
    upper = min(100.0, float(table["ci_high"].max()) * 110 + 5)
    return _figure([bar], title, len(table), horizontal,
                   value_axis=dict(title=dict(text=RATE_AXIS_TITLE), range=[0, upper], ticksuffix="%"))


def grouping_charts(decisions: pd.DataFrame, spec: ChartSpec) -> tuple[go.Figure, go.Figure]:
    """Decision counts and overturn rates by one grouping, from a single `rate_table`."""
    table = rate_table(decisions, spec.column, spec.top)
    return outcome_chart(table, spec), rate_chart(table, f"Overturn rate by {spec.title}", spec.horizontal)


def days_chart(letters: pd.DataFrame) -> go.Figure:
    """Histogram: calendar days from the UR denial to the IMR decision, one count per letter."""
    title = "Days from UR denial to IMR decision"
    days = letters["days_ur_to_decision"].dropna()
    days = days[days >= 0]
    if days.empty:
        return _empty(title)
    median = float(days.median())
    histogram = dict(type="histogram", x=days, marker=dict(color=OUTCOME_COLORS["upheld"]), nbinsx=30,
                     hovertemplate="%{x} days: %{y} letters<extra></extra>")
    return _figure(
        [histogram], f"{title} ({len(days)} letters)", 0, horizontal=False,
        value_axis=dict(title=dict(text="letters")),
        group_axis=dict(type="linear", title=dict(text="days")),  # bins of a number, not categories
        shapes=[dict(type="line", x0=median, x1=median, xref="x", y0=0, y1=1, yref="y domain",
                     line=dict(color="#333333", dash="dash"))],
        annotations=[dict(text=f"median {days.median():.0f} days", showarrow=False, x=median, xref="x",
                          xanchor="left", y=1, yref="y domain", yanchor="top")],
    )


def statewide_chart(comparison: pd.DataFrame) -> go.Figure:
    """This corpus's overturn rate (with CI) beside the published statewide rates (no CI)."""
    title = "Overturn rate: this corpus vs statewide reference (DWC/CWCI)"
    traces = []
    for kind, color in (("this corpus", RATE_COLOR), ("statewide reference (DWC/CWCI)", REFERENCE_COLOR)):
        rows = comparison[comparison["kind"] == kind]
        rows = rows[rows["rate"].notna()]
        if rows.empty:
            continue
        # Rates and counts go into the row labels: text beside a bar would collide with its whisker.
        labels = [f"{g}  ·  {r * 100:.1f}%" + (f" ({int(k)} of {int(n)})" if pd.notna(n) else "")
                  for g, r, k, n in zip(_plain(rows["group"]), rows["rate"], rows["overturned"], rows["decided"])]
        traces.append(dict(
            type="bar", name=kind, y=labels, x=rows["rate"] * 100, orientation="h", marker=dict(color=color),
            hovertext=[f"{lab}; source: {s}" for lab, s in zip(labels, rows["source"])],
            hoverinfo="text",
            error_x=dict(type="data", symmetric=False, color="#555555",
                         array=(rows["ci_high"] - rows["rate"]) * 100,
                         arrayminus=(rows["rate"] - rows["ci_low"]) * 100),
        ))
    if not traces:
        return _empty(title)
    return _figure(traces, title, len(comparison), horizontal=True, showlegend=False,
                   value_axis=dict(title=dict(text=RATE_AXIS_TITLE), ticksuffix="%", range=[0, 100]))
