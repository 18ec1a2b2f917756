"""Plotly figures from corpus frames: pure functions, frame in, figure out.

One builder per kind of picture (outcome counts, overturn rates, small multiples of rates, reason
shares, delay histogram, statewide comparison), parameterized by a `ChartSpec`; every overturn rate
carries its 95% Wilson interval and its counts. Axes read at any width: long group names are cut on
the axis (the full name is in the hover), time axes label at most `MAX_TIME_TICKS` periods, every rate
runs on the same 0-100% axis and every count axis steps in whole numbers.

Each figure is built in one constructor call from plain dicts (every update_* call re-validates),
with `TEMPLATE`: Plotly's "plotly_white" cut down to what these charts draw (bar and histogram
traces on x/y axes), because validating the whole template took most of a figure's build time.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

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
RATE_AXIS = dict(title=dict(text=RATE_AXIS_TITLE), range=[0, 100], ticksuffix="%", dtick=20)
LABEL_CHARS = 28  # longest group name printed on an axis; the hover shows it whole
MAX_TIME_TICKS = 8
SMALL_MULTIPLE_GROUPS = 5
SMALL_LABEL_CHARS = 14  # a small multiple is a third of the page wide


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
    ChartSpec("reason", "reason given", "reason_tags"),
    ChartSpec("limit", "request against the guideline limit", "limit_status"),
)


def _plain(labels: pd.Series) -> list[str]:
    """Group names come from letter text; Plotly reads a few HTML tags in labels, so escape them."""
    return [html.escape(str(label), quote=False) for label in labels]


def short(label: str, limit: int = LABEL_CHARS) -> str:
    """An escaped label cut to `limit` characters with an ellipsis (cut before escaping, so no entity
    is split)."""
    return html.escape(label if len(label) <= limit else label[:limit - 1].rstrip() + "…", quote=False)


def _group_axis(full: list[str], shown: list[str], horizontal: bool) -> dict[str, Any]:
    """Categories keep their full (escaped) names, so bars never merge and hovers show them whole;
    the axis prints `shown`. A long time axis prints every k-th period only, level."""
    if horizontal:
        return dict(tickvals=full, ticktext=shown)
    step = max(1, -(-len(full) // MAX_TIME_TICKS))
    return dict(tickvals=full[::step], ticktext=shown[::step], tickangle=0)


def count_axis(largest: float, title: str) -> dict[str, Any]:
    """Whole-number ticks: a step of 1 for small counts (Plotly would step by 0.5), thousands separated."""
    axis: dict[str, Any] = dict(title=dict(text=title), tickformat=",d", rangemode="tozero")
    if largest <= 10:
        axis |= dict(dtick=1)
    return axis


def _figure(traces: list[dict[str, Any]], title: str, rows: int, horizontal: bool,
            value_axis: dict[str, Any] | None = None, group_axis: dict[str, Any] | None = None,
            **layout: Any) -> go.Figure:
    """The shared look. `value_axis` styles the axis the numbers run along (x when horizontal),
    `group_axis` adds to the other one: groups read top down, or as categories left to right."""
    groups = (dict(autorange="reversed", automargin=True) if horizontal else dict(type="category")) \
        | (group_axis or {})
    x_axis, y_axis = (value_axis or {}, groups) if horizontal else (groups, value_axis or {})
    look = dict(
        title=dict(text=title, x=0, xanchor="left"),
        template=TEMPLATE,
        font=FONT,
        height=max(320, 30 * rows + 140) if horizontal else 420,
        margin=dict(l=10, r=30, t=60, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1, traceorder="normal"),
        xaxis=x_axis,
        yaxis=y_axis,
    )
    return go.Figure(data=traces, layout=look | layout)


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
    shown = [short(str(g)) for g in table["group"]]
    group_axis, value_axis = ("y", "x") if spec.horizontal else ("x", "y")
    traces = [
        {
            "type": "bar",
            "name": outcome,
            group_axis: groups,
            value_axis: table[outcome],
            "orientation": "h" if spec.horizontal else "v",
            "marker": {"color": OUTCOME_COLORS[outcome]},
            "hovertemplate": f"%{{{group_axis}}}: %{{{value_axis}:,}} {outcome}<extra></extra>",
        }
        for outcome in ("upheld", "overturned")
    ]
    largest = float((table["upheld"] + table["overturned"]).max())
    return _figure(traces, title, len(table), spec.horizontal, value_axis=count_axis(largest, "decisions"),
                   group_axis=_group_axis(groups, shown, spec.horizontal), barmode="stack")


def rate_chart(table: pd.DataFrame, title: str, horizontal: bool = True, label_chars: int = LABEL_CHARS,
               **layout: Any) -> go.Figure:
    """Overturn rate per group (a `rate_table`), with 95% Wilson intervals and "k of n" labels;
    `layout` overrides the shared look (a small multiple's height and margins)."""
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
    shown = [f"{short(str(g), label_chars)}{separator}{k:,} of {n:,}"
             for g, k, n in zip(table["group"], table["overturned"], table["decided"])]
    hover = [f"{g}: {r:.1f}% overturned ({k:,} of {n:,}); 95% CI {lo * 100:.1f}–{hi * 100:.1f}%"
             for g, r, k, n, lo, hi in zip(names, rate, table["overturned"], table["decided"],
                                           table["ci_low"], table["ci_high"])]
    group_axis, value_axis = ("y", "x") if horizontal else ("x", "y")
    bar = {
        "type": "bar",
        group_axis: names,
        value_axis: rate,
        "orientation": "h" if horizontal else "v",
        "marker": {"color": RATE_COLOR},
        "opacity": 0.85,
        "hovertext": hover,
        "hoverinfo": "text",
        "name": "overturn rate",
        f"error_{value_axis}": error,
    }
    return _figure([bar], title, len(table), horizontal, value_axis=RATE_AXIS,
                   group_axis=_group_axis(names, shown, horizontal), **layout)


def small_multiple(table: pd.DataFrame, spec: ChartSpec) -> go.Figure:
    """A small overturn-rate chart of one grouping's largest groups (`table`: a `rate_table` of it, from
    either engine), for the overview grid: same 0-100% axis as every rate chart, so panels compare at a glance."""
    table = table[table["decided"] > 0].head(SMALL_MULTIPLE_GROUPS)
    title = spec.title.split(" (top")[0]
    return rate_chart(table, title[:1].upper() + title[1:], horizontal=True, label_chars=SMALL_LABEL_CHARS,
                      height=90 + 26 * max(1, len(table)), margin=dict(l=10, r=20, t=40, b=30), font=FONT | dict(size=12),
                      xaxis=RATE_AXIS | dict(title=dict(text="% overturned"), dtick=50))


def grouping_charts(table: pd.DataFrame, spec: ChartSpec) -> tuple[go.Figure, go.Figure]:
    """Decision counts and overturn rates by one grouping, from its `rate_table` (either engine's)."""
    return outcome_chart(table, spec), rate_chart(table, f"Overturn rate by {spec.title}", spec.horizontal)


def days_chart(days: pd.DataFrame) -> go.Figure:
    """Histogram: calendar days from the UR denial to the IMR decision, one count per letter. `days`:
    a table of `days` and `letters` (how many letters took that many days; corpus.days_counts)."""
    title = "Days from UR denial to IMR decision"
    days = days[days["days"] >= 0]
    if days.empty:
        return _empty(title)
    total = int(days["letters"].sum())
    median = float(np.median(np.repeat(days["days"].to_numpy(), days["letters"].to_numpy())))
    histogram = dict(type="histogram", x=days["days"], y=days["letters"], histfunc="sum", nbinsx=30,
                     marker=dict(color=OUTCOME_COLORS["upheld"]), hovertemplate="%{x} days: %{y} letters<extra></extra>")
    return _figure(
        [histogram], f"{title} ({total:,} letters)", 0, horizontal=False,
        value_axis=count_axis(float(days["letters"].max()), "letters"),
        group_axis=dict(type="linear", title=dict(text="days")),  # bins of a number, not categories
        shapes=[dict(type="line", x0=median, x1=median, xref="x", y0=0, y1=1, yref="y domain",
                     line=dict(color="#333333", dash="dash"))],
        annotations=[dict(text=f"median {median:.0f} days", showarrow=False, x=median, xref="x",
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
    return _figure(traces, title, len(comparison), horizontal=True, showlegend=False, value_axis=RATE_AXIS)


def with_filters(fig: go.Figure, filters_text: str) -> go.Figure:
    """A copy carrying the active filters as its subtitle, so an exported chart says what it shows."""
    titled = go.Figure(fig)
    titled.update_layout(title_subtitle_text=html.escape(f"Filters: {filters_text}", quote=False),
                         margin_t=max(fig.layout.margin.t or 0, 80))
    return titled


def reason_chart(table: pd.DataFrame, group: str, tag_label: Callable[[str], str]) -> go.Figure:
    """One group's reasons (rows of `corpus.reason_shares`): each tag's share of its upheld items, with
    95% Wilson intervals, "k of n" in the labels, on the 0-100% axis."""
    rows = table[table["group"] == group]
    title = f"Reasons given for upheld items: {group}"
    if rows.empty:
        return _empty(title)
    names = [html.escape(tag_label(tag), quote=False) for tag in rows["tag"]]
    shown = [f"{short(tag_label(t))}  ·  {k:,} of {n:,}" for t, k, n in zip(rows["tag"], rows["with_tag"], rows["upheld"])]
    share = rows["share"] * 100
    bar = dict(type="bar", y=names, x=share, orientation="h", marker=dict(color=OUTCOME_COLORS["upheld"]),
               hoverinfo="text", name="share of upheld items",
               hovertext=[f"{n}: {s:.1f}% of upheld items ({k:,} of {u:,}); 95% CI {lo * 100:.1f}–{hi * 100:.1f}%"
                          for n, s, k, u, lo, hi in zip(names, share, rows["with_tag"], rows["upheld"], rows["ci_low"], rows["ci_high"])],
               error_x=dict(type="data", symmetric=False, color="#555555", thickness=1.2, width=4,
                            array=(rows["ci_high"] - rows["share"]) * 100, arrayminus=(rows["share"] - rows["ci_low"]) * 100))
    axis = RATE_AXIS | dict(title=dict(text="% of upheld items (whiskers: 95% CI)"))
    return _figure([bar], title, len(rows), True, value_axis=axis, group_axis=_group_axis(names, shown, True))
