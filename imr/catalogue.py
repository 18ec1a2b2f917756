"""The guideline catalogue (data/guidelines/catalogue.csv): one row per section, chapter or whole
guideline, with the names letters use for it. Loading and looking up only; matching is in
`imr.citations`."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from imr.citation_text import normalize, page_span

CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "data" / "guidelines" / "catalogue.csv"
SOURCES = ("CPMTG", "OPIOID", "ACOEM", "PSTG", "AMTG", "MTUS-2017", "FORMULARY", "ODG", "OTHER")
# What a row stands for: one section or topic, a chapter cited whole, or a guideline cited whole.
KINDS = ("section", "chapter", "document")


@dataclass(frozen=True)
class CatalogueEntry:
    id: str
    source: str
    document: str
    chapter: str  # ACOEM and ODG: the canonical chapter; "" otherwise
    section: str  # ACOEM and ODG topics: "<chapter>: <topic>"
    kind: str  # one of KINDS
    pages: str
    aliases: tuple[str, ...]
    provenance: str

    @property
    def topic(self) -> str:
        """The section's own name, without its chapter ("Special Studies")."""
        prefix = f"{self.chapter}: "
        return self.section[len(prefix):] if self.chapter and self.section.startswith(prefix) else self.section

    @property
    def whole(self) -> bool:
        """A chapter or guideline cited as a whole: the record's section stays empty."""
        return self.kind != "section"

    @property
    def page_span(self) -> tuple[int, int] | None:
        return page_span(self.pages)

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Normalized names a letter may give this row: its topic and its aliases."""
        return tuple(dict.fromkeys(n for n in (normalize(self.topic), *map(normalize, self.aliases)) if n))


@lru_cache(maxsize=1)
def load_catalogue() -> tuple[CatalogueEntry, ...]:
    with CATALOGUE_PATH.open(newline="", encoding="utf-8") as handle:
        return tuple(
            CatalogueEntry(
                id=row["id"],
                source=row["source"],
                document=row["document"],
                chapter=row["chapter"],
                section=row["section"],
                kind=row["kind"],
                pages=row["pages"],
                aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
                provenance=row["provenance"],
            )
            for row in csv.DictReader(handle)
        )


@lru_cache(maxsize=None)
def entries_of(source: str, chapter: str | None = None) -> tuple[CatalogueEntry, ...]:
    """The rows of a source, or of one of its chapters."""
    return tuple(e for e in load_catalogue() if e.source == source and (chapter is None or e.chapter == chapter))


@lru_cache(maxsize=None)
def whole_row(source: str, chapter: str | None = None) -> CatalogueEntry | None:
    """The row standing for a chapter (ACOEM, ODG) or a whole guideline cited with no section."""
    kind = "chapter" if chapter else "document"
    return next((e for e in entries_of(source, chapter) if e.kind == kind), None)


@lru_cache(maxsize=None)
def chapter_names(source: str) -> tuple[tuple[str, str], ...]:
    """(normalized name, canonical chapter) for every name of every chapter of a source, longest first."""
    pairs = {(name, e.chapter) for e in entries_of(source) if e.kind == "chapter" for name in e.names}
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair)))


@lru_cache(maxsize=1)
def rows_by_id() -> dict[str, CatalogueEntry]:
    return {e.id: e for e in load_catalogue()}


def cited_name(section: str | None, catalogue_id: str | None) -> str | None:
    """What a matched citation names: its section, or the chapter or guideline it cites whole."""
    if section:
        return section
    row = rows_by_id().get(catalogue_id or "")
    return f"{row.section} (whole)" if row else None
