"""The SQL path (imr/corpus_sql.py) against the pandas path (imr/corpus.py, imr/facets.py) on the same
generated letters: ingested into a Parquet corpus for one, parsed into frames for the other, the same
counts, facets, rate tables, reason shares and summaries must come out. Values holding quotes and SQL
comments are data, never SQL; uploads join the corpus for a session."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

import synth
from imr import corpus, facets
from imr.corpus import CORPUS, UPLOADED, Filters
from imr.corpus_parts import write_batch
from imr.corpus_schema import Rows
from imr.corpus_sql import CorpusDatabase
from imr.ingest import ingest
from imr.parse import parse_file

LETTERS = 24
GROUPINGS = ("category", "subcategory", "ur_action", "reviewer_sources", "sections", "reviewer_specialty_groups",
             "reviewer_licensure", "decision_year", "decision_quarter", "age_band", "patient_sex", "body_parts",
             "body_region", "reason_tags", "limit_status", "drug")
HOSTILE = "O'Brien -- ; DROP TABLE corpus_rows; --"


@pytest.fixture(scope="module")
def letters_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("letters")
    for letter in synth.generate(LETTERS, seed=21):
        (folder / f"{letter.name}.txt").write_text(letter.text(), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corpus_dir(letters_dir: Path, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "corpus"
    ingest([str(letters_dir)], str(folder), workers=1, quiet=True)
    return folder


@pytest.fixture(scope="module")
def frames(letters_dir: Path) -> corpus.Frames:
    letters = [parse_file(path) for path in sorted(letters_dir.iterdir())]
    return corpus.build_frames([letter.to_dict() for letter in letters], [CORPUS] * len(letters))


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """The corpus indexes of these tests (never the user's cache)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def session(corpus_dir: Path, cache: Path):
    return CorpusDatabase(str(corpus_dir), cache).session()


def some_filters(frames: corpus.Frames) -> list[Filters]:
    decisions = frames.decisions
    category = decisions["category"].value_counts().index[0]
    part = decisions["body_parts"].explode().dropna().value_counts().index[0]
    treatment_word = str(decisions["treatment"].iloc[0]).split()[0]
    return [
        Filters(),
        Filters(corpus=(CORPUS,)),
        Filters(outcome=("upheld",)),
        Filters(category=(category,), body_part=(part,)),
        Filters(body_part=("unknown",)),
        Filters(source=("MTUS", "ODG"), cited_by="reviewer"),
        Filters(age_band=("40-49", "unknown"), sex=("female",)),
        Filters(text=treatment_word),
        Filters(text='"injured worker"'),
        Filters(text="100% a_b"),  # LIKE wildcards are literal characters
        Filters(text=str(decisions["case_number"].iloc[0])[:7]),  # a case number's start
        Filters(outcome=("overturned",), text="pain"),
    ]


def test_sql_filters_counts_and_rates_equal_the_pandas_ones(frames, session):
    assert session.options == corpus.filter_options(frames.decisions)
    for filters in some_filters(frames):
        decisions = corpus.apply_filters(frames.decisions, filters)
        letters = corpus.filter_letters(frames.letters, decisions, filters)
        assert session.count(filters) == (len(decisions), decisions["letter_id"].nunique()), filters
        expected = facets.facets(frames.decisions, filters)
        found = session.facets(filters)
        for name, facet in expected.items():
            assert (found[name].counts, found[name].options) == (facet.counts, facet.options), (filters, name)
        for by in GROUPINGS:
            pd.testing.assert_frame_equal(session.rate_table(filters, by), corpus.rate_table(decisions, by), check_dtype=False)
        for by in (None, "category"):
            pd.testing.assert_frame_equal(session.reason_shares(filters, by), corpus.reason_shares(decisions, by),
                                          check_dtype=False)
        pd.testing.assert_frame_equal(session.days_counts(filters), corpus.days_counts(letters), check_dtype=False)
        summary, pandas_summary = session.summary(filters), corpus.summarize(letters, decisions)
        # Categories of equal counts may list (and be cut off) in another order: compare the counts.
        assert dataclasses.replace(summary, top_categories=[]) == dataclasses.replace(pandas_summary, top_categories=[])
        assert [n for _, n in summary.top_categories] == [n for _, n in pandas_summary.top_categories]
    assert session.count(Filters(outcome=("upheld",))) != session.count(Filters())  # the filters above did filter


def test_a_grid_page_holds_the_matching_rows_in_letter_order(frames, session):
    filters = Filters(outcome=("upheld",))
    page = session.decisions_page(filters, offset=0, limit=5)
    assert len(page) == 5 and set(page["outcome"]) == {"upheld"}
    assert list(zip(page["letter_id"], page["decision_index"])) == sorted(zip(page["letter_id"], page["decision_index"]))
    rest = session.decisions_page(filters, offset=5, limit=10_000)
    assert len(page) + len(rest) == session.count(filters)[0]


def hostile_record(frames_letter: dict) -> dict:
    record = dict(frames_letter, sha256="f" * 64, case_number="CM99-9999999")
    decision = dict(record["decisions"][0], drug=HOSTILE, treatment=f"{HOSTILE} 50% off")
    return record | {"decisions": [decision]}


def test_values_with_quotes_and_sql_comments_are_data(letters_dir, cache, tmp_path):
    folder = tmp_path / "corpus"
    ingest([str(letters_dir)], str(folder), workers=1, quiet=True)
    rows = Rows()
    first = parse_file(sorted(letters_dir.iterdir())[0]).to_dict()
    rows.add("f" * 64, hostile_record(first))
    write_batch(str(folder), "hostile", rows.tables())  # a part file of the corpus, as ingest writes one
    session = CorpusDatabase(str(folder), cache).session()
    total = session.count(Filters())
    assert HOSTILE in session.options["drug"]
    assert session.count(Filters(drug=(HOSTILE,))) == (1, 1)
    assert session.decisions_page(Filters(drug=(HOSTILE,)))["case_number"].tolist() == ["CM99-9999999"]
    assert session.count(Filters(text="O'Brien")) == (1, 1)
    assert session.count(Filters(text=f'"{HOSTILE}"')) == (1, 1)
    assert session.count(Filters(drug=("O'Brien",))) == (0, 0)
    assert session.count(Filters()) == total  # nothing was dropped
    assert session.facets(Filters(drug=(HOSTILE,)))["outcome"].counts == {first["decisions"][0]["outcome"] or "unknown": 1}


def test_uploads_join_the_corpus_for_their_session_only(corpus_dir, letters_dir, frames, cache):
    database = CorpusDatabase(str(corpus_dir), cache)
    uploads = [parse_file(path).to_dict() for path in sorted(letters_dir.iterdir())[:3]]
    mine, other = database.session(uploads), database.session()
    expected = sum(len(record["decisions"]) for record in uploads)
    assert mine.count(Filters(corpus=(UPLOADED,)))[0] == expected
    assert mine.count(Filters())[0] == len(frames.decisions) + expected
    assert other.count(Filters())[0] == len(frames.decisions)
    assert mine.options["corpus"] == [CORPUS, UPLOADED] and other.options["corpus"] == [CORPUS]
    readable, unread = mine.origin_counts(())
    assert readable == {CORPUS: LETTERS, UPLOADED: 3} and unread == 0
    # An uploaded letter keeps its place after the corpus's letters.
    assert mine.decisions_page(Filters(corpus=(UPLOADED,)))["letter_id"].min() == LETTERS


def test_the_index_is_built_once_per_state_of_the_corpus(letters_dir, tmp_path):
    folder, cache = tmp_path / "corpus", tmp_path / "cache"
    ingest([str(letters_dir)], str(folder), workers=1, quiet=True)
    first = CorpusDatabase(str(folder), cache)
    built = first.index.stat().st_mtime_ns
    again = CorpusDatabase(str(folder), cache)
    assert again.index == first.index and again.index.stat().st_mtime_ns == built  # reused, not rebuilt
    rows = Rows()
    rows.add("e" * 64, hostile_record(parse_file(sorted(letters_dir.iterdir())[0]).to_dict()))
    write_batch(str(folder), "more", rows.tables())  # the corpus grew: a new index sees the new letter
    grown = CorpusDatabase(str(folder), cache)
    assert grown.index != first.index and grown.session().count(Filters())[1] == LETTERS + 1
    assert sorted(path.name for path in cache.iterdir() if not path.name.startswith(".")) == sorted([first.index.name, grown.index.name])


def test_a_list_repeating_an_item_counts_once_in_its_facet(corpus_dir, letters_dir, cache):
    records = [parse_file(path).to_dict() for path in sorted(letters_dir.iterdir())[:4]]
    records[0] = records[0] | {"body_parts": ["knee", "knee", "neck"], "reviewer_licensure": []}
    session = CorpusDatabase(str(corpus_dir), cache).session(records)
    frames = corpus.build_frames(records, [UPLOADED] * len(records))
    for filters in (Filters(corpus=(UPLOADED,)), Filters(corpus=(UPLOADED,), outcome=("upheld",))):
        expected = facets.facets(corpus.apply_filters(frames.decisions, Filters(outcome=filters.outcome)), Filters())
        found = session.facets(filters)
        for name in ("body_part", "state"):
            assert found[name].counts == expected[name].counts, (filters, name)
