"""The Parquet corpus's tables, derived from the record contract (imr/models.py).

Three tables: `letters` (key `sha256`), `decisions` (key `sha256`, `item`: 1-based, letter order) and
`citations` (key `sha256`, `item`, `citation`: 1-based in the decision's list; `role` says whose).
Every other column is the contract's field of the same name, in the contract's order; lists stay
lists. Each field's Arrow type is one line below: an explicit schema, so a batch whose values are
all null still writes the same column types as any other part file. A contract field without a line
here (or a line without a field) stops the schema from being built, rather than a corpus silently
missing a column.
"""
from __future__ import annotations

from typing import Any

import pyarrow as pa

from imr.models import Citation, Decision, Letter

TEXT = pa.string()
TEXTS = pa.list_(pa.string())
INT = pa.int64()
NUMBER = pa.float64()  # counts the contract lets be int or float (quantity "2.5"); float64 holds both exactly
FLAG = pa.bool_()

LETTER_TYPES: dict[str, pa.DataType] = {
    "file": TEXT,
    "sha256": TEXT,
    "pages": INT,
    "ocr": FLAG,
    "status": TEXT,
    "error": TEXT,
    "warnings": TEXTS,
    "layout": TEXT,
    "case_number": TEXT,
    "date_of_injury": TEXT,  # ISO dates stay the record's strings: they sort and compare as dates, and CAST(.. AS DATE) works
    "ur_denial_date": TEXT,
    "application_received": TEXT,
    "date_assigned": TEXT,
    "decision_date": TEXT,
    "priority": TEXT,
    "reviewer_licensure": TEXTS,
    "reviewer_specialties": TEXTS,
    "reviewer_specialty_groups": TEXTS,
    "patient_age": INT,
    "patient_sex": TEXT,
    "body_parts": TEXTS,
    "diagnoses": TEXTS,
    "overall_outcome": TEXT,
}
DECISION_TYPES: dict[str, pa.DataType] = {
    "treatment": TEXT,
    "quantity": NUMBER,
    "outcome": TEXT,
    "original_request": TEXT,
    "authorized_portion": TEXT,
    "category": TEXT,
    "subcategory": TEXT,
    "body_region": TEXT,
    "drug": TEXT,
    "strength": TEXT,
    "claims_administrator_guideline": TEXT,
    "reviewer_guideline": TEXT,
    "reasons": pa.list_(pa.struct([("tag", TEXT), ("start", INT), ("end", INT)])),
    "guideline_limit": pa.struct([("value", NUMBER), ("unit", TEXT), ("text", TEXT)]),
    "prior_quantity": NUMBER,
    "over_limit": FLAG,
    "rationale": TEXT,
}
CITATION_TYPES: dict[str, pa.DataType] = {
    "role": TEXT,
    "text": TEXT,
    "source": TEXT,
    "section": TEXT,
    "pages": TEXT,
    "score": NUMBER,
    "year": INT,
    "chapter": TEXT,
    "catalogue_id": TEXT,
}
# The child records each table's rows leave out: they are rows of the next table.
NESTED = {"letters": "decisions", "decisions": "citations"}
KEY = pa.field("sha256", TEXT, nullable=False)
ITEM = pa.field("item", INT, nullable=False)
CITATION = pa.field("citation", INT, nullable=False)


def contract_fields(record: Any, nested: str | None = None) -> list[str]:
    """The record's fields in contract order (its to_dict keys), without its nested child list."""
    return [name for name in record.to_dict() if name != nested]


def _schema(keys: list[pa.Field], fields: list[str], types: dict[str, pa.DataType], record: str) -> pa.Schema:
    untyped, stale = set(fields) - set(types), set(types) - set(fields)
    if untyped or stale:
        raise TypeError(f"imr/corpus_schema.py is out of step with the {record} record: add a type for "
                        f"{sorted(untyped)}, remove {sorted(stale)}")
    key_names = {key.name for key in keys}
    return pa.schema(keys + [pa.field(name, types[name]) for name in fields if name not in key_names])


def _letters_schema() -> pa.Schema:
    # sha256 keeps its place in the contract's order, but as the key it is never null.
    fields = contract_fields(Letter(file=""), NESTED["letters"])
    schema = _schema([], fields, LETTER_TYPES, "Letter")
    return schema.set(schema.get_field_index("sha256"), KEY)


LETTERS = _letters_schema()
DECISIONS = _schema([KEY, ITEM], contract_fields(Decision(treatment=""), NESTED["decisions"]), DECISION_TYPES, "Decision")
CITATIONS = _schema([KEY, ITEM, CITATION], contract_fields(Citation(role="", text="")), CITATION_TYPES, "Citation")
SCHEMAS = {"letters": LETTERS, "decisions": DECISIONS, "citations": CITATIONS}


class Rows:
    """Rows of the three tables for a batch of letters, gathered column by column."""

    def __init__(self) -> None:
        self.columns = {table: {name: [] for name in schema.names} for table, schema in SCHEMAS.items()}

    def add(self, key: str, record: dict[str, Any]) -> None:
        """One letter's record (Letter.to_dict()) under its corpus key."""
        self._append("letters", {**record, "sha256": key})
        for item, decision in enumerate(record["decisions"], start=1):
            self._append("decisions", {**decision, "sha256": key, "item": item})
            for number, citation in enumerate(decision["citations"], start=1):
                self._append("citations", {**citation, "sha256": key, "item": item, "citation": number})

    def _append(self, table: str, row: dict[str, Any]) -> None:
        for name, values in self.columns[table].items():
            values.append(row[name])

    def tables(self) -> dict[str, pa.Table]:
        return {table: pa.Table.from_pydict(columns, schema=SCHEMAS[table]) for table, columns in self.columns.items()}
