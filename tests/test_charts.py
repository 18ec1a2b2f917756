from __future__ import annotations

import pytest

from corpus_records import sample_records
import plotly.io as pio

import pandas as pd

from imr.charts import (
    CHART_SPECS, LABEL_CHARS, MAX_TIME_TICKS, OUTCOME_COLORS, TEMPLATE, UNUSED_LAYOUT, ChartSpec, days_chart,
    grouping_charts, reason_chart, small_multiple, statewide_chart, with_filters,
)
from imr.corpus import (
    Filters, apply_filters, build_frames, compare_with_statewide, days_counts, rate_table, reason_shares, wilson_interval,
)
from imr.statewide import load_statewide, statewide_metric

CATEGORY = ChartSpec("category", "service category", "category")


def charts_by(decisions, spec):
    return grouping_charts(rate_table(decisions, spec.column, spec.top), spec)


@pytest.fixture
def decisions():
    return build_frames(sample_records()).decisions


def test_outcome_chart_stacks_counts_per_group(decisions):
    fig, _ = charts_by(decisions, CATEGORY)
    upheld, overturned = fig.data
    assert (upheld.name, overturned.name) == ("upheld", "overturned")
    assert upheld.marker.color == OUTCOME_COLORS["upheld"]
    assert dict(zip(upheld.y, upheld.x))["Pharmaceuticals"] == 2
    assert dict(zip(overturned.y, overturned.x))["Rehabilitation"] == 1
    assert fig.layout.barmode == "stack"


def test_rate_chart_has_wilson_whiskers_and_counts(decisions):
    _, fig = charts_by(decisions, CATEGORY)
    bar = fig.data[0]
    labels = list(bar.y)
    shown = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext))
    assert shown["Pharmaceuticals"] == "Pharmaceuticals  ·  0 of 2"
    i = labels.index("Rehabilitation")
    assert shown["Rehabilitation"] == "Rehabilitation  ·  1 of 1"
    low, high = wilson_interval(1, 1)
    assert bar.x[i] == pytest.approx(100)
    assert bar.error_x.arrayminus[i] == pytest.approx((1 - low) * 100)
    assert bar.error_x.array[i] == pytest.approx((high - 1) * 100)
    assert not any("Other" in label for label in labels)  # no decided item: no rate to show


def test_time_charts_run_left_to_right(decisions):
    spec = next(s for s in CHART_SPECS if s.key == "year")
    _, fig = charts_by(decisions, spec)
    assert fig.data[0].orientation == "v"
    assert list(fig.data[0].x) == ["2015", "2016", "unknown"]
    assert [label.split("<br>")[0] for label in fig.layout.xaxis.ticktext] == ["2015", "2016", "unknown"]


def test_long_labels_are_cut_on_the_axis_and_whole_in_the_hover(decisions):
    long_name = "Functional restoration program, interdisciplinary, twenty days"
    counts, rates = charts_by(decisions.assign(category=long_name), CATEGORY)
    for fig in (counts, rates):
        assert fig.data[0].y[0] == long_name  # the category (and so the hover) keeps the whole name
        printed = fig.layout.yaxis.ticktext[0].split("  ·  ")[0]
        assert printed.endswith("…") and len(printed) <= LABEL_CHARS
    assert long_name in rates.data[0].hovertext[0]


def test_time_axes_print_few_level_ticks(decisions):
    quarters = [f"{year}-Q{q}" for year in range(2013, 2025) for q in range(1, 5)]
    many = pd.concat([decisions.assign(decision_quarter=q) for q in quarters], ignore_index=True)
    spec = next(s for s in CHART_SPECS if s.key == "quarter")
    for fig in charts_by(many, spec):
        assert len(fig.layout.xaxis.tickvals) <= MAX_TIME_TICKS and fig.layout.xaxis.tickangle == 0
        assert fig.layout.xaxis.tickvals[0] == "2013-Q1"


def test_every_rate_axis_is_0_to_100_and_counts_step_by_whole_numbers(decisions):
    for spec in CHART_SPECS:
        counts, rates = charts_by(decisions, spec)
        value_axis = "xaxis" if spec.horizontal else "yaxis"
        if rates.data:
            assert tuple(rates.layout[value_axis].range) == (0, 100)
        if counts.data:
            assert counts.layout[value_axis].dtick == 1 and counts.layout[value_axis].tickformat == ",d"
    assert tuple(small_multiple(rate_table(decisions, CATEGORY.column), CATEGORY).layout.xaxis.range) == (0, 100)
    big = pd.concat([decisions] * 40, ignore_index=True)
    assert charts_by(big, CATEGORY)[0].layout.xaxis.dtick is None  # Plotly picks steps; ",d" keeps them whole


def test_exported_charts_carry_the_filters():
    fig = with_filters(days_chart(days_counts(build_frames(sample_records()).letters)), "Outcome: <b>upheld</b>")
    assert fig.layout.title.subtitle.text == "Filters: Outcome: &lt;b&gt;upheld&lt;/b&gt;"


def test_reason_chart_shares_of_upheld_items_with_intervals():
    from corpus_records import decision, letter
    tagged = [{**decision(f"x{i}", "upheld"), "reasons": [{"tag": "not_recommended", "start": 0, "end": 1}] * (i < 3)}
              for i in range(4)]
    decisions = build_frames([letter("a", tagged + [decision("y", "overturned")])]).decisions
    table = reason_shares(decisions)
    row = table.iloc[0]
    assert (row["tag"], row["with_tag"], row["upheld"]) == ("not_recommended", 3, 4)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(wilson_interval(3, 4))
    fig = reason_chart(table, row["group"], str.upper)
    assert fig.data[0].x[0] == pytest.approx(75) and fig.data[0].y[0] == "NOT_RECOMMENDED"
    assert tuple(fig.layout.xaxis.range) == (0, 100)


@pytest.mark.parametrize("spec", CHART_SPECS, ids=lambda s: s.key)
def test_every_chart_builds_with_a_title(decisions, spec):
    for fig in charts_by(decisions, spec):
        assert spec.title in fig.layout.title.text
        assert fig.data, "a non-empty corpus gives a non-empty chart"


def test_empty_selection_says_so_instead_of_a_blank_chart(decisions):
    nothing = apply_filters(decisions, Filters(text="no such treatment"))
    for fig in charts_by(nothing, CATEGORY):
        assert not fig.data
        assert "No decisions match" in fig.layout.annotations[0].text


def test_days_chart_marks_the_median():
    letters = build_frames(sample_records()).letters
    fig = days_chart(days_counts(letters))
    assert sorted(fig.data[0].x) == [31, 45] and list(fig.data[0].y) == [1, 1]
    assert "median 38 days" in fig.layout.annotations[0].text
    assert fig.layout.xaxis.type == "linear"  # a category axis would list days unordered, median misplaced
    # counted, not listed: a thousand letters of one delay are one row, and the median weighs them
    many = pd.DataFrame({"days": [20, 90], "letters": [1000, 1]})
    assert "median 20 days" in days_chart(many).layout.annotations[0].text and "1,001 letters" in days_chart(many).layout.title.text


def test_statewide_chart_labels_reference_bars(decisions):
    rates = statewide_metric(load_statewide(), "overturn_rate")
    fig = statewide_chart(compare_with_statewide(decisions, rates, "this corpus"))
    names = [trace.name for trace in fig.data]
    assert names == ["this corpus", "statewide reference (DWC/CWCI)"]
    assert "statewide 2024  ·  12.7%" in list(fig.data[1].y)
    assert fig.data[0].y[0] == "this corpus  ·  40.0% (2 of 5)"


def test_group_names_from_letters_are_escaped_for_plotly(decisions):
    hostile = decisions.assign(category="<b>x</b><img src=x onerror=alert(1)>")
    counts, rates = charts_by(hostile, CATEGORY)
    assert rates.data[0].y[0].startswith("&lt;b&gt;x&lt;/b&gt;&lt;img")
    assert "<img" not in counts.data[0].y[0]
    assert "<img" not in rates.layout.yaxis.ticktext[0] and "<img" not in counts.layout.yaxis.ticktext[0]


def test_the_template_is_plotly_white_for_every_trace_type_drawn(decisions):
    white = pio.templates["plotly_white"]
    assert TEMPLATE.layout.to_plotly_json() == {name: value for name, value in white.layout.to_plotly_json().items()
                                                if name not in UNUSED_LAYOUT}
    figures = [fig for spec in CHART_SPECS for fig in charts_by(decisions, spec)]
    figures.append(days_chart(days_counts(build_frames(sample_records()).letters)))
    for fig in figures:
        assert fig.layout.template == TEMPLATE
        assert not any(name in fig.layout.to_plotly_json() for name in UNUSED_LAYOUT)
        for trace in fig.data:
            assert TEMPLATE.data[trace.type] == white.data[trace.type]
