from __future__ import annotations

from imr.corpus import Filters
from imr.query import VIEWS, filters_from_params, params_from_filters, params_from_state, view_from_params

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
