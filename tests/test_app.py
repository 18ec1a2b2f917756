"""The app on the embedded demo corpus, driven through streamlit.testing: views, facets with counts, the
URL forms (view, filters, letter and item, corpus), chips, empty results, Back (a URL changed outside)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from imr import charts, export, facets
from imr.corpus import FILTER_COLUMNS
from imr.demo import load_demo
from imr.letterview import FOCUS_ID
from imr.query import VIEWS

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT = 180  # the first run parses the demo letters
# The chosen grouping's counts and rates, a small multiple of every other grouping, the delay histogram.
CHARTS_IN_VIEW = 2 + (len(charts.CHART_SPECS) - 1) + 1
DEMO_FILTERS = [name for name in FILTER_COLUMNS if name not in ("corpus", "reason", "limit")]


def open_app(**params: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at = at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def app() -> AppTest:
    return open_app()


def rerun(at: AppTest) -> AppTest:
    at = at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_view(at: AppTest, name: str) -> AppTest:
    return rerun(at.button_group(key="view").set_value(name))


def metric(at: AppTest, label: str) -> int | str:
    value = next(m.value for m in at.metric if m.label == label)
    return int(value.replace(",", "")) if value.replace(",", "").isdigit() else value


def url(at: AppTest) -> dict[str, list[str]]:
    return {key: [value] if isinstance(value, str) else list(value) for key, value in at.query_params.items()}


def multiselect(at: AppTest, name: str):
    return at.multiselect(key=f"f_{name}")


def counted(label: str) -> int:
    """"Pharmaceuticals (41)" -> 41."""
    return int(re.search(r"\(([\d,]+)\)$", label).group(1).replace(",", ""))


def test_opens_on_the_demo_corpus_named_as_synthetic(app):
    assert list(app.button_group(key="view").options) == list(VIEWS) and app.button_group(key="view").value == "Overview"
    assert url(app) == {}  # the default view keeps the URL clean
    assert any("64 synthetic demo letters" in info.value and "not real decisions" in info.value for info in app.info)
    assert metric(app, "Letters") == len(load_demo())
    assert metric(app, "Overturn rate").endswith("%") and re.fullmatch(r"\d+\.\d%", metric(app, "Overturn rate"))
    assert any("95% CI" in caption.value for caption in app.caption)
    assert len(app.get("plotly_chart")) == 1  # only the statewide comparison: no other view ran
    assert multiselect(app, "corpus").options == ["synthetic demo letters (106)"]


def test_each_view_renders_only_its_own_content_and_lands_in_the_url(app):
    at = open_view(app, "Decisions")
    assert len(at.dataframe) == 1 and not at.get("plotly_chart") and not at.metric
    assert url(at) == {"view": ["decisions"]}

    at = open_view(at, "Letter")
    assert at.selectbox(key="letter_pick").value is not None and at.selectbox(key="item_pick").value == 1
    case = url(at)["case"][0]
    assert url(at) == {"view": ["letter"], "case": [case], "item": ["1"]}

    at = open_view(at, "Citations")
    assert at.slider(key="min_score").value == 80 and url(at) == {"view": ["citations"]}

    at = open_view(at, "Charts")
    assert len(at.get("plotly_chart")) == CHARTS_IN_VIEW and url(at) == {"view": ["charts"]}
    at = rerun(at.selectbox(key="chart_by").set_value("drug"))
    assert url(at) == {"view": ["charts"], "by": ["drug"]}
    assert "drug" in at.get("plotly_chart")[0].proto.spec

    at = open_view(at, "Files")
    assert len(at.dataframe) == 1 and not at.get("plotly_chart") and url(at) == {"view": ["files"]}

    at = open_view(at, "Overview")
    assert metric(at, "Letters") and url(at) == {}


@pytest.mark.parametrize("name", DEMO_FILTERS)
def test_each_facet_counts_what_choosing_it_gives_and_lands_in_the_url(name):
    at = open_app()
    widget = multiselect(at, name)
    assert widget.options, f"the demo corpus offers values for {name}"
    label = widget.options[0]  # AppTest holds the options as their labels: "value (count)"
    value = label.rsplit(" (", 1)[0]
    at = rerun(widget.set_value([value]))
    assert metric(at, "Decisions") == counted(label) > 0
    assert url(at) == {name: [value]}
    at = open_view(at, "Charts")
    assert len(at.get("plotly_chart")) == CHARTS_IN_VIEW
    assert url(at)["view"] == ["charts"] and name in url(at)


def test_facet_counts_narrow_under_the_other_filters():
    at = open_app()
    before = {label.rsplit(" (", 1)[0]: counted(label) for label in multiselect(at, "outcome").options}
    at = rerun(multiselect(at, "category").set_value(["Pharmaceuticals"]))
    after = {label.rsplit(" (", 1)[0]: counted(label) for label in multiselect(at, "outcome").options}
    assert sum(after.values()) == metric(at, "Decisions") < sum(before.values())
    # The category facet still offers every category, each with its own count.
    assert len(multiselect(at, "category").options) > 1


def test_chips_remove_one_filter_and_reset_clears_all():
    at = open_app(outcome="upheld", category="Pharmaceuticals")
    labels = [b.label for b in at.button]
    assert "✕ Outcome: upheld" in labels and "✕ Service category: Pharmaceuticals" in labels
    at = rerun(next(b for b in at.button if b.label == "✕ Outcome: upheld").click())
    assert multiselect(at, "outcome").value == [] and multiselect(at, "category").value == ["Pharmaceuticals"]
    assert url(at) == {"category": ["Pharmaceuticals"]}
    at = rerun(at.button(key="reset").click())
    assert multiselect(at, "category").value == [] and url(at) == {}


def test_an_empty_result_names_the_filter_that_emptied_it():
    at = open_app(category="Pharmaceuticals", text="zzzz-no-such-treatment")
    assert metric(at, "Decisions") == 0 and metric(at, "Overturn rate") == "–"
    warning = next(w.value for w in at.warning if "No decisions match" in w.value)
    assert "without **Search** there would be 41 decisions" in warning
    at = open_view(at, "Letter")
    assert any("No letters match" in info.value for info in at.info)


def test_an_outcome_filter_says_rates_are_meaningless():
    at = open_app(view="charts", outcome="overturned")
    assert any("every overturn rate is 0% or 100%" in info.value for info in at.info)
    assert metric(open_app(outcome="overturned"), "Overturn rate") == "100.0%"


def test_a_shared_link_opens_the_same_view_with_the_same_filters():
    at = open_app(view="charts", outcome="overturned", by="subcategory")
    assert at.button_group(key="view").value == "Charts" and at.selectbox(key="chart_by").value == "subcategory"
    assert multiselect(at, "outcome").value == ["overturned"]
    assert url(at) == {"view": ["charts"], "outcome": ["overturned"], "by": ["subcategory"]}


@pytest.mark.parametrize("bogus", ["nonsense", ""])
def test_an_unknown_view_in_the_url_falls_back_to_the_overview(bogus):
    at = open_app(view=bogus)
    assert at.button_group(key="view").value == "Overview" and metric(at, "Letters") and url(at) == {}


def test_a_letter_link_opens_the_letter_at_its_item_with_the_outcome_marked():
    letter = next(letter for letter in load_demo() if len(letter.decisions) >= 2)
    at = open_app(view="letter", case=letter.case_number, item="2")
    assert at.selectbox(key="item_pick").value == 2
    assert at.selectbox(key="focus").value == "decisions[1].outcome"
    assert any(h.proto.body.count(f'id="{FOCUS_ID}"') == 1 for h in at.get("html"))
    assert url(at) == {"view": ["letter"], "case": [letter.case_number], "item": ["2"]}
    assert at.subheader[0].value == "Item 2"
    # An item past the letter's last one opens the letter at item 1; an unknown case opens the first letter.
    at = open_app(view="letter", case=letter.case_number, item="99")
    assert at.selectbox(key="item_pick").value == 1
    at = open_app(view="letter", case="CM00-0000000")
    assert at.selectbox(key="letter_pick").value is not None


def test_back_restores_the_previous_url_state(app):
    at = open_view(app, "Decisions")
    at = rerun(multiselect(at, "outcome").set_value(["overturned"]))
    assert url(at) == {"view": ["decisions"], "outcome": ["overturned"]}
    at = open_view(at, "Charts")
    # The browser's Back gives the app the previous address: it wins over the widgets.
    at.query_params.clear()
    at.query_params["view"] = "decisions"
    at = rerun(at)
    assert at.button_group(key="view").value == "Decisions" and multiselect(at, "outcome").value == []
    assert url(at) == {"view": ["decisions"]}


def test_a_link_about_uploaded_letters_without_them_says_so():
    at = open_app(corpus="uploaded")
    assert any("stay in the browser session that uploaded them" in w.value for w in at.warning)
    assert multiselect(at, "corpus").value == []


def test_guideline_filters_choose_the_side():
    either = metric(open_app(source="ODG"), "Decisions")
    reviewer = metric(open_app(source="ODG", cited_by="reviewer"), "Decisions")
    administrator = metric(open_app(source="ODG", cited_by="claims_administrator"), "Decisions")
    assert max(reviewer, administrator) <= either <= reviewer + administrator
    assert reviewer != administrator


def test_citation_threshold_survives_a_view_switch(app):
    def matched(at: AppTest) -> str:
        return next(h.value for h in at.subheader if h.value.startswith("Matched citations"))
    at = open_view(app, "Citations")
    at = rerun(at.slider(key="min_score").set_value(100))
    assert matched(at).startswith("Matched citations (")
    at = open_view(open_view(at, "Charts"), "Citations")
    assert at.slider(key="min_score").value == 100


def test_search_syntax_phrases_case_numbers_and_whole_letters():
    letter = next(letter for letter in load_demo() if len(letter.decisions) >= 2)
    at = open_app(text=letter.case_number)
    assert metric(at, "Decisions") == len(letter.decisions)
    assert any(f"case {letter.case_number}" in c.value.replace("\\", "") and "in 1 letter match" in c.value for c in at.caption)
    phrase = " ".join(letter.decisions[0].treatment.split()[:2])
    at = open_app(text=f'"{phrase}"')
    phrase_count = metric(at, "Decisions")
    at = open_app(text=f'"{phrase}"', search_in="letters")
    assert metric(at, "Decisions") >= phrase_count > 0  # every item of a letter holding the phrase
    at = open_view(at, "Letter")
    assert any("search match" in c.value for c in at.caption)
    assert any('class="imr-match"' in h.proto.body for h in at.get("html"))


def test_reasons_view_shares_limits_and_the_reason_facet():
    at = open_view(open_app(), "Reasons")
    assert url(at) == {"view": ["reasons"]}
    reasons, limits = at.get("plotly_chart")
    assert "all upheld items" in reasons.proto.spec and "guideline limit" in limits.proto.spec
    at = rerun(at.radio(key="reasons_by").set_value("category"))
    assert at.selectbox(key="reasons_group").value == "Pharmaceuticals" and len(at.dataframe) == 1
    other = next(group for group in at.selectbox(key="reasons_group").options if not group.startswith("Pharmaceuticals"))
    at = rerun(at.selectbox(key="reasons_group").set_value(other.rsplit(" (", 1)[0]))
    name = at.selectbox(key="reasons_group").value
    assert url(at) == {"view": ["reasons"], "among": ["category"], "group": [name]}
    # the pickers come back from a shared link; a group the letters do not hold falls back to the first
    shared = open_app(view="reasons", among="category", group=name)
    assert (shared.radio(key="reasons_by").value, shared.selectbox(key="reasons_group").value) == ("category", name)
    assert open_app(view="reasons", among="category", group="Nothing").selectbox(key="reasons_group").value == "Pharmaceuticals"
    facet = multiselect(at, "reason")
    assert facet.options, "the demo letters' items carry reasons"
    label = facet.options[0]
    tag = next(tag for tag, text in facets.VALUE_LABELS["reason"].items() if label.startswith(text + " ("))
    at = rerun(facet.set_value([tag]))
    assert url(at)["reason"] == [tag] and metric(open_app(reason=tag), "Decisions") == counted(label)


def test_the_letter_view_marks_the_reason_sentences_of_the_item():
    letter, item = next((letter, i + 1) for letter in load_demo() for i, d in enumerate(letter.decisions) if d.reasons)
    at = open_app(view="letter", case=letter.case_number, item=str(item))
    assert any('class="imr-reason"' in h.proto.body for h in at.get("html"))


def test_the_marked_field_lives_in_the_url():
    letter = next(letter for letter in load_demo() if "decisions[0].rationale" in letter.evidence)
    at = open_app(view="letter", case=letter.case_number, item="1", mark="rationale")
    assert at.selectbox(key="focus").value == "decisions[0].rationale"
    assert url(at)["mark"] == ["rationale"]
    at = rerun(at.selectbox(key="focus").set_value("decisions[0].outcome"))
    assert "mark" not in url(at) and url(at)["item"] == ["1"]


def test_a_png_is_offered_only_once_it_was_made():
    at = open_app(view="charts")
    assert "Chart as PNG" not in [d.proto.label for d in at.get("download_button")]
    if not export.png_available():
        assert any("camera button" in c.value for c in at.caption)
        return
    at = rerun(at.button(key="make_png_outcomes_by_category").click())
    made = at.session_state["png_outcomes_by_category"]
    if made:
        assert made.startswith(b"\x89PNG") and "Chart as PNG" in [d.proto.label for d in at.get("download_button")]
    else:  # the renderer failed here: the button explains instead of offering an empty file
        assert any("could not be drawn as PNG" in c.value for c in at.caption)


# --- the app on a Parquet corpus (IMR_CORPUS) ------------------------------------------------------

CORPUS_LETTERS = 12


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    """A corpus ingested from a few generated letters; one letter's file is then removed, so its text
    is only in the corpus's fields."""
    import synth
    from imr.ingest import ingest

    letters = tmp_path_factory.mktemp("corpus_letters")
    for letter in synth.generate(CORPUS_LETTERS, seed=33):
        (letters / f"{letter.name}.txt").write_text(letter.text(), encoding="utf-8")
    folder = tmp_path_factory.mktemp("corpus") / "corpus"
    ingest([str(letters)], str(folder), workers=1, quiet=True)
    return folder


@pytest.fixture
def on_corpus(corpus_dir, tmp_path_factory, monkeypatch) -> Path:
    monkeypatch.setenv("IMR_CORPUS", str(corpus_dir))
    monkeypatch.setenv("IMR_CACHE", str(tmp_path_factory.getbasetemp() / "index"))
    return corpus_dir


def corpus_frames(corpus_dir: Path):
    from imr.corpus import CORPUS, build_frames
    from imr.corpus_store import open_corpus, stored_letter

    connection = open_corpus(str(corpus_dir))
    letters = [stored_letter(connection, key) for (key,) in connection.execute("SELECT sha256 FROM letters").fetchall()]
    return letters, build_frames([letter.to_dict() for letter in letters], [CORPUS] * len(letters))


def test_the_app_opens_a_corpus_in_place_of_the_demo(on_corpus):
    from imr.corpus import Filters, apply_filters

    letters, frames = corpus_frames(on_corpus)
    at = open_app()
    assert metric(at, "Letters") == CORPUS_LETTERS and metric(at, "Decisions") == len(frames.decisions)
    assert any(f'{CORPUS_LETTERS} letters** of the corpus "corpus"' in s.value for s in at.success)
    assert not any("synthetic demo" in info.value for info in at.info)
    assert multiselect(at, "corpus").options == [f"the opened corpus ({len(frames.decisions)})"]
    # A filter narrows the counts as the pandas path does over the same letters, and lands in the URL.
    at = rerun(multiselect(at, "outcome").set_value(["upheld"]))
    assert metric(at, "Decisions") == len(apply_filters(frames.decisions, Filters(outcome=("upheld",))))
    assert url(at) == {"outcome": ["upheld"]}
    for view in ("Decisions", "Charts", "Reasons", "Citations", "Files", "Letter", "Overview"):
        at = open_view(at, view)
        if view == "Charts":  # the delay histogram too, counted in SQL
            assert len(at.get("plotly_chart")) == CHARTS_IN_VIEW
            assert "Days from UR denial to IMR decision" in at.get("plotly_chart")[-1].proto.spec
    # The search covers the stored fields and says so.
    word = str(frames.decisions["treatment"].iloc[0]).split()[0]
    at = rerun(at.text_input(key="f_text").set_value(word))
    assert metric(at, "Decisions") == len(apply_filters(frames.decisions, Filters(outcome=("upheld",), text=word)))
    assert any("not whole letters" in c.value for c in at.caption)


def test_a_corpus_letter_opens_from_a_link_with_or_without_its_file(on_corpus):
    letters, _ = corpus_frames(on_corpus)
    letter = next(letter for letter in letters if len(letter.decisions) >= 2)
    at = open_app(view="letter", case=letter.case_number, item="2")
    assert at.selectbox(key="item_pick").value == 2 and at.subheader[0].value == "Item 2"
    assert any(h.proto.body.count(f'id="{FOCUS_ID}"') == 1 for h in at.get("html"))  # re-parsed: the text, marked
    assert url(at) == {"view": ["letter"], "case": [letter.case_number], "item": ["2"]}
    Path(letter.file).rename(Path(letter.file).with_suffix(".moved"))
    try:
        at = open_app(view="letter", case=letter.case_number, item="2")
        assert at.subheader[0].value == "Item 2"
        assert any("text is not in the corpus" in c.value for c in at.caption)
    finally:
        Path(letter.file).with_suffix(".moved").rename(letter.file)


def test_an_empty_or_missing_corpus_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("IMR_CORPUS", str(tmp_path / "no-corpus-here"))
    monkeypatch.setenv("IMR_CACHE", str(tmp_path / "index"))
    at = open_app()
    assert any("holds no letters" in w.value for w in at.warning) and metric(at, "Decisions") == 0


def test_the_corpus_can_be_named_on_the_command_line(corpus_dir, tmp_path_factory, monkeypatch):
    import sys

    monkeypatch.delenv("IMR_CORPUS", raising=False)
    monkeypatch.setenv("IMR_CACHE", str(tmp_path_factory.getbasetemp() / "index"))
    monkeypatch.setattr(sys, "argv", ["app.py", "--corpus", str(corpus_dir)])
    assert metric(open_app(), "Letters") == CORPUS_LETTERS
