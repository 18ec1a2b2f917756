"""A Parquet corpus (written by `imr ingest`) opened for reading in DuckDB: an embedded, in-memory
connection with views `letters`, `decisions` and `citations` over the part files, read in place.

Each view holds every column of today's schema (imr/corpus_schema.py): part files written before a
field was added read it as null. Values reach SQL only as bound parameters, never formatted in.
"""
from __future__ import annotations

from collections.abc import Iterable

import duckdb
import fsspec
import pandas as pd
import pyarrow as pa
from fsspec.implementations.local import LocalFileSystem

from imr.corpus_parts import PART_PREFIX, PART_SUFFIX
from imr.corpus_schema import CITATION_TYPES, DECISION_TYPES, LETTER_TYPES, SCHEMAS
from imr.models import Citation, Decision, GuidelineLimit, Letter, Reason

# Row order of each table's frames: a letter's decisions and citations in letter order.
ORDER = {"letters": "sha256", "decisions": "sha256, item", "citations": "sha256, item, citation"}


def open_corpus(corpus: str) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection whose views `letters`, `decisions`, `citations` read the corpus at `corpus`
    (a folder or an fsspec URL). Part files added later are seen by later queries."""
    connection = duckdb.connect(":memory:")
    fs, root = fsspec.core.url_to_fs(corpus)
    if not isinstance(fs, LocalFileSystem):
        connection.register_filesystem(fs)
    for table, schema in SCHEMAS.items():
        folder = f"{root}/{table}"
        # An empty table of today's columns: the view is defined (and typed) even before any part
        # exists, and parts from before a field was added gain it as null.
        connection.from_arrow(schema.empty_table()).create(f"{table}_columns")
        if fs.exists(folder) and fs.glob(f"{folder}/{PART_PREFIX}*{PART_SUFFIX}"):
            pattern = fs.unstrip_protocol(folder) if not isinstance(fs, LocalFileSystem) else folder
            connection.read_parquet(f"{pattern}/{PART_PREFIX}*{PART_SUFFIX}", union_by_name=True).create_view(f"{table}_parts")
            connection.execute(f"CREATE VIEW {table} AS SELECT * FROM {table}_columns UNION ALL BY NAME SELECT * FROM {table}_parts")
        else:
            connection.execute(f"CREATE VIEW {table} AS SELECT * FROM {table}_columns")
    return connection


def frames_for(connection: duckdb.DuckDBPyConnection, keys: Iterable[str]) -> dict[str, pd.DataFrame]:
    """The rows of the letters whose sha256 is in `keys`, as one pandas frame per table."""
    keys = list(keys)
    return {table: connection.execute(f"SELECT * FROM {table} WHERE sha256 IN (SELECT UNNEST(?::VARCHAR[])) ORDER BY {order}",
                                      [keys]).df()
            for table, order in ORDER.items()}


def stored_letter(connection: duckdb.DuckDBPyConnection, key: str) -> Letter | None:
    """The letter under `key` as the corpus stores it: its record's fields, without its text (the corpus
    keeps none) or the spans its values came from. None when the corpus has no such letter."""
    rows = {table: connection.sql(f"SELECT * FROM {table} WHERE sha256 = ? ORDER BY {order}", params=[key]).to_arrow_table().to_pylist()
            for table, order in ORDER.items()}
    if not rows["letters"]:
        return None
    citations: dict[int, list[Citation]] = {}
    for row in rows["citations"]:
        citations.setdefault(row["item"], []).append(Citation(**{name: row[name] for name in CITATION_TYPES}))
    decisions = []
    for row in rows["decisions"]:
        values = {name: row[name] for name in DECISION_TYPES}
        limit = values.pop("guideline_limit")
        decisions.append(Decision(**values | {
            "reasons": [Reason(**reason) for reason in values["reasons"] or []],
            "guideline_limit": GuidelineLimit(**limit) if limit else None,
            "citations": citations.get(row["item"], []),
        }))
    letter = rows["letters"][0]
    lists = {name for name, kind in LETTER_TYPES.items() if pa.types.is_list(kind)}
    return Letter(**{name: (letter[name] or []) if name in lists else letter[name] for name in LETTER_TYPES}, decisions=decisions)
