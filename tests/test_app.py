"""The app on the embedded demo corpus, driven through streamlit.testing: every view and filter."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from imr import charts
from imr.corpus import FILTER_COLUMNS
from imr.query import VIEWS

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT = 180  # the first run parses the demo letters
CHARTS_IN_VIEW = 2 * len(charts.CHART_SPECS) + 1  # groupings x (counts, rates) + the delay histogram


def open_app(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.fixture(scope="module")
def app() -> AppTest:
    at = open_app()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_view(at: AppTest, name: str) -> AppTest:
    at = at.button_group(key="view").set_value(name).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def url_values(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key, [])  # AppTest gives a lone value as a string
    return [value] if isinstance(value, str) else list(value)


def multiselect(at: AppTest, key: str):
    return next(w for w in at.multiselect if w.key == key)


def test_opens_on_labelled_demo_corpus_in_the_overview(app):
    selector = app.button_group(key="view")
    assert list(selector.options) == list(VIEWS) and selector.value == "Overview"
    assert url_values(app, "view") == []  # the default view keeps the URL clean
    assert any("synthetic demo data" in info.value for info in app.info)
    assert int(metric(app, "Letters").replace(",", "")) >= 20
    assert metric(app, "Overturn rate").endswith("%")
    assert any("95% CI" in caption.value for caption in app.caption)
    assert any("statewide reference (DWC/CWCI)" in e.label for e in app.expander)
    assert len(app.get("plotly_chart")) == 1  # only the statewide comparison: no other view ran


def test_each_view_renders_only_its_own_content_and_lands_in_the_url(app):
    at = open_view(app, "Decisions")
    assert len(at.dataframe) == 1 and len(at.get("download_button")) == 6
    assert not at.get("plotly_chart") and not at.metric
    assert url_values(at, "view") == ["decisions"]

    at = open_view(at, "Letter")
    assert at.selectbox(key="letter_pick").value is not None
    assert len(at.markdown) >= 1
    assert url_values(at, "view") == ["letter"]

    at = open_view(at, "Citations")
    assert at.slider(key="min_score").value == 80
    assert url_values(at, "view") == ["citations"]

    at = open_view(at, "Charts")
    assert len(at.get("plotly_chart")) == CHARTS_IN_VIEW
    assert url_values(at, "view") == ["charts"]

    at = open_view(at, "Files")
    assert len(at.dataframe) == 1 and not at.get("plotly_chart")
    assert url_values(at, "view") == ["files"]

    at = open_view(at, "Overview")
    assert metric(at, "Letters") and url_values(at, "view") == []


@pytest.mark.parametrize("name", list(FILTER_COLUMNS))
def test_each_filter_narrows_every_view_and_lands_in_the_url(name):
    at = open_app()
    widget = multiselect(at, f"f_{name}")
    assert widget.options, f"the demo corpus offers values for {name}"
    before = int(metric(at, "Decisions").replace(",", ""))
    at = widget.set_value([widget.options[0]]).run()
    assert not at.exception
    after = int(metric(at, "Decisions").replace(",", ""))
    assert 0 < after <= before
    assert url_values(at, name) == [widget.options[0]]
    at = open_view(at, "Charts")
    assert len(at.get("plotly_chart")) == CHARTS_IN_VIEW
    assert url_values(at, name) == [widget.options[0]] and url_values(at, "view") == ["charts"]


def test_text_search_and_url_round_trip():
    at = open_app()
    total = int(metric(at, "Decisions").replace(",", ""))
    at = at.text_input(key="f_text").set_value("zzzz-no-such-treatment").run()
    assert metric(at, "Decisions") == "0" and metric(at, "Overturn rate") == "–"
    at = open_view(at, "Letter")
    assert any("No letters match" in info.value for info in at.info)
    reopened = open_app(outcome="overturned")
    overturned = int(metric(reopened, "Decisions").replace(",", ""))
    assert 0 < overturned < total
    assert metric(reopened, "Overturn rate") == "100.0%"
    assert multiselect(reopened, "f_outcome").value == ["overturned"]


def test_a_shared_link_opens_the_same_view_with_the_same_filters():
    at = open_app(view="charts", outcome="overturned")
    assert not at.exception
    assert at.button_group(key="view").value == "Charts"
    assert multiselect(at, "f_outcome").value == ["overturned"]
    assert len(at.get("plotly_chart")) == CHARTS_IN_VIEW
    assert url_values(at, "view") == ["charts"] and url_values(at, "outcome") == ["overturned"]


@pytest.mark.parametrize("bogus", ["nonsense", ""])
def test_an_unknown_view_in_the_url_falls_back_to_the_overview(bogus):
    at = open_app(view=bogus)
    assert not at.exception
    assert at.button_group(key="view").value == "Overview"
    assert metric(at, "Letters")
    assert url_values(at, "view") == []


def test_letter_view_highlights_the_chosen_field(app):
    at = open_view(app, "Letter")
    field = at.selectbox(key="letter_field")
    assert field.options, "demo letters carry evidence spans"
    field.set_value(field.options[0])
    at = at.run()
    assert any(":orange-background[" in md.value for md in at.markdown)


def test_citation_threshold_moves_citations_between_tables_and_survives_a_view_switch(app):
    def counts(at: AppTest) -> tuple[str, str]:
        headers = [h.value for h in at.subheader]
        return next(h for h in headers if h.startswith("Matched citations")), headers[-1]
    at = open_view(app, "Citations")
    matched_at_80, _ = counts(at)
    at = at.slider(key="min_score").set_value(100).run()
    matched_at_100, unmatched_at_100 = counts(at)
    assert matched_at_80 != matched_at_100 or "(0)" in matched_at_80
    assert unmatched_at_100.startswith("Unmatched citations")
    at = open_view(open_view(at, "Charts"), "Citations")
    assert at.slider(key="min_score").value == 100
