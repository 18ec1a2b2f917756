from __future__ import annotations

from imr.corpus import Filters
import pytest

from imr.query import (
    VIEWS, filters_from_params, letter_from_params, letter_params, mark_from_params, params_from_filters, params_from_state,
    view_from_params,
)

OPTIONS = {"outcome": ["overturned", "upheld"], "category": ["Pharmaceuticals", "Surgery"], "year": ["2015"]}


def test_round_trip():
    filters = Filters(outcome=("overturned",), category=("Pharmaceuticals", "Surgery"), year=("2015",), text="mri")
    params = params_from_filters(filters)
    assert params == {"outcome": ["overturned"], "category": ["Pharmaceuticals", "Surgery"], "year": ["2015"],
                      "text": ["mri"]}
    assert filters_from_params(params, OPTIONS) == filters


def test_unknown_values_and_keys_are_dropped():
    filters = filters_from_params({"outcome": ["overturned", "bogus"], "nope": ["x"], "text": "q"}, OPTIONS)
    assert filters == Filters(outcome=("overturned",), text="q")


def test_empty_filters_give_a_clean_url():
    assert params_from_filters(Filters()) == {}
    assert filters_from_params({}, OPTIONS).is_empty()


def test_view_round_trip_next_to_the_filters():
    filters = Filters(outcome=("overturned",))
    params = params_from_state(filters, "Charts")
    assert params == {"view": ["charts"], "outcome": ["overturned"]}
    assert view_from_params(params) == "Charts"
    assert filters_from_params(params, OPTIONS) == filters
    for view in VIEWS:
        assert view_from_params(params_from_state(Filters(), view)) == view


def test_the_overview_keeps_the_url_clean():
    assert params_from_state(Filters(), "Overview") == {}
    assert view_from_params({}) == "Overview"


def test_unknown_views_fall_back_to_the_overview():
    assert view_from_params({"view": ["nonsense"]}) == "Overview"
    assert view_from_params({"view": [""]}) == "Overview"
    assert view_from_params({"view": []}) == "Overview"
    assert view_from_params({"view": "LETTER"}) == "Letter"  # a lone value, any letter case


def _letters():
    import pandas as pd
    return pd.DataFrame({"letter_id": [0, 1, 2, 3], "file": ["a.pdf", "b.pdf", "c.pdf", "d.pdf"],
                         "case_number": ["CM15-1", "CM15-2", "CM15-2", None], "decisions": [3, 1, 1, 0]})


def test_a_letter_is_named_by_its_case_number_or_else_its_file():
    letters = _letters()
    assert letter_params(letters, 0, 2) == {"case": ["CM15-1"], "item": ["2"]}
    assert letter_params(letters, 1, 1) == {"file": ["b.pdf"], "item": ["1"]}  # the case number is shared
    assert letter_params(letters, 3, None) == {"file": ["d.pdf"]}  # no case number, no decisions
    params = params_from_state(Filters(outcome=("upheld",)), "Letter", letter_params(letters, 0, 2))
    assert params == {"view": ["letter"], "case": ["CM15-1"], "item": ["2"], "outcome": ["upheld"]}
    assert params_from_state(Filters(), "Charts", letter_params(letters, 0, 2)) == {"view": ["charts"]}


@pytest.mark.parametrize("params, expected", [
    ({"case": "CM15-1", "item": "2"}, (0, 2)),
    ({"case": ["CM15-1"], "item": ["3"]}, (0, 3)),
    ({"case": "CM15-1", "item": "4"}, (0, None)),  # past the letter's last item
    ({"case": "CM15-1", "item": "0"}, (0, None)),
    ({"case": "CM15-1", "item": "-1"}, (0, None)),
    ({"case": "CM15-1", "item": "two"}, (0, None)),
    ({"file": "b.pdf", "item": "1"}, (1, 1)),
    ({"case": "CM99-0"}, (None, None)),
    ({"item": "1"}, (None, None)),
])
def test_letter_links_resolve_or_fall_back(params, expected):
    assert letter_from_params(params, _letters()) == expected


def test_cited_by_and_corpus_in_the_url():
    filters = Filters(corpus=("uploaded",), source=("ODG",), cited_by="reviewer")
    params = params_from_filters(filters)
    assert params == {"corpus": ["uploaded"], "source": ["ODG"], "cited_by": ["reviewer"]}
    assert filters_from_params(params, {"corpus": ["uploaded", "demo"], "source": ["ODG"]}) == filters
    assert filters_from_params({"cited_by": ["nobody"]}, {}).cited_by == "either"
    assert "cited_by" not in params_from_filters(Filters(source=("ODG",)))


def test_the_marked_field_rides_in_the_link_unless_it_is_the_outcome():
    letters = _letters()
    assert letter_params(letters, 0, 2, "rationale") == {"case": ["CM15-1"], "item": ["2"], "mark": ["rationale"]}
    assert letter_params(letters, 0, 2, "outcome") == {"case": ["CM15-1"], "item": ["2"]}
    assert mark_from_params({"mark": "decision_date"}) == "decision_date"
    assert mark_from_params({"mark": "<script>"}) is None and mark_from_params({}) is None
