"""Facets as Datasette shows them: counts under the other filters, chips, what emptied a result."""
from __future__ import annotations

from dataclasses import replace

import pytest

from corpus_records import citation, decision, letter, sample_records
from imr.corpus import DEMO, UPLOADED, Filters, apply_filters, build_frames, filter_letters
from imr.facets import chips, describe, facets, what_emptied, without


@pytest.fixture
def frames():
    return build_frames(sample_records())


def test_counts_are_what_the_result_would_hold_with_that_value(frames):
    decisions = frames.decisions
    filters = Filters(category=("Pharmaceuticals",))
    found = facets(decisions, filters)
    for value, count in found["outcome"].counts.items():
        assert count == len(apply_filters(decisions, Filters(category=("Pharmaceuticals",), outcome=(value,))))
    assert found["outcome"].counts == {"upheld": 2}  # narrowed by the category filter
    # The category facet ignores its own filter: every category stays offered, with its full count.
    assert found["category"].counts["Rehabilitation"] == 1 and found["category"].options[0] == "Pharmaceuticals"
    assert found["outcome"].label("upheld") == "upheld (2)"


def test_a_chosen_value_stays_listed_at_zero(frames):
    found = facets(frames.decisions, Filters(category=("Surgery",), outcome=("upheld",)))
    assert "Surgery" in found["category"].options and found["category"].label("Surgery") == "Surgery (0)"


def test_list_columns_count_each_decision_once_per_value(frames):
    found = facets(frames.decisions, Filters())
    assert found["specialty"].counts == {"Orthopaedic Surgery": 4, "Physical Medicine and Rehabilitation": 2, "Pain Medicine": 2}
    assert found["age_band"].options == ["under 30", "50-59", "unknown"]  # natural order, not by count


def test_guideline_filters_read_the_chosen_side():
    both = decision("Tramadol", "upheld", citations=[citation("CPMTG", "Opioids"),
                                                      citation("ODG", "Tramadol", role="claims_administrator")])
    decisions = build_frames([letter("a", [both, decision("MRI", "upheld", citations=[citation("ODG", "Low Back")])])]).decisions
    assert len(apply_filters(decisions, Filters(source=("ODG",)))) == 2
    assert list(apply_filters(decisions, Filters(source=("ODG",), cited_by="reviewer"))["treatment"]) == ["MRI"]
    assert list(apply_filters(decisions, Filters(source=("ODG",), cited_by="claims_administrator"))["treatment"]) == ["Tramadol"]
    assert facets(decisions, Filters(cited_by="claims_administrator"))["source"].counts == {"ODG": 1, "unknown": 1}


def test_corpus_origin_is_a_facet_and_errored_files_stay_in_their_corpus(frames):
    records = sample_records()
    frames = build_frames(records, [UPLOADED, UPLOADED, DEMO, UPLOADED])
    mine = Filters(corpus=(UPLOADED,))
    decisions = apply_filters(frames.decisions, mine)
    assert set(decisions["file"]) == {"a.pdf", "b.pdf"}
    assert set(filter_letters(frames.letters, decisions, mine)["file"]) == {"a.pdf", "b.pdf", "broken.pdf"}
    assert facets(frames.decisions, Filters())["corpus"].counts == {UPLOADED: 3, DEMO: 3}
    narrowed = Filters(corpus=(UPLOADED,), outcome=("overturned",))
    assert set(filter_letters(frames.letters, apply_filters(frames.decisions, narrowed), narrowed)["file"]) == {"a.pdf"}


def test_chips_remove_one_value_and_describe_the_rest():
    filters = Filters(outcome=("upheld", "overturned"), category=("Surgery",), text=" mri ", cited_by="reviewer",
                      source=("ODG",))
    texts = [chip.text for chip in chips(filters)]
    assert texts == ["Outcome: upheld", "Outcome: overturned", "Service category: Surgery", "Guideline source: ODG",
                     "Search: 1 word: mri"]
    assert without(filters, "outcome", "upheld").outcome == ("overturned",)
    assert without(filters, "text").text == ""
    assert describe(filters) == ('Outcome: upheld, overturned; Service category: Surgery; '
                                 'Guideline source (cited by the reviewer): ODG; Search: 1 word: mri')
    whole = replace(filters, text='CM15-0001 "physical therapy"', search_in="letters")
    assert chips(whole)[-1].text == 'Search: case CM15-0001; 1 phrase: "physical therapy" (whole letters)'
    assert describe(Filters()) == "none"


def test_an_empty_result_names_the_filter_that_emptied_it(frames):
    filters = Filters(category=("Pharmaceuticals",), outcome=("overturned",), sex=("female",))
    assert apply_filters(frames.decisions, filters).empty
    blamed = dict(what_emptied(frames.decisions, filters))
    assert blamed == {"category": 1, "outcome": 1}  # dropping either brings decisions back; sex alone does not
    assert what_emptied(frames.decisions, Filters(text="no such words", outcome=("nothing",))) == []
