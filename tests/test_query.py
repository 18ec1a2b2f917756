from __future__ import annotations

from imr.corpus import Filters
from imr.query import filters_from_params, params_from_filters

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
