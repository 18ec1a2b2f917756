"""Plotly figures from corpus frames: pure functions, frame in, figure out.

One builder per kind of picture (outcome counts, overturn rates, delay histogram, statewide
comparison), parameterized by a `ChartSpec`; every overturn rate carries its 95% Wilson interval
and its counts.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from imr.corpus import rate_table

OUTCOME_COLORS = {"upheld": "#4C78A8", "overturned": "#E45756", "unknown": "#BAB0AC"}
RATE_COLOR = "#E45756"
REFERENCE_COLOR = "#9D9D9D"
TEMPLATE = "plotly_white"
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=13)


@dataclass(frozen=True)
class ChartSpec:
    key: str  # stable id, used in file names
    title: str  # what the groups are, e.g. "service category"
    column: str  # decisions-frame column to group by
    top: int | None = None  # keep only the largest groups
    horizontal: bool = True  # categories read best as rows; time reads best left to right


CHART_SPECS: tuple[ChartSpec, ...] = (
    ChartSpec("category", "service category", "category"),
    ChartSpec("section", "guideline section cited (top 15)", "sections", top=15),
    ChartSpec("specialty", "reviewer specialty (top 12)", "reviewer_specialties", top=12),
    ChartSpec("licensure", "reviewer licensure state", "reviewer_licensure"),
    ChartSpec("year", "decision year", "decision_year", horizontal=False),
    ChartSpec("quarter", "decision quarter", "decision_quarter", horizontal=False),
    ChartSpec("age_band", "patient age band", "age_band", horizontal=False),
    ChartSpec("sex", "patient sex", "patient_sex"),
    ChartSpec("body_part", "body part", "body_parts"),
)


def _plain(labels: pd.Series) -> list[str]:
    """Group names come from letter text; Plotly reads a few HTML tags in labels, so escape them."""
    return [html.escape(str(label), quote=False) for label in labels]


def _layout(fig: go.Figure, title: str, rows: int, horizontal: bool) -> go.Figure:
    height = max(320, 30 * rows + 140) if horizontal else 420
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left"),
        template=TEMPLATE,
        font=FONT,
        height=height,
        margin=dict(l=10, r=30, t=60, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1, traceorder="normal"),
    )
    if horizontal:
        fig.update_yaxes(autorange="reversed", automargin=True)  # largest group on top
    else:
        fig.update_xaxes(type="category")
    return fig


def _empty(title: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text="No decisions match the current filters", showarrow=False,
                       xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=15))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, 0, horizontal=False)


def outcome_chart(decisions: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """Stacked decision counts, upheld vs overturned, per group."""
    title = f"Decisions by {spec.title}"
    table = rate_table(decisions, spec.column, spec.top)
    if table.empty:
        return _empty(title)
    groups = _plain(table["group"])
    fig = go.Figure()
    for outcome in ("upheld", "overturned"):
        values = table[outcome]
        fig.add_trace(go.Bar(
            name=outcome,
            x=values if spec.horizontal else groups,
            y=groups if spec.horizontal else values,
            orientation="h" if spec.horizontal else "v",
            marker_color=OUTCOME_COLORS[outcome],
            hovertemplate=f"%{{{'y' if spec.horizontal else 'x'}}}: %{{{'x' if spec.horizontal else 'y'}}} {outcome}<extra></extra>",
        ))
    fig.update_layout(barmode="stack")
    axis = fig.update_xaxes if spec.horizontal else fig.update_yaxes
    axis(title_text="decisions")
    return _layout(fig, title, len(table), spec.horizontal)


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
    bar = go.Bar(
        x=rate if horizontal else groups,
        y=groups if horizontal else rate,
        orientation="h" if horizontal else "v",
        marker_color=RATE_COLOR,
        opacity=0.85,
        hovertext=hover,
        hoverinfo="text",
        name="overturn rate",
        **({"error_x": error} if horizontal else {"error_y": error}),
    )
    fig = go.Figure(bar)
    axis = fig.update_xaxes if horizontal else fig.update_yaxes
    upper = min(100.0, float(table["ci_high"].max()) * 110 + 5)
    axis(title_text="% overturned (whiskers: 95% CI)", range=[0, upper], ticksuffix="%")
    return _layout(fig, title, len(table), horizontal)


def overturn_rate_chart(decisions: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    return rate_chart(rate_table(decisions, spec.column, spec.top), f"Overturn rate by {spec.title}",
                      spec.horizontal)


def days_chart(letters: pd.DataFrame) -> go.Figure:
    """Histogram: calendar days from the UR denial to the IMR decision, one count per letter."""
    title = "Days from UR denial to IMR decision"
    days = letters["days_ur_to_decision"].dropna()
    days = days[days >= 0]
    if days.empty:
        return _empty(title)
    fig = go.Figure(go.Histogram(x=days, marker_color=OUTCOME_COLORS["upheld"], nbinsx=30,
                                 hovertemplate="%{x} days: %{y} letters<extra></extra>"))
    fig.add_vline(x=float(days.median()), line_dash="dash", line_color="#333333",
                  annotation_text=f"median {days.median():.0f} days", annotation_position="top right")
    fig.update_xaxes(title_text="days")
    fig.update_yaxes(title_text="letters")
    return _layout(fig, f"{title} ({len(days)} letters)", 0, horizontal=False)


def statewide_chart(comparison: pd.DataFrame) -> go.Figure:
    """This corpus's overturn rate (with CI) beside the published statewide rates (no CI)."""
    title = "Overturn rate: this corpus vs statewide reference (DWC/CWCI)"
    fig = go.Figure()
    for kind, color in (("this corpus", RATE_COLOR), ("statewide reference (DWC/CWCI)", REFERENCE_COLOR)):
        rows = comparison[comparison["kind"] == kind]
        rows = rows[rows["rate"].notna()]
        if rows.empty:
            continue
        # Rates and counts go into the row labels: text beside a bar would collide with its whisker.
        labels = [f"{g}  ·  {r * 100:.1f}%" + (f" ({int(k)} of {int(n)})" if pd.notna(n) else "")
                  for g, r, k, n in zip(_plain(rows["group"]), rows["rate"], rows["overturned"], rows["decided"])]
        fig.add_trace(go.Bar(
            name=kind, y=labels, x=rows["rate"] * 100, orientation="h", marker_color=color,
            hovertext=[f"{lab}; source: {s}" for lab, s in zip(labels, rows["source"])],
            hoverinfo="text",
            error_x=dict(type="data", symmetric=False, color="#555555",
                         array=(rows["ci_high"] - rows["rate"]) * 100,
                         arrayminus=(rows["rate"] - rows["ci_low"]) * 100),
        ))
    if not fig.data:
        return _empty(title)
    fig.update_xaxes(title_text="% overturned (whiskers: 95% CI)", ticksuffix="%", range=[0, 100])
    return _layout(fig, title, len(comparison), horizontal=True).update_layout(showlegend=False)
