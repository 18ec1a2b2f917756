from __future__ import annotations

import time

import pandas as pd
import pytest

import imr
from imr.search import MAX_QUERY_CHARS, MAX_TERMS, Search, parse_search
from real_accuracy import MISSING_REASON, REAL_LETTERS, available, fold, truths

TEXTS = pd.Series([
    "Tramadol ER 150mg #30 for chronic low-back pain",
    "Physical therapy, 8 sessions, for the left knee",
    "Physical\ntherapy  twice weekly for the ARMS and shoulder",
    "Pharmacy review of topical compounds",
    None,
    "Therapy physical (order reversed)",
], index=[10, 11, 12, 13, 14, 15])  # a filtered frame's index, not 0..n


def found(query: str, texts: pd.Series = TEXTS) -> list[int]:
    mask = parse_search(query).matches(texts)
    assert mask.dtype == bool and list(mask.index) == list(texts.index)
    return list(texts.index[mask])


def test_words_phrases_and_case_numbers_are_told_apart():
    search = parse_search('Tramadol  "Physical   Therapy" cm16-0221706 knee, tramadol')
    assert search.words == ("tramadol", "knee")
    assert search.phrases == ("physical therapy",)
    assert search.case_numbers == ("CM16-0221706",)
    assert parse_search(search.query) == search
    assert parse_search("CM16").case_numbers == ("CM16",) and parse_search("CM16-022").case_numbers == ("CM16-022",)
    assert parse_search("CM2016").words == ("cm2016",)  # not a case-number form


def test_every_word_must_match_in_any_letter_case():
    assert found("tramadol") == [10]
    assert found("PHYSICAL knee") == [11]
    assert found("physical therapy") == [11, 12, 15]  # words in any order
    assert found("tramadol knee") == []


def test_words_match_at_the_start_of_a_word_only():
    assert found("arm") == [12]  # "ARMS", not "Pharmacy"
    assert found("harm") == []
    assert found("back") == [10]  # after a hyphen


def test_phrases_keep_their_order_and_span_spaces_line_breaks_and_hyphens():
    assert found('"physical therapy"') == [11, 12]
    assert found('"therapy physical"') == [15]
    assert found('"low back" pain') == [10]
    assert found('"for the left knee"') == [11]


def test_unclosed_quote_counts_its_text_as_words_and_a_quoted_word_is_a_word():
    search = parse_search('knee "left')
    assert search.words == ("knee", "left") and search.phrases == ()
    assert found('knee "left') == [11]
    assert parse_search('"knee"').words == ("knee",)
    assert parse_search("\u201cphysical therapy\u201d").phrases == ("physical therapy",)  # typographic quotes


@pytest.mark.parametrize("query", ["", "   ", '"', '""', '" "', ",.;", "\x00\x07"])
def test_empty_searches_match_everything(query):
    search = parse_search(query)
    assert search.is_empty and search.describe() == "no search"
    assert search.matches(TEXTS).all() and search.spans("Tramadol") == []


@pytest.mark.parametrize("query, text", [
    ("a.b", "a.b"), ("a[b", "see a[b]"), ("(?i)x", "(?i)x"), ("\\d+", "\\d+ literal"), ("$5", "costs $5"),
    ("a|b", "a|b"), ("#30", "Tramadol #30"), ("^", "x^2"),
])
def test_regex_characters_are_literal(query, text):
    texts = pd.Series([text, "axb ab 12 5 30 none"])
    assert parse_search(query).matches(texts).tolist() == [True, False]


def test_a_pattern_that_would_backtrack_is_a_literal_and_fast():
    texts = pd.Series(["a" * 5_000 + "!"] * 200)
    start = time.perf_counter()
    assert not parse_search("(a+)+$ (a|aa)*b").matches(texts).any()
    assert time.perf_counter() - start < 1.0


def test_huge_input_is_bounded():
    search = parse_search("word " * 200_000)
    assert search.words == ("word",) and search.truncated
    many = parse_search(" ".join(f"w{n}" for n in range(100)))
    assert len(many.words) == MAX_TERMS and many.truncated
    assert len(parse_search("x" * 10 * MAX_QUERY_CHARS).words[0]) == MAX_QUERY_CHARS
    assert "cut to" in many.describe()


def test_control_characters_split_words():
    assert parse_search("tramadol\x00knee\x1b[31m").words == ("tramadol", "knee", "31m")


def test_any_column_and_case_numbers_by_prefix():
    frame = pd.DataFrame({
        "case_number": ["CM16-0221706", "CM16-0224814", None, "CM17-0221706"],
        "treatment": ["MRI lumbar spine", "Tramadol 50mg", "Acupuncture x6", "Knee brace"],
        "diagnoses": [["Lumbar radiculopathy"], [], ["Neck sprain", "Cervical strain"], None],
        "text": ["", "", "Case Number: CM16-0228949 ...", ""],
    }, index=[5, 6, 7, 8])

    def rows(query, columns=("treatment", "diagnoses", "text")):
        mask = parse_search(query).matches_any_column(frame, list(columns))
        assert list(mask.index) == list(frame.index)
        return list(frame.index[mask])

    assert rows("cm16-0221706") == [5]  # exact
    assert rows("CM16-022") == [5, 6, 7]  # prefix, and the third only in its text
    assert rows("CM16-022", ["treatment"]) == [5, 6]
    assert rows("cervical acupuncture") == [7]  # words in different columns, a list column item by item
    assert rows('"lumbar radiculopathy" mri CM16') == [5]
    assert rows("0221706") == []  # a case number is matched from its start
    assert parse_search("CM16").matches_any_column(frame, ["treatment"], case_column=None).sum() == 0
    repeated = pd.DataFrame({"diagnoses": [None, ["Lumbar strain"], []]}, index=[3, 3, 4])  # list column, None first
    assert parse_search("lumbar").matches_any_column(repeated, ["diagnoses"]).tolist() == [False, True, False]


def test_spans_mark_every_match_for_highlighting():
    text = "Tramadol was denied. Low back pain; LOW-BACK exam. Tramadol again, not Pharmacy."
    search = parse_search('tramadol "low back" arm')
    spans = search.spans(text)
    assert [text[start:end] for start, end in spans] == ["Tramadol", "Low back", "LOW-BACK", "Tramadol"]
    merged = parse_search('"low back" back').spans(text)
    assert [text[start:end] for start, end in merged] == ["Low back", "LOW-BACK"]  # overlaps merged
    assert search.spans("") == [] and search.spans(None) == []


def test_describe_counts_terms_for_the_ui():
    described = parse_search('tramadol knee back "physical therapy" CM16-0221706').describe()
    assert described == 'case CM16-0221706; 3 words: tramadol, knee, back; 1 phrase: "physical therapy"'
    assert parse_search("knee").describe() == "1 word: knee"
    assert Search().is_empty


@pytest.fixture(scope="module")
def real_letters():
    """The 124 published letters' texts, read in place, and their truth."""
    if not available():
        pytest.skip(MISSING_REASON)
    cases = truths()
    return cases, pd.Series([imr.parse_file(REAL_LETTERS / truth["file"]).text for truth in cases])


def test_real_letters_found_by_case_number_and_their_items_highlighted(real_letters):
    cases, texts = real_letters
    for position, truth in enumerate(cases):
        assert list(texts.index[parse_search(truth["case_number"]).matches(texts)]) == [position], truth["file"]
        for decision in truth["decisions"]:
            search = parse_search(f'"{decision["treatment"]}"')
            assert search.matches(texts)[position], (truth["file"], decision["treatment"])
            marked = [fold(texts[position][start:end]) for start, end in search.spans(texts[position])]
            assert fold(decision["treatment"]) in marked, (truth["file"], decision["treatment"])
