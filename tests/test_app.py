"""The app on the embedded demo corpus, driven through streamlit.testing: every tab and filter."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from imr.corpus import FILTER_COLUMNS

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT = 180  # the first run parses the demo letters


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


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def url_values(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key, [])  # AppTest gives a lone value as a string
    return [value] if isinstance(value, str) else list(value)


def multiselect(at: AppTest, key: str):
    return next(w for w in at.multiselect if w.key == key)


def test_opens_on_labelled_demo_corpus_with_every_tab(app):
    assert [tab.label for tab in app.tabs] == ["Overview", "Decisions", "Letter", "Citations", "Charts", "Files"]
    assert any("synthetic demo data" in info.value for info in app.info)
    assert int(metric(app, "Letters").replace(",", "")) >= 20
    assert metric(app, "Overturn rate").endswith("%")
    assert any("95% CI" in caption.value for caption in app.caption)
    assert any("statewide reference (DWC/CWCI)" in e.label for e in app.expander)


def test_tabs_render_their_content(app):
    decisions, letter, citations, charts, files = (app.tabs[i] for i in range(1, 6))
    assert len(decisions.dataframe) == 1 and len(decisions.get("download_button")) == 6
    assert letter.selectbox(key="letter_pick").value is not None
    assert len(letter.markdown) >= 1
    assert citations.slider(key="min_score").value == 80
    assert len(charts.get("plotly_chart")) == 19
    assert len(files.dataframe) == 1


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
    assert len(at.tabs[4].get("plotly_chart")) == 19


def test_text_search_and_url_round_trip():
    at = open_app()
    total = int(metric(at, "Decisions").replace(",", ""))
    at = at.text_input(key="f_text").set_value("zzzz-no-such-treatment").run()
    assert metric(at, "Decisions") == "0" and metric(at, "Overturn rate") == "–"
    assert any("No letters match" in info.value for info in at.info)
    reopened = open_app(outcome="overturned")
    overturned = int(metric(reopened, "Decisions").replace(",", ""))
    assert 0 < overturned < total
    assert metric(reopened, "Overturn rate") == "100.0%"
    assert multiselect(reopened, "f_outcome").value == ["overturned"]


def test_letter_view_highlights_the_chosen_field(app):
    letter_tab = app.tabs[2]
    field = letter_tab.selectbox(key="letter_field")
    assert field.options, "demo letters carry evidence spans"
    field.set_value(field.options[0])
    at = app.run()
    assert any(":orange-background[" in md.value for md in at.tabs[2].markdown)


def test_citation_threshold_moves_citations_between_tables(app):
    def counts(at: AppTest) -> tuple[str, str]:
        headers = [h.value for h in at.tabs[3].subheader]
        return headers[0], headers[-1]
    matched_at_80, _ = counts(app)
    at = app.tabs[3].slider(key="min_score").set_value(100).run()
    matched_at_100, unmatched_at_100 = counts(at)
    assert matched_at_80 != matched_at_100 or "(0)" in matched_at_80
    assert unmatched_at_100.startswith("Unmatched citations")
