"""The app's corpus questions in DuckDB SQL, for a Parquet corpus (`imr ingest`) too large for pandas.

Two engines answer the same questions. imr/corpus.py and imr/facets.py hold one session's letters
(the demo, uploads) as pandas frames: small, with each letter's text for whole-letter search and its
located fields. A corpus of a million decisions does not fit that way, so here the same filters,
facet counts, rates and tables run as SQL over the part files, and only what a view shows (a grid
page, one letter, aggregated tables) reaches pandas. tests/test_corpus_sql.py holds both to the same
answers.

The corpus's index, built inside DuckDB from the part files at the first open of each state of the
corpus and kept as a DuckDB file (see CorpusDatabase): `corpus_rows`, a row per decision with its
letter's context and the derived columns the filters read (decision_year, age_band, ur_action, sources,
sections, ...), as imr.corpus.decisions_frame derives them; `corpus_letters`; and the list facets
exploded into (row, value) pairs. Each session gets its own cursor whose TEMP table
`upload_rows` holds its uploaded letters (converted by imr.corpus_schema.Rows, as ingest converts
them), and whose TEMP view `decision_rows` reads both. User values reach SQL only as bound parameters;
the identifiers formatted into SQL are this module's constants.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import fsspec
import numpy as np
import pandas as pd
import pyarrow as pa

from imr import corpus_store
from imr.catalogue import rows_by_id
from imr.citation_text import says_nothing_cited
from imr.corpus import (
    AGE_BANDS, ALL_UPHELD, CORPUS, FILTER_COLUMNS, LIST_COLUMNS, NO_EVIDENCE, NO_LIMIT, OVER_LIMIT, SEARCH_COLUMNS, UNKNOWN,
    UNMATCHED, UPLOADED, UR_DENIED, UR_MODIFIED, WITHIN_LIMIT, Filters, Rate, Summary, active_filters, filter_column, rate_columns,
    shares_table,
)
from imr.corpus_schema import Rows
from imr.models import Letter
from imr.facets import Facet, ordered
from imr.search import Search, parse_search

PAGE_ROWS = 1000  # rows of a grid page
MEMORY_LIMIT = "1GB"  # DuckDB's buffer pool: the index is on disk, pages of it are held
BUILD_MEMORY_LIMIT = "1500MB"  # building it (once): the whole process then stays under 2 GB

MAX_ITEMS = 4096  # a row's key is letter_id * MAX_ITEMS + its 0-based item (letters hold a few items)
# Order-preserving distinct of a list (list_distinct does not keep the first-seen order).
_MACROS = "CREATE OR REPLACE MACRO ordered_distinct(xs) AS list_filter(xs, lambda x, i: list_position(xs, x) = i)"


# The list columns the filters read: each also kept exploded as (row_key, value) pairs, one per distinct
# item ("unknown" for an empty list), so a facet counts and a filter matches by a plain scan and join
# instead of unnesting a million lists each time.
FACET_LISTS = tuple(dict.fromkeys(
    column for name in FILTER_COLUMNS for column in
    ([f"{name}s", f"{name}s_reviewer", f"{name}s_claims_administrator"] if name in ("source", "section") else [FILTER_COLUMNS[name]])
    if column in LIST_COLUMNS))


def _pairs_sql(column: str, rows: str) -> str:
    return f"SELECT row_key, unnest(list_distinct({_unknown_if_empty(column)})) AS value FROM {rows}"


def _duplicate_free_sql(rows: str) -> str:
    """(column, no row's list repeats an item) for each facet list column of `rows`."""
    return " UNION ALL ".join(f"SELECT '{column}' AS column_name, coalesce(NOT bool_or(len(list_distinct({column})) < len({column})), true) "
                              f"AS duplicate_free FROM {rows}" for column in FACET_LISTS)


def _unknown_if_empty(column: str) -> str:
    """A list column as the filters read it: an empty list is ["unknown"] (corpus._list_match)."""
    return f"(CASE WHEN {column} IS NULL OR len({column}) = 0 THEN ['{UNKNOWN}'] ELSE {column} END)"


# The derivation of decision rows from the three tables; {letters}, {decisions}, {citations} are
# relations with the corpus schema, {letters} with a letter_id column; {nothing_cited} the reviewer
# guideline lines that say nothing was cited. The one parameter is the rows' origin.
_ROWS_SQL = f"""
WITH cited AS (
    SELECT c.sha256, c.item, c.citation, c.role, c.source,
           c.source || ': ' || coalesce(nullif(c.section, ''), n.name) AS section_label
    FROM {{citations}} c LEFT JOIN {{catalogue_names}} n ON n.catalogue_id = c.catalogue_id
), by_decision AS (
    SELECT sha256, item,
        ordered_distinct(list(source ORDER BY citation) FILTER (WHERE source IS NOT NULL)) AS sources,
        ordered_distinct(list(section_label ORDER BY citation) FILTER (WHERE section_label IS NOT NULL)) AS sections,
        ordered_distinct(list(source ORDER BY citation) FILTER (WHERE source IS NOT NULL AND role = 'reviewer')) AS sources_reviewer,
        ordered_distinct(list(source ORDER BY citation) FILTER (WHERE source IS NOT NULL AND role = 'claims_administrator')) AS sources_claims_administrator,
        ordered_distinct(list(section_label ORDER BY citation) FILTER (WHERE section_label IS NOT NULL AND role = 'reviewer')) AS sections_reviewer,
        ordered_distinct(list(section_label ORDER BY citation) FILTER (WHERE section_label IS NOT NULL AND role = 'claims_administrator')) AS sections_claims_administrator,
        ordered_distinct(list(coalesce(source, '{UNMATCHED}') ORDER BY citation) FILTER (WHERE role = 'reviewer')) AS reviewer_cited
    FROM cited GROUP BY sha256, item
), dated AS (
    SELECT *, try_cast(decision_date AS DATE) AS decided_on FROM {{letters}}
)
SELECT
    l.letter_id, l.letter_id * {MAX_ITEMS} + d.item - 1 AS row_key, d.sha256, d.item, l.status AS letter_status, d.item - 1 AS decision_index, ?::VARCHAR AS origin, l.file, l.case_number,
    coalesce(l.diagnoses, []) AS diagnoses, l.decision_date,
    coalesce(CAST(year(l.decided_on) AS VARCHAR), '{UNKNOWN}') AS decision_year,
    coalesce(year(l.decided_on) || '-Q' || quarter(l.decided_on), '{UNKNOWN}') AS decision_quarter,
    coalesce(l.reviewer_specialties, []) AS reviewer_specialties,
    coalesce(l.reviewer_specialty_groups, []) AS reviewer_specialty_groups,
    coalesce(l.reviewer_licensure, []) AS reviewer_licensure, coalesce(l.body_parts, []) AS body_parts,
    l.patient_age,
    CASE WHEN l.patient_age IS NULL THEN '{UNKNOWN}' WHEN l.patient_age < 30 THEN 'under 30' WHEN l.patient_age >= 60 THEN '60+'
         ELSE (l.patient_age // 10 * 10) || '-' || (l.patient_age // 10 * 10 + 9) END AS age_band,
    coalesce(l.patient_sex, '{UNKNOWN}') AS patient_sex,
    date_diff('day', try_cast(l.ur_denial_date AS DATE), l.decided_on) AS days_ur_to_decision,
    d.treatment, d.quantity, coalesce(d.outcome, '{UNKNOWN}') AS outcome,
    CASE WHEN coalesce(d.original_request, '') <> '' OR coalesce(d.authorized_portion, '') <> ''
         THEN '{UR_MODIFIED}' ELSE '{UR_DENIED}' END AS ur_action,
    d.original_request, d.authorized_portion, coalesce(d.category, 'Other') AS category, d.subcategory, d.body_region,
    d.drug, d.strength, d.claims_administrator_guideline, d.reviewer_guideline,
    coalesce(b.sources, []) AS sources, coalesce(b.sections, []) AS sections,
    CASE WHEN len(b.reviewer_cited) > 0 THEN b.reviewer_cited
         WHEN d.reviewer_guideline IN (SELECT text FROM {{nothing_cited}}) THEN ['{NO_EVIDENCE}']
         ELSE [] END AS reviewer_sources,
    coalesce(b.sources_reviewer, []) AS sources_reviewer,
    coalesce(b.sources_claims_administrator, []) AS sources_claims_administrator,
    coalesce(b.sections_reviewer, []) AS sections_reviewer,
    coalesce(b.sections_claims_administrator, []) AS sections_claims_administrator,
    coalesce(ordered_distinct(list_transform(d.reasons, lambda r: r.tag)), []) AS reason_tags,
    CASE WHEN d.guideline_limit IS NOT NULL THEN format('{{{{:g}}}} {{{{}}}}', d.guideline_limit.value, d.guideline_limit.unit) END AS guideline_limit,
    d.prior_quantity, d.over_limit,
    CASE WHEN d.over_limit THEN '{OVER_LIMIT}' WHEN NOT d.over_limit THEN '{WITHIN_LIMIT}'
         WHEN d.guideline_limit IS NULL THEN '{NO_LIMIT}' ELSE '{UNKNOWN}' END AS limit_status,
    d.rationale
FROM {{decisions}} d JOIN dated l ON l.sha256 = d.sha256
LEFT JOIN by_decision b ON b.sha256 = d.sha256 AND b.item = d.item
"""
_LETTERS_SQL = """
SELECT letter_id, sha256, ?::VARCHAR AS origin, file, pages, status, error, array_to_string(coalesce(warnings, []), '; ') AS warnings,
       layout, case_number, decision_date,
       (SELECT count(*) FROM {decisions} d WHERE d.sha256 = l.sha256) AS decisions,
       date_diff('day', try_cast(ur_denial_date AS DATE), try_cast(decision_date AS DATE)) AS days_ur_to_decision
FROM {letters} l
"""
# What the Decisions grid and the Letter view read of a decision row (the long texts stay in DuckDB
# until a page is asked for).
GRID_COLUMNS = (
    "letter_id", "decision_index", "case_number", "treatment", "quantity", "outcome", "category", "subcategory", "drug",
    "body_region", "reason_tags", "guideline_limit", "ur_action", "original_request", "authorized_portion",
    "decision_date", "reviewer_specialty_groups", "reviewer_licensure", "sections", "age_band", "patient_sex",
    "body_parts", "days_ur_to_decision", "origin", "file", "rationale",
)


def _nothing_cited(connection: duckdb.DuckDBPyConnection, decisions: str) -> pa.Table:
    """The reviewer guideline lines that say nothing was cited (judged in Python, once per distinct line)."""
    texts = [row[0] for row in connection.execute(
        f"SELECT DISTINCT reviewer_guideline FROM {decisions} WHERE coalesce(reviewer_guideline, '') <> ''").fetchall()]
    return pa.table({"text": pa.array([text for text in texts if says_nothing_cited(text)], pa.string())})


def _catalogue_names() -> pa.Table:
    entries = rows_by_id()
    return pa.table({"catalogue_id": list(entries), "name": [f"{entry.section} (whole)" for entry in entries.values()]})


def index_path(corpus: str, cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where the corpus's index (its materialised rows) is kept: named by the corpus's location, its part
    files (name, size, time) and the derivation SQL, so a corpus that grew or a changed derivation gets
    a new index."""
    fs, root = fsspec.core.url_to_fs(corpus)
    listing = sorted((info["name"], info.get("size"), str(info.get("mtime") or info.get("LastModified") or ""))
                     for table in ("letters", "decisions", "citations") if fs.exists(f"{root}/{table}")
                     for info in fs.ls(f"{root}/{table}", detail=True))
    key = hashlib.sha256(json.dumps([fs.unstrip_protocol(root), listing, _ROWS_SQL, _LETTERS_SQL, _pairs_sql("x", "y"), _duplicate_free_sql("x")]).encode()).hexdigest()
    folder = Path(cache_dir or os.environ.get("IMR_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "imr")
    return folder / f"corpus-{key[:32]}.duckdb"


class CorpusDatabase:
    """A Parquet corpus opened read-only, with its index: a DuckDB file (attached read-only as `idx`)
    holding `corpus_rows` and `corpus_letters`, built at the first open of this state of the corpus
    (it takes seconds a hundred thousand decisions) and reused by later opens and other processes.
    Every session reads it through its own `session()` cursor."""

    def __init__(self, corpus: str, cache_dir: str | os.PathLike[str] | None = None) -> None:
        self.path = corpus
        self.connection = corpus_store.open_corpus(corpus)
        # The index lives on disk, so the buffer pool, not the corpus's size, bounds memory.
        self.connection.execute("SET memory_limit = ?", [MEMORY_LIMIT])
        self.connection.execute("SET enable_progress_bar = false")  # no bar in the server's output
        self.connection.execute(_MACROS)
        self.index = index_path(corpus, cache_dir)
        if not self.index.exists():
            self._build_index()
        self.connection.execute("ATTACH ? AS idx (READ_ONLY)", [str(self.index)])
        self.letter_count = self.connection.execute("SELECT count(*) FROM idx.corpus_letters").fetchall()[0][0]
        self._lock = threading.Lock()

    def _build_index(self) -> None:
        """Materialise the rows into a temporary file, renamed into place when whole."""
        self.index.parent.mkdir(parents=True, exist_ok=True)
        building = self.index.with_name(f".{self.index.name}.{os.getpid()}.tmp")
        building.unlink(missing_ok=True)
        connection = self.connection
        connection.execute("ATTACH ? AS build", [str(building)])
        # A one-off job: a larger pool than serving needs, spilling beside the index beyond it.
        connection.execute("SET memory_limit = ?", [BUILD_MEMORY_LIMIT])
        connection.execute("SET temp_directory = ?", [str(self.index.parent / ".spill")])
        connection.execute("SET preserve_insertion_order = false")
        try:
            for name, table in (("catalogue_names", _catalogue_names()), ("corpus_nothing_cited", _nothing_cited(connection, "decisions"))):
                connection.from_arrow(table).create(f"build.{name}")
            connection.execute("CREATE TEMP TABLE corpus_letter_ids AS SELECT *, CAST(row_number() OVER (ORDER BY sha256) - 1 AS BIGINT) AS letter_id FROM letters")
            connection.execute("CREATE TABLE build.corpus_rows AS " + _ROWS_SQL.format(
                letters="corpus_letter_ids", decisions="decisions", citations="citations",
                nothing_cited="build.corpus_nothing_cited", catalogue_names="build.catalogue_names"), [CORPUS])
            connection.execute("CREATE TABLE build.corpus_letters AS " + _LETTERS_SQL.format(
                letters="corpus_letter_ids", decisions="decisions"), [CORPUS])
            connection.execute("DROP TABLE corpus_letter_ids")
            for column in FACET_LISTS:
                connection.execute(f"CREATE TABLE build.pairs_{column} AS {_pairs_sql(column, 'build.corpus_rows')}")
            connection.execute("CREATE TABLE build.duplicate_free AS " + _duplicate_free_sql("build.corpus_rows"))
        finally:
            connection.execute("DETACH build")
            connection.execute("SET memory_limit = ?", [MEMORY_LIMIT])
        os.replace(building, self.index)

    def session(self, records: Sequence[dict[str, Any]] = ()) -> CorpusSession:
        """A cursor of its own, with `records` (uploaded letters, Letter.to_dict()) as extra rows."""
        with self._lock:  # cursors are made one at a time
            cursor = self.connection.cursor()
        return CorpusSession(self, cursor, records)


class CorpusSession:
    """The corpus plus one session's uploads, answering the app's questions under a `Filters`."""

    def __init__(self, database: CorpusDatabase, cursor: duckdb.DuckDBPyConnection, records: Sequence[dict[str, Any]]) -> None:
        self.database = database
        self.cursor = cursor
        self.first_upload_id = database.letter_count  # uploads are numbered after the corpus's letters
        self._searched: str | None = None
        self._unfiltered: dict[str, dict[str, int]] = {}  # facet counts of every row, by column
        self._rows: int | None = None
        self._add_uploads(records)
        # List columns whose lists never repeat an item, in the corpus and the uploads: counted by a plain
        # unnest, several times faster than de-duplicating every list.
        free = [dict(self._query(sql)) for sql in ("SELECT * FROM idx.duplicate_free", _duplicate_free_sql("upload_rows"))]
        self._duplicate_free = {column for column in FACET_LISTS if all(flags[column] for flags in free)}
        self.options = self._options()

    def _add_uploads(self, records: Sequence[dict[str, Any]]) -> None:
        cursor = self.cursor
        cursor.execute("CREATE OR REPLACE TEMP TABLE upload_rows AS SELECT * FROM idx.corpus_rows LIMIT 0")
        cursor.execute("CREATE OR REPLACE TEMP TABLE upload_letters AS SELECT * FROM idx.corpus_letters LIMIT 0")
        if records:
            rows = Rows()
            for number, record in enumerate(records):
                rows.add(record.get("sha256") or f"upload-{number}", record)  # an unreadable upload may have no hash
            tables = rows.tables()
            ids = pa.array(range(self.first_upload_id, self.first_upload_id + len(records)), pa.int64())
            cursor.register("upload_letter_source", tables["letters"].append_column("letter_id", ids))
            cursor.register("upload_decision_source", tables["decisions"])
            cursor.register("upload_citation_source", tables["citations"])
            cursor.register("upload_nothing_cited", _nothing_cited(cursor, "upload_decision_source"))
            cursor.execute("INSERT INTO upload_rows " + _ROWS_SQL.format(
                letters="upload_letter_source", decisions="upload_decision_source", citations="upload_citation_source",
                nothing_cited="upload_nothing_cited", catalogue_names="idx.catalogue_names")
                , [UPLOADED])
            cursor.execute("INSERT INTO upload_letters " + _LETTERS_SQL.format(
                letters="upload_letter_source", decisions="upload_decision_source"), [UPLOADED])
            for name in ("upload_letter_source", "upload_decision_source", "upload_citation_source", "upload_nothing_cited"):
                cursor.unregister(name)
        cursor.execute("CREATE OR REPLACE TEMP VIEW decision_rows AS SELECT * FROM idx.corpus_rows UNION ALL SELECT * FROM upload_rows")
        for column in FACET_LISTS:
            cursor.execute(f"CREATE OR REPLACE TEMP VIEW pairs_{column} AS SELECT * FROM idx.pairs_{column} "
                           f"UNION ALL {_pairs_sql(column, 'upload_rows')}")
        cursor.execute("CREATE OR REPLACE TEMP VIEW letter_rows AS SELECT * FROM idx.corpus_letters UNION ALL SELECT * FROM upload_letters")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.cursor.execute(sql, list(params)).fetchall()

    def _frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """A small result as pandas, list cells as lists (as the pandas path holds them; DuckDB gives arrays)."""
        frame = self.cursor.execute(sql, list(params)).df()
        for column in frame.columns[frame.dtypes == object]:
            frame[column] = frame[column].map(lambda value: value.tolist() if isinstance(value, np.ndarray) else value)
        return frame

    def _options(self) -> dict[str, list[str]]:
        """Every value each filter can take (as corpus.filter_options)."""
        options: dict[str, list[str]] = {}
        for name, column in FILTER_COLUMNS.items():
            if column in LIST_COLUMNS:
                sql = f"SELECT DISTINCT value FROM pairs_{column}"
            else:
                sql = f"SELECT DISTINCT CAST({column} AS VARCHAR) FROM decision_rows WHERE {column} IS NOT NULL"
            values = {row[0] for row in self._query(sql)}
            options[name] = sorted(values, key=AGE_BANDS.index) if name == "age_band" else sorted(values)
        return options

    # --- filters ---------------------------------------------------------------------------------

    def clauses(self, filters: Filters) -> dict[str, tuple[str, list[Any]]]:
        """One (SQL condition, parameters) per active filter (as corpus.filter_masks)."""
        found: dict[str, tuple[str, list[Any]]] = {}
        for name, column, wanted in active_filters(filters):
            if column in LIST_COLUMNS:
                # One list_contains per value: DuckDB runs it far faster than list_has_any on a built list.
                tests = [f"list_contains({column}, ?::VARCHAR)" for _ in wanted] + ([f"len({column}) = 0"] if UNKNOWN in wanted else [])
                found[name] = (" OR ".join(tests), list(wanted))
            else:
                found[name] = (f"list_contains(?::VARCHAR[], CAST({column} AS VARCHAR))", [list(wanted)])
        search = parse_search(filters.text)
        if not search.is_empty:
            found["text"] = ("row_key IN (SELECT row_key FROM search_hits)", [])
            self._search_hits(search)
        return found

    def _search_hits(self, search: Search) -> None:
        """The rows a search finds, found once per search text (the facets ask under it many times)."""
        if self._searched == search.query:
            return
        sql, params = search_clause(search)
        self.cursor.execute(f"CREATE OR REPLACE TEMP TABLE search_hits AS SELECT row_key FROM decision_rows WHERE {sql}", params)
        self._searched = search.query

    @staticmethod
    def where(clauses: dict[str, tuple[str, list[Any]]], leave_out: str | None = None) -> tuple[str, list[Any]]:
        kept = [clause for name, clause in clauses.items() if name != leave_out]
        if not kept:
            return "TRUE", []
        return " AND ".join(f"({sql})" for sql, _ in kept), [param for _, params in kept for param in params]

    def count(self, filters: Filters, letters: bool = True) -> tuple[int, int | None]:
        """(decisions, letters) matching the filters; letters None unless asked for (it costs more)."""
        sql, params = self.where(self.clauses(filters))
        distinct = "count(DISTINCT letter_id)" if letters else "NULL"
        decisions, letter_count = self._query(f"SELECT count(*), {distinct} FROM decision_rows WHERE {sql}", params)[0]
        return int(decisions), None if letter_count is None else int(letter_count)

    def facets(self, filters: Filters) -> dict[str, Facet]:
        """Each filter's values with their counts under all the other filters (as facets.facets).

        The facets of filters not chosen all count under every active filter, and a chosen one's under
        the others: so the rows of each such set of filters are gathered once (a temporary table of the
        facet columns) and every facet counted from it; with no filter, the session's first counts serve."""
        clauses = self.clauses(filters)
        under: dict[str | None, list[str]] = {}
        for name in FILTER_COLUMNS:
            under.setdefault(name if name in clauses else None, []).append(name)
        result: dict[str, Facet] = {}
        for leave_out, names in under.items():
            sql, params = self.where(clauses, leave_out=leave_out)
            columns = {name: filter_column(name, filters) for name in names}
            counts = self._unfiltered_counts(columns) if sql == "TRUE" else self._filtered_counts(columns, sql, params)
            for name in names:
                result[name] = Facet(name, ordered(name, counts[name], getattr(filters, name)), counts[name])
        return {name: result[name] for name in FILTER_COLUMNS}

    def _unfiltered_counts(self, columns: dict[str, str]) -> dict[str, dict[str, int]]:
        missing = {name: column for name, column in columns.items() if column not in self._unfiltered}
        for column, counts in self._counts(missing).items():
            self._unfiltered[column] = counts
        return {name: self._unfiltered[column] for name, column in columns.items()}

    def _filtered_counts(self, columns: dict[str, str], sql: str, params: list[Any]) -> dict[str, dict[str, int]]:
        """Counts under filters; when they keep most rows, all rows' counts less those of the rows they
        leave out (the same numbers, from the smaller side)."""
        matching = self._query(f"SELECT count(*) FROM decision_rows WHERE {sql}", params)[0][0]
        if matching <= self._row_count() // 2:
            by_column = self._counts(columns, sql, params)
            return {name: by_column[column] for name, column in columns.items()}
        left_out = self._counts(columns, f"NOT coalesce(({sql}), false)", params)
        everything = self._unfiltered_counts(columns)
        return {name: {value: n - left_out[column].get(value, 0) for value, n in everything[name].items()
                       if n > left_out[column].get(value, 0)} for name, column in columns.items()}

    def _row_count(self) -> int:
        if self._rows is None:
            self._rows = int(self._query("SELECT count(*) FROM decision_rows")[0][0])
        return self._rows

    def _counts(self, columns: dict[str, str], sql: str = "TRUE", params: Sequence[Any] = ()) -> dict[str, dict[str, int]]:
        """Matching rows per value of each column, in one statement; a list cell counts once per distinct
        item, an empty one as "unknown" (with no filter, from the exploded pairs)."""
        parts, bound = [], []
        for column in sorted(set(columns.values())):
            if column in LIST_COLUMNS and sql != "TRUE" and column in self._duplicate_free:
                parts.append(f"SELECT '{column}' AS facet, value, count(*) AS n FROM "
                             f"(SELECT unnest({column}) AS value FROM decision_rows WHERE {sql}) GROUP BY value")
                parts.append(f"SELECT '{column}', '{UNKNOWN}', count(*) FROM decision_rows WHERE len({column}) = 0 AND {sql}")
                bound += list(params)
            elif column in LIST_COLUMNS:
                source = f"pairs_{column}" if sql == "TRUE" else f"({_pairs_sql(column, 'decision_rows')} WHERE {sql})"
                parts.append(f"SELECT '{column}' AS facet, value, count(*) AS n FROM {source} GROUP BY value")
            else:
                parts.append(f"SELECT '{column}' AS facet, CAST({column} AS VARCHAR) AS value, count(*) AS n FROM decision_rows "
                             f"WHERE {column} IS NOT NULL AND {sql} GROUP BY {column}")
            bound += [] if sql == "TRUE" and column in LIST_COLUMNS else list(params)
        found: dict[str, dict[str, int]] = {column: {} for column in columns.values()}
        for column, value, n in self._query(" UNION ALL ".join(parts), bound) if parts else []:
            if n:  # "unknown" may come twice: empty lists, and lists naming it
                found[column][str(value)] = found[column].get(str(value), 0) + int(n)
        return found

    def what_emptied(self, filters: Filters) -> list[tuple[str, int]]:
        """As facets.what_emptied: each active filter whose removal alone brings decisions back."""
        clauses = self.clauses(filters)
        found = []
        for name in clauses:
            sql, params = self.where(clauses, leave_out=name)
            count = self._query(f"SELECT count(*) FROM decision_rows WHERE {sql}", params)[0][0]
            if count:
                found.append((name, int(count)))
        return sorted(found, key=lambda item: -item[1])

    # --- answers ---------------------------------------------------------------------------------

    def rate(self, filters: Filters) -> Rate:
        sql, params = self.where(self.clauses(filters))
        overturned, decided = self._query(
            "SELECT count(*) FILTER (WHERE outcome = 'overturned'), count(*) FILTER (WHERE outcome IN ('upheld', 'overturned')) "
            f"FROM decision_rows WHERE {sql}", params)[0]
        return Rate(int(overturned), int(decided))

    def rate_table(self, filters: Filters, by: str, top: int | None = None) -> pd.DataFrame:
        """As corpus.rate_table: per group of `by`, counts by outcome and the overturn rate with its interval."""
        sql, params = self.where(self.clauses(filters))
        group = f"unnest({_unknown_if_empty(by)})" if by in LIST_COLUMNS else f"coalesce(CAST({by} AS VARCHAR), '{UNKNOWN}')"
        counts = self._frame(
            f"SELECT \"group\", count(*) FILTER (WHERE outcome = 'upheld') AS upheld, "
            f"count(*) FILTER (WHERE outcome = 'overturned') AS overturned, count(*) AS decisions "
            f"FROM (SELECT {group} AS \"group\", outcome FROM decision_rows WHERE {sql}) GROUP BY \"group\"", params)
        return rate_columns(counts, by, top)

    def days_counts(self, filters: Filters) -> pd.DataFrame:
        """As corpus.days_counts, for the letters behind the matching decisions: letters per number of days."""
        sql, params = self.where(self.clauses(filters))
        return self._frame(
            "SELECT days, count(*) AS letters FROM (SELECT DISTINCT letter_id, days_ur_to_decision AS days FROM decision_rows "
            f"WHERE {sql} AND days_ur_to_decision IS NOT NULL) GROUP BY days ORDER BY days", params)

    def reason_shares(self, filters: Filters, by: str | None = None) -> pd.DataFrame:
        """As corpus.reason_shares: each reason's share of the upheld items, per group of `by`."""
        sql, params = self.where(self.clauses(filters))
        group = f"coalesce(CAST({by} AS VARCHAR), '{UNKNOWN}')" if by else "?"
        group_params = [] if by else [ALL_UPHELD]
        rows = self._query(
            f"WITH upheld AS (SELECT {group} AS grp, reason_tags FROM decision_rows WHERE outcome = 'upheld' AND {sql}), "
            "sizes AS (SELECT grp, count(*) AS n FROM upheld GROUP BY grp), "
            "tags AS (SELECT grp, unnest(reason_tags) AS tag FROM upheld) "
            "SELECT t.grp, t.tag, count(*), s.n FROM tags t JOIN sizes s USING (grp) GROUP BY t.grp, t.tag, s.n",
            group_params + params)
        return shares_table((str(group), tag, int(count), int(upheld)) for group, tag, count, upheld in rows)

    def summary(self, filters: Filters, top: int = 5) -> Summary:
        """As corpus.summarize, for the letters in view and the matching decisions."""
        sql, params = self.where(self.clauses(filters))
        decisions, overturned, decided, first, last = self._query(
            "SELECT count(*), count(*) FILTER (WHERE outcome = 'overturned'), count(*) FILTER (WHERE outcome IN ('upheld', 'overturned')), "
            f"min(try_cast(decision_date AS DATE)), max(try_cast(decision_date AS DATE)) FROM decision_rows WHERE {sql}", params)[0]
        if filters.narrows_decisions():  # the letters behind the matching decisions, counted from them
            statuses = dict(self._query(f"SELECT letter_status, count(DISTINCT letter_id) FROM decision_rows WHERE {sql} "
                                        "GROUP BY letter_status", params))
        else:
            statuses = self.letter_status_counts(filters)
        categories = self._query(f"SELECT category, count(*) AS n FROM decision_rows WHERE {sql} "
                                 "GROUP BY category ORDER BY n DESC, category LIMIT ?", params + [top])
        return Summary(
            letters=int(sum(statuses.values())),
            letters_by_status={status: int(statuses.get(status, 0)) for status in ("ok", "partial", "error")},
            decisions=int(decisions),
            rate=Rate(int(overturned), int(decided)),
            first_decision=pd.Timestamp(first) if first else None,
            last_decision=pd.Timestamp(last) if last else None,
            top_categories=[(str(name), int(n)) for name, n in categories],
        )

    def letters_sql(self, filters: Filters) -> str:
        """Letters in view (as corpus.filter_letters): every file of the chosen origins, or, once a filter
        beyond the corpus applies, the letters behind the matching decisions."""
        if filters.narrows_decisions():
            sql, _ = self.where(self.clauses(filters))
            return f"SELECT * FROM letter_rows WHERE letter_id IN (SELECT letter_id FROM decision_rows WHERE {sql})"
        return "SELECT * FROM letter_rows WHERE (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], origin))"

    def letters_params(self, filters: Filters) -> list[Any]:
        if filters.narrows_decisions():
            return self.where(self.clauses(filters))[1]
        return [list(filters.corpus), list(filters.corpus)]

    def letters_page(self, filters: Filters, offset: int = 0, limit: int = PAGE_ROWS) -> pd.DataFrame:
        """A page of the letters in view, with the columns tables.letters_table reads."""
        page = self._frame(f"SELECT * FROM ({self.letters_sql(filters)}) ORDER BY letter_id LIMIT ? OFFSET ?",
                           self.letters_params(filters) + [limit, offset])
        counts = self._frame("SELECT sha256, count(*) AS files FROM letter_rows WHERE sha256 IN (SELECT unnest(?::VARCHAR[])) GROUP BY sha256",
                             [list(page["sha256"])])
        cases = self._frame("SELECT case_number, count(*) AS files FROM letter_rows WHERE case_number IN (SELECT unnest(?::VARCHAR[])) "
                            "GROUP BY case_number", [[c for c in page["case_number"] if isinstance(c, str) and c]])
        page["duplicate_file"] = page["sha256"].map(dict(zip(counts["sha256"], counts["files"]))).fillna(0).gt(1)
        page["duplicate_case"] = page["case_number"].map(dict(zip(cases["case_number"], cases["files"]))).fillna(0).gt(1)
        return page

    def letter_status_counts(self, filters: Filters) -> dict[str, int]:
        return {str(s): int(n) for s, n in self._query(
            f"SELECT status, count(*) FROM ({self.letters_sql(filters)}) GROUP BY status", self.letters_params(filters))}

    def origin_counts(self, corpus: tuple[str, ...]) -> tuple[dict[str, int], int]:
        """(readable letters per origin, files that could not be read) among the chosen origins."""
        sql = self.letters_sql(Filters(corpus=corpus))
        params = self.letters_params(Filters(corpus=corpus))
        readable = dict(self._query(f"SELECT origin, count(*) FROM ({sql}) WHERE status <> 'error' GROUP BY origin", params))
        unread = self._query(f"SELECT count(*) FROM ({sql}) WHERE status = 'error'", params)[0][0]
        return {str(k): int(v) for k, v in readable.items()}, int(unread)

    def decisions_page(self, filters: Filters, offset: int = 0, limit: int = PAGE_ROWS) -> pd.DataFrame:
        """A page of the matching decisions, in letter and item order, with GRID_COLUMNS."""
        sql, params = self.where(self.clauses(filters))
        return self._frame(f"SELECT {', '.join(GRID_COLUMNS)} FROM decision_rows WHERE {sql} "
                           "ORDER BY letter_id, decision_index LIMIT ? OFFSET ?", params + [limit, offset])

    def letter(self, letter_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """One letter's row and its decision rows."""
        letter = self._frame("SELECT * FROM letter_rows WHERE letter_id = ?", [letter_id])
        decisions = self._frame("SELECT * FROM decision_rows WHERE letter_id = ? ORDER BY decision_index", [letter_id])
        return letter, decisions

    def letter_rows(self, letter_ids: Sequence[int]) -> list[pd.Series]:
        """The letter rows of `letter_ids`, in that order (ids without a letter left out)."""
        frame = self._frame("SELECT * FROM letter_rows WHERE letter_id IN (SELECT unnest(?::BIGINT[]))", [list(map(int, letter_ids))])
        by_id = {int(row["letter_id"]): row for _, row in frame.iterrows()}
        return [by_id[int(i)] for i in letter_ids if int(i) in by_id]

    def letter_origins(self) -> set[str]:
        """Every origin with a file, even one whose letters all failed."""
        return {str(row[0]) for row in self._query("SELECT DISTINCT origin FROM letter_rows")}

    def stored_letter(self, key: str) -> Letter | None:
        """A corpus letter as stored (no text): corpus_store.stored_letter."""
        return corpus_store.stored_letter(self.cursor, key)

    def find_letter(self, case: str | None, file: str | None) -> int | None:
        """The letter a link names by case number or file (as query.letter_from_params)."""
        column, value = ("case_number", case) if case else ("file", file)
        if not value:
            return None
        found = self._query(f"SELECT min(letter_id) FROM letter_rows WHERE {column} = ?", [value])[0][0]
        return None if found is None else int(found)

    def is_unique_case(self, case: str) -> bool:
        return self._query("SELECT count(*) FROM letter_rows WHERE case_number = ?", [case])[0][0] == 1

    def citation_groups(self, filters: Filters) -> pd.DataFrame:
        """As corpus.citation_groups for the matching decisions: citations per group and side. Lines
        saying nothing was cited are counted from the decision rows' reviewer and claims administrator groups."""
        sql, params = self.where(self.clauses(filters))
        frame = self._frame(
            "WITH keys AS (SELECT DISTINCT sha256, item, origin FROM decision_rows WHERE origin = ? AND " + sql + ") "
            f"SELECT coalesce(c.source, '{UNMATCHED}') AS \"group\", "
            "count(*) FILTER (WHERE c.role = 'claims_administrator') AS claims_administrator, "
            "count(*) FILTER (WHERE c.role = 'reviewer') AS reviewer, count(*) AS total "
            "FROM citations c JOIN keys k ON k.sha256 = c.sha256 AND k.item = c.item GROUP BY 1 ORDER BY total DESC, 1",
            [CORPUS] + params)
        return frame


def search_clause(search: Search) -> tuple[str, list[Any]]:
    """A Search as SQL over a decision row's stored fields (treatment, rationale, diagnoses, case number):
    each term must be found in one of them, at the start of a word, any letter case (as
    Search.matches_any_column). A literal ILIKE with its wildcards escaped runs first; the word-start
    pattern (RE2, as the pandas path's) confirms it."""
    columns = [column if column != "diagnoses" else "array_to_string(diagnoses, chr(10))" for column in SEARCH_COLUMNS]
    conditions, params = [], []
    for term in search._terms:  # noqa: SLF001 - the parsed terms are the search's meaning
        alternatives: list[str] = []
        if term.text in search.case_numbers:
            alternatives.append("starts_with(upper(coalesce(case_number, '')), ?)")
            params.append(term.text)
        needle = "%" + term.needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        for column in columns:
            if term.series_pattern is None:
                alternatives.append(f"{column} ILIKE ? ESCAPE '\\'")
                params.append(needle)
            else:
                alternatives.append(f"({column} ILIKE ? ESCAPE '\\' AND regexp_matches({column}, ?, 'i'))")
                params += [needle, term.series_pattern]
        conditions.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(conditions), params


@dataclass(frozen=True)
class CorpusAnswers:
    """What the app's views ask, answered in SQL (the same methods as imr.corpus.FrameAnswers)."""

    session: CorpusSession
    filters: Filters

    def summary(self) -> Summary:
        return self.session.summary(self.filters)

    def rate_table(self, by: str, top: int | None = None) -> pd.DataFrame:
        return self.session.rate_table(self.filters, by, top)

    def reason_shares(self, by: str | None = None) -> pd.DataFrame:
        return self.session.reason_shares(self.filters, by)

    def days_counts(self) -> pd.DataFrame:
        return self.session.days_counts(self.filters)

    def rate(self) -> Rate:
        return self.session.rate(self.filters)

    def counts(self) -> tuple[int, int]:
        return self.session.count(self.filters)
