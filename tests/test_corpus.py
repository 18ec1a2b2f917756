from __future__ import annotations

import math

import pandas as pd
import pytest

from corpus_records import citation, decision, letter, sample_records
from imr.corpus import (
    Filters, age_band, apply_filters, build_frames, citation_groups, compare_with_statewide, filter_citations,
    filter_letters, filter_options, overturn_rate, rate_table, split_citations, summarize, wilson_interval,
)
from imr.statewide import load_statewide, statewide_metric


@pytest.fixture
def frames():
    return build_frames(sample_records())


def test_wilson_interval_matches_published_values():
    low, high = wilson_interval(2, 10)
    assert low == pytest.approx(0.0567, abs=1e-4) and high == pytest.approx(0.5098, abs=1e-4)
    assert wilson_interval(0, 20)[0] == 0.0 and wilson_interval(20, 20)[1] == 1.0
    assert all(math.isnan(v) for v in wilson_interval(0, 0))


@pytest.mark.parametrize("age, band", [(17, "under 30"), (29, "under 30"), (30, "30-39"), (59, "50-59"),
                                       (60, "60+"), (None, "unknown"), (float("nan"), "unknown")])
def test_age_band(age, band):
    assert age_band(age) == band


def test_frames_have_one_row_per_letter_decision_citation(frames):
    assert len(frames.letters) == 4
    assert len(frames.decisions) == 6
    assert len(frames.citations) == 5
    first = frames.decisions.iloc[0]
    assert first["sources"] == ["CPMTG", "ODG"]
    assert first["sections"] == ["CPMTG: Opioids", "ODG: Tramadol"]
    assert first["age_band"] == "50-59" and first["decision_year"] == "2015"
    assert first["decision_quarter"] == "2015-Q2" and first["days_ur_to_decision"] == 45
    unmatched = frames.decisions.iloc[2]
    assert unmatched["sources"] == [] and unmatched["sections"] == []
    assert frames.decisions.iloc[5]["outcome"] == "unknown"
    assert frames.decisions.iloc[4]["decision_year"] == "unknown"


def test_empty_corpus_gives_empty_frames_with_columns():
    frames = build_frames([])
    assert frames.letters.empty and frames.decisions.empty and frames.citations.empty
    assert "outcome" in frames.decisions.columns
    assert rate_table(frames.decisions, "category").empty
    assert summarize(frames.letters, frames.decisions).rate.decided == 0


def test_duplicates_flag_same_bytes_and_same_case_number(frames):
    letters = frames.letters.set_index("file")
    assert letters.loc["broken.pdf", "duplicate_file"] and letters.loc["a.pdf", "duplicate_file"]
    assert not letters.loc["b.pdf", "duplicate_file"]
    assert letters.loc["c.pdf", "duplicate_case"] and letters.loc["a.pdf", "duplicate_case"]
    assert not letters.loc["broken.pdf", "duplicate_case"]  # no case number is not a duplicate


def test_overturn_rate_counts_only_decided_items(frames):
    rate = overturn_rate(frames.decisions)
    assert (rate.overturned, rate.decided) == (2, 5)
    assert rate.rate == pytest.approx(0.4)


def test_rate_table_explodes_list_columns_and_orders_by_size(frames):
    table = rate_table(frames.decisions, "reviewer_specialties").set_index("group")
    assert table.loc["Physical Medicine & Rehabilitation", "decisions"] == 2
    assert table.loc["Orthopedic Surgery", "decisions"] == 4
    assert list(table.index)[0] == "Orthopedic Surgery"
    row = table.loc["Orthopedic Surgery"]
    assert (row["overturned"], row["decided"]) == (1, 3)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(wilson_interval(1, 3))


def test_rate_table_top_and_time_order(frames):
    assert len(rate_table(frames.decisions, "category", top=2)) == 2
    years = rate_table(frames.decisions, "decision_year")["group"].tolist()
    assert years == ["2015", "2016", "unknown"]


@pytest.mark.parametrize("filters, treatments", [
    (Filters(outcome=("overturned",)), {"Physical therapy x6", "Psychotherapy 6 sessions"}),
    (Filters(source=("ODG",)), {"Tramadol 50mg", "Zolpidem 10mg"}),
    (Filters(source=("unknown",)), {"MRI lumbar spine", "Psychotherapy 6 sessions", "Unclear item"}),
    (Filters(section=("CPMTG: Physical medicine",)), {"Physical therapy x6"}),
    (Filters(state=("Texas",)), {"MRI lumbar spine"}),
    (Filters(body_part=("knee",)), {"MRI lumbar spine"}),
    (Filters(year=("2016",)), {"MRI lumbar spine"}),
    (Filters(age_band=("unknown",)), {"Psychotherapy 6 sessions", "Zolpidem 10mg", "Unclear item"}),
    (Filters(sex=("male",)), {"MRI lumbar spine"}),
    (Filters(text="functional GAINS"), {"Physical therapy x6"}),
    (Filters(text="mri"), {"MRI lumbar spine"}),
    (Filters(category=("Pharmaceuticals",), outcome=("upheld",)), {"Tramadol 50mg", "Zolpidem 10mg"}),
    (Filters(specialty=("Pain Medicine",), outcome=("upheld",)), {"Tramadol 50mg"}),
])
def test_filters(frames, filters, treatments):
    assert set(apply_filters(frames.decisions, filters)["treatment"]) == treatments


def test_filter_letters_keeps_error_files_only_without_filters(frames):
    assert len(filter_letters(frames.letters, frames.decisions, Filters())) == 4
    filtered = apply_filters(frames.decisions, Filters(outcome=("overturned",)))
    assert set(filter_letters(frames.letters, filtered, Filters(outcome=("overturned",)))["file"]) == {"a.pdf", "c.pdf"}
    citations = filter_citations(frames.citations, filtered)
    assert list(citations["section"]) == ["Physical medicine"]


def test_filter_options_list_every_value(frames):
    options = filter_options(frames.decisions)
    assert options["state"] == ["California", "Texas"]
    assert options["age_band"] == ["under 30", "50-59", "unknown"]
    assert "unknown" in options["outcome"]
    assert options["source"] == ["CPMTG", "ODG", "unknown"]  # "unknown": no matched citation


def test_summary(frames):
    summary = summarize(frames.letters, frames.decisions)
    assert summary.letters == 4 and summary.decisions == 6
    assert summary.letters_by_status == {"ok": 3, "partial": 0, "error": 1}
    assert summary.first_decision == pd.Timestamp("2015-04-15")
    assert summary.last_decision == pd.Timestamp("2016-07-02")
    assert summary.top_categories[0] == ("Pharmaceuticals", 2)


def test_statewide_figures_carry_sources_and_compare(frames):
    statewide = load_statewide()
    assert statewide["source"].notna().all()
    rates = statewide_metric(statewide, "overturn_rate")
    assert rates.set_index("period").loc["2024", "value"] == pytest.approx(0.127)
    comparison = compare_with_statewide(frames.decisions, rates, "these letters")
    assert comparison.iloc[0]["rate"] == pytest.approx(0.4)
    assert comparison.iloc[0]["ci_low"] < 0.4 < comparison.iloc[0]["ci_high"]
    assert (comparison["kind"] == "statewide reference (DWC/CWCI)").sum() == len(rates)


def test_decisions_with_many_letters_scale():
    records = [letter(f"{i}.pdf", [decision("x", "upheld" if i % 10 else "overturned")]) for i in range(2000)]
    frames = build_frames(records)
    assert overturn_rate(frames.decisions).overturned == 200


def test_modified_requests_are_counted_apart_from_denials():
    modified = {**decision("Tramadol 50mg", "overturned"), "original_request": "Tramadol 50mg #90", "authorized_portion": "Tramadol 50mg #60"}
    records = [letter("a", [modified, decision("Norco 10/325mg", "upheld")]), letter("b", [decision("MRI", "upheld")])]
    frames = build_frames(records)
    assert frames.decisions["ur_action"].tolist() == ["modified", "denied", "denied"]
    assert frames.decisions.loc[0, "original_request"] == "Tramadol 50mg #90"
    table = rate_table(frames.decisions, "ur_action").set_index("group")
    assert (table.loc["modified", "decisions"], table.loc["modified", "rate"]) == (1, 1.0)
    assert (table.loc["denied", "decisions"], table.loc["denied", "rate"]) == (2, 0.0)


def test_no_evidence_and_other_are_their_own_groups():
    nothing = {**decision("MRI", "upheld", citations=[citation("ODG", "Low Back: MRI")]),
               "claims_administrator_guideline": "The Claims Administrator did not cite any medical evidence for its decision."}
    other = decision("Viagra", "upheld", citations=[citation("OTHER", "UpToDate"), citation(None, None, role="claims_administrator")])
    frames = build_frames([letter("a", [nothing, other])])
    assert frames.decisions["reviewer_sources"].tolist() == [["ODG"], ["OTHER"]]
    groups = citation_groups(frames.citations).set_index("group")
    assert groups.loc["no evidence cited", "claims_administrator"] == 1
    assert groups.loc["OTHER", "reviewer"] == 1 and groups.loc["unmatched", "claims_administrator"] == 1
    matched, unmatched = split_citations(frames.citations, 0)
    assert "no evidence cited" not in set(matched["group"]) | set(unmatched["group"])


def test_reviewer_sources_group_one_decision_under_each_source():
    both = decision("Norco", "overturned", citations=[citation("CPMTG", "Opioids"), citation("ODG", "Pain (Chronic): Opioids")])
    table = rate_table(build_frames([letter("a", [both, decision("MRI", "upheld")])]).decisions, "reviewer_sources").set_index("group")
    assert table.loc["CPMTG", "overturned"] == 1 and table.loc["ODG", "overturned"] == 1


def test_search_finds_words_phrases_case_numbers_and_diagnoses_or_whole_letters():
    records = [
        letter("a.pdf", [decision("Physical therapy x6", "upheld", "Rehabilitation", rationale="No functional gains."),
                         decision("Tramadol 50mg", "upheld")], case_number="CM16-0221706", diagnoses=["Lumbar radiculopathy"]),
        letter("b.pdf", [decision("Physical exam", "overturned", rationale="Therapy helped.")], case_number="CM16-0000001"),
    ]
    texts = ["Case CM16-0221706 ... the worker reports neck stiffness ...", "Case CM16-0000001 ..."]
    decisions = build_frames(records, texts=texts).decisions

    def found(text: str, where: str = "items") -> list[str]:
        return list(apply_filters(decisions, Filters(text=text, search_in=where))["treatment"])

    assert found('"physical therapy"') == ["Physical therapy x6"]
    assert found("physical therapy") == ["Physical therapy x6", "Physical exam"]  # both words, anywhere in the item
    assert found("CM16-0221706") == ["Physical therapy x6", "Tramadol 50mg"]
    assert found("radiculopathy tramadol") == ["Tramadol 50mg"]  # a diagnosis of its letter and its treatment
    assert found("neck stiffness") == []
    assert found("neck stiffness", "letters") == ["Physical therapy x6", "Tramadol 50mg"]
    assert found('"unclosed quote (* [') == []  # user input is never read as a pattern


def test_guideline_limit_groups_and_reason_tags_come_from_the_record():
    over = {**decision("PT 12 visits", "upheld", "Rehabilitation"), "guideline_limit": {"value": 10, "unit": "visits", "text": "9-10 visits"},
            "over_limit": True, "reasons": [{"tag": "exceeds_guideline_quantity", "start": 0, "end": 5}] * 2}
    within = {**decision("PT 6 visits", "overturned", "Rehabilitation"), "guideline_limit": {"value": 10, "unit": "visits", "text": "10 visits"},
              "over_limit": False}
    stated = {**decision("PT", "upheld", "Rehabilitation"), "guideline_limit": {"value": 2, "unit": "weeks", "text": "2 weeks"}}
    decisions = build_frames([letter("a", [over, within, stated, decision("MRI", "upheld")])]).decisions
    assert decisions["limit_status"].tolist() == ["over the limit", "within the limit", "unknown", "no limit stated"]
    assert decisions["guideline_limit"].tolist()[:3] == ["10 visits", "10 visits", "2 weeks"]
    assert decisions["reason_tags"].tolist()[0] == ["exceeds_guideline_quantity"]  # a tag given twice counts once
    assert rate_table(decisions, "limit_status")["group"].tolist() == ["within the limit", "over the limit", "no limit stated", "unknown"]
    assert list(apply_filters(decisions, Filters(limit=("over the limit",)))["treatment"]) == ["PT 12 visits"]
    assert list(apply_filters(decisions, Filters(reason=("exceeds_guideline_quantity",)))["treatment"]) == ["PT 12 visits"]
