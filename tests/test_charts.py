from __future__ import annotations

import pytest

from corpus_records import sample_records
import plotly.io as pio

from imr.charts import (
    CHART_SPECS, OUTCOME_COLORS, TEMPLATE, UNUSED_LAYOUT, ChartSpec, days_chart, grouping_charts, statewide_chart,
)
from imr.corpus import Filters, apply_filters, build_frames, compare_with_statewide, wilson_interval
from imr.statewide import load_statewide, statewide_metric

CATEGORY = ChartSpec("category", "service category", "category")


@pytest.fixture
def decisions():
    return build_frames(sample_records()).decisions


def test_outcome_chart_stacks_counts_per_group(decisions):
    fig, _ = grouping_charts(decisions, CATEGORY)
    upheld, overturned = fig.data
    assert (upheld.name, overturned.name) == ("upheld", "overturned")
    assert upheld.marker.color == OUTCOME_COLORS["upheld"]
    assert dict(zip(upheld.y, upheld.x))["Pharmaceuticals"] == 2
    assert dict(zip(overturned.y, overturned.x))["Rehabilitation"] == 1
    assert fig.layout.barmode == "stack"


def test_rate_chart_has_wilson_whiskers_and_counts(decisions):
    _, fig = grouping_charts(decisions, CATEGORY)
    bar = fig.data[0]
    labels = list(bar.y)
    assert "Pharmaceuticals  ·  0 of 2" in labels
    i = labels.index("Rehabilitation  ·  1 of 1")
    low, high = wilson_interval(1, 1)
    assert bar.x[i] == pytest.approx(100)
    assert bar.error_x.arrayminus[i] == pytest.approx((1 - low) * 100)
    assert bar.error_x.array[i] == pytest.approx((high - 1) * 100)
    assert not any("Other" in label for label in labels)  # no decided item: no rate to show


def test_time_charts_run_left_to_right(decisions):
    spec = next(s for s in CHART_SPECS if s.key == "year")
    _, fig = grouping_charts(decisions, spec)
    assert fig.data[0].orientation == "v"
    assert [label.split("<br>")[0] for label in fig.data[0].x] == ["2015", "2016", "unknown"]


@pytest.mark.parametrize("spec", CHART_SPECS, ids=lambda s: s.key)
def test_every_chart_builds_with_a_title(decisions, spec):
    for fig in grouping_charts(decisions, spec):
        assert spec.title in fig.layout.title.text
        assert fig.data, "a non-empty corpus gives a non-empty chart"


def test_empty_selection_says_so_instead_of_a_blank_chart(decisions):
    nothing = apply_filters(decisions, Filters(text="no such treatment"))
    for fig in grouping_charts(nothing, CATEGORY):
        assert not fig.data
        assert "No decisions match" in fig.layout.annotations[0].text


def test_days_chart_marks_the_median():
    letters = build_frames(sample_records()).letters
    fig = days_chart(letters)
    assert sorted(fig.data[0].x) == [31, 45]
    assert "median 38 days" in fig.layout.annotations[0].text
    assert fig.layout.xaxis.type == "linear"  # a category axis would list days unordered, median misplaced


def test_statewide_chart_labels_reference_bars(decisions):
    rates = statewide_metric(load_statewide(), "overturn_rate")
    fig = statewide_chart(compare_with_statewide(decisions, rates, "this corpus"))
    names = [trace.name for trace in fig.data]
    assert names == ["this corpus", "statewide reference (DWC/CWCI)"]
    assert "statewide 2024  ·  12.7%" in list(fig.data[1].y)
    assert fig.data[0].y[0] == "this corpus  ·  40.0% (2 of 5)"


def test_group_names_from_letters_are_escaped_for_plotly(decisions):
    hostile = decisions.assign(category="<b>x</b><img src=x onerror=alert(1)>")
    counts, rates = grouping_charts(hostile, CATEGORY)
    assert rates.data[0].y[0].startswith("&lt;b&gt;x&lt;/b&gt;&lt;img")
    assert "<img" not in counts.data[0].y[0]


def test_the_template_is_plotly_white_for_every_trace_type_drawn(decisions):
    white = pio.templates["plotly_white"]
    assert TEMPLATE.layout.to_plotly_json() == {name: value for name, value in white.layout.to_plotly_json().items()
                                                if name not in UNUSED_LAYOUT}
    figures = [fig for spec in CHART_SPECS for fig in grouping_charts(decisions, spec)]
    figures.append(days_chart(build_frames(sample_records()).letters))
    for fig in figures:
        assert fig.layout.template == TEMPLATE
        assert not any(name in fig.layout.to_plotly_json() for name in UNUSED_LAYOUT)
        for trace in fig.data:
            assert TEMPLATE.data[trace.type] == white.data[trace.type]
