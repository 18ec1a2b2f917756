"""Match guideline citations in IMR letters to the MTUS / ACOEM / ODG catalogue.

The catalogue (data/guidelines/catalogue.csv) has one row per guideline section with its
aliases. A citation text is split into its citations; each is matched by its source cues
("MTUS", "ODG", "Chapter 12", ...), a rapidfuzz comparison of its remaining words with the
aliases of the sections of those sources, and its stated pages.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from imr.citation_text import (
    normalize,
    page_span,
    says_nothing_cited,
    source_candidates,
    spans_overlap,
    split_citations,
    stated_pages,
    strip_lead_in,
    strip_pages,
    topic_words,
)
from imr.models import Citation

CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "data" / "guidelines" / "catalogue.csv"
SOURCES = ("CPMTG", "ACOEM", "PSTG", "AMTG", "MTUS-2017", "FORMULARY", "ODG", "OTHER")

MATCH_THRESHOLD = 70.0  # below this a citation is reported unmatched
TOPIC_CUTOFF = 60.0  # fuzzy scores under this are not considered at all
CANDIDATES = 25  # best alias matches re-ranked with page and chapter evidence
WORD_CUTOFF = 75.0  # a topic word this close to an alias word makes the alias a candidate
PAGE_BONUS = 8.0  # stated pages inside the section's range
PAGE_PENALTY = 6.0  # stated pages outside a section that has a known range
CHAPTER_BONUS = 6.0  # the text also names the section's chapter/document
MIN_TOPIC_LENGTH = 3  # shorter leftovers ("n a") match anything
SOURCE_ONLY_SCORE = 72.0  # a source was named but no topic could be matched
PAGES_ONLY_SCORE = 80.0  # no topic words, but the stated pages fall in exactly one section


@dataclass(frozen=True)
class CatalogueEntry:
    """One row of data/guidelines/catalogue.csv."""

    id: str
    source: str
    document: str
    section: str
    pages: str
    aliases: tuple[str, ...]
    provenance: str

    @property
    def page_span(self) -> tuple[int, int] | None:
        return page_span(self.pages)


@dataclass(frozen=True)
class _Index:
    """Precomputed matching material: per source, the normalized alias strings and their entry."""

    entries: tuple[CatalogueEntry, ...]
    choices_by_source: dict[str, tuple[str, ...]]
    owners_by_source: dict[str, tuple[int, ...]]  # alias position -> entry position
    chapter_words: tuple[tuple[str, ...], ...]  # per entry: normalized names of its chapter
    # Per source: the distinct words of its aliases, and for each word the aliases holding it.
    words_by_source: dict[str, tuple[str, ...]]
    aliases_by_word: dict[str, dict[str, tuple[int, ...]]]


@lru_cache(maxsize=1)
def load_catalogue() -> list[CatalogueEntry]:
    with CATALOGUE_PATH.open(newline="", encoding="utf-8") as handle:
        return [
            CatalogueEntry(
                id=row["id"],
                source=row["source"],
                document=row["document"],
                section=row["section"],
                pages=row["pages"],
                aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
                provenance=row["provenance"],
            )
            for row in csv.DictReader(handle)
        ]


def _words(name: str) -> str:
    """Aliases go through the same filler removal as citation texts ("Knee & Leg" -> "knee leg")."""
    normalized = normalize(name)
    return topic_words(normalized) or normalized


def _section_words(entry: CatalogueEntry) -> str:
    """Chapter-qualified sections ("Low Back: MRIs", "Chapter 12: ...") are matched by topic."""
    return _words(entry.section.split(":", 1)[-1])


def _chapter_names(entry: CatalogueEntry, chapter_rows: dict[str, CatalogueEntry]) -> tuple[str, ...]:
    chapter = chapter_rows.get(entry.document)
    if chapter is None:
        return ()
    names = {_section_words(chapter)} | {_words(a) for a in chapter.aliases}
    return tuple(sorted(n for n in names if len(n) > 3))


@lru_cache(maxsize=1)
def _index() -> _Index:
    entries = tuple(load_catalogue())
    # A chapter row names its whole document: "ODG Low Back" / "Low Back".
    chapter_rows = {e.document: e for e in entries if e.document.endswith(e.section)}
    choices: dict[str, list[str]] = {s: [] for s in SOURCES}
    owners: dict[str, list[int]] = {s: [] for s in SOURCES}
    for position, entry in enumerate(entries):
        names = {_section_words(entry)} | {_words(a) for a in entry.aliases}
        chapter = chapter_rows.get(entry.document)
        # "ODG Low Back MRI" should prefer Low Back's MRI: qualify topics with their chapter's main name.
        if chapter is not None and chapter is not entry:
            names |= {f"{_section_words(chapter)} {n}" for n in list(names)}
        for name in sorted(n for n in names if n):
            choices[entry.source].append(name)
            owners[entry.source].append(position)
    aliases_by_word: dict[str, dict[str, list[int]]] = {s: {} for s in SOURCES}
    for source, names in choices.items():
        for alias_position, name in enumerate(names):
            for word in set(name.split()):
                aliases_by_word[source].setdefault(word, []).append(alias_position)
    return _Index(
        entries=entries,
        choices_by_source={s: tuple(c) for s, c in choices.items()},
        owners_by_source={s: tuple(o) for s, o in owners.items()},
        chapter_words=tuple(_chapter_names(e, chapter_rows) for e in entries),
        words_by_source={s: tuple(words) for s, words in aliases_by_word.items()},
        aliases_by_word={s: {w: tuple(p) for w, p in words.items()} for s, words in aliases_by_word.items()},
    )


@lru_cache(maxsize=65536)
def _fuzzy_candidates(topic: str, sources: tuple[str, ...]) -> dict[int, float]:
    """Best fuzzy score per entry among the given sources' aliases. Cached: the same topic comes
    back with other pages and wordings ("Opioids, pages 74-96" / "Opioids p. 80"). Callers must
    not change the returned dict."""
    index = _index()
    best: dict[int, float] = {}
    for source in sources:
        # Sorted, so ties at the candidate limit are cut the same way in every process.
        positions = _aliases_sharing_a_word(topic, source)
        choices = index.choices_by_source[source]
        for _, score, position in process.extract(
            topic,
            {position: choices[position] for position in sorted(positions)},
            scorer=fuzz.WRatio,
            limit=CANDIDATES,
            score_cutoff=TOPIC_CUTOFF,
        ):
            entry_position = index.owners_by_source[source][position]
            best[entry_position] = max(best.get(entry_position, 0.0), float(score))
    return best


def _aliases_sharing_a_word(topic: str, source: str) -> set[int]:
    """Aliases with a word like one of the topic's (OCR slips allowed): the only ones worth the
    slower whole-string comparison, which would score the others under the cutoff anyway."""
    index = _index()
    vocabulary = index.words_by_source[source]
    positions: set[int] = set()
    for word in set(topic.split()):
        if len(word) < MIN_TOPIC_LENGTH:
            continue
        for similar, _, _ in process.extract(word, vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, limit=None):
            positions.update(index.aliases_by_word[source][similar])
    return positions


def _page_evidence(entry: CatalogueEntry, pages: tuple[int, int] | None) -> float:
    span = entry.page_span
    if pages is None or span is None:
        return 0.0
    return PAGE_BONUS if spans_overlap(span, pages) else -PAGE_PENALTY


def _chapter_evidence(position: int, normalized: str) -> float:
    padded = f" {topic_words(normalized)} "
    named = any(f" {name} " in padded for name in _index().chapter_words[position])
    return CHAPTER_BONUS if named else 0.0


def _specificity(entry: CatalogueEntry) -> int:
    """Ties go to topics over whole chapters: a text naming both means the topic."""
    return 0 if entry.document.endswith(entry.section) else 1


def _rank(entry_scores: dict[int, float], normalized: str, pages: tuple[int, int] | None) -> tuple[CatalogueEntry, float] | None:
    index = _index()
    ranked = sorted(
        (
            (score + _page_evidence(index.entries[p], pages) + _chapter_evidence(p, normalized), score, _specificity(index.entries[p]), -p)
            for p, score in entry_scores.items()
        ),
        reverse=True,
    )
    if not ranked:
        return None
    total, _, _, negative_position = ranked[0]
    return index.entries[-negative_position], min(100.0, total)


def _by_pages_only(sources: tuple[str, ...], pages: tuple[int, int]) -> CatalogueEntry | None:
    """The narrowest section of the named sources whose page range holds the stated pages."""
    holding = [
        e for e in _index().entries
        if e.source in sources and e.page_span is not None and spans_overlap(e.page_span, pages)
    ]
    if not holding:
        return None
    # the section cited with exactly these pages, else the narrowest one holding them
    return min(holding, key=lambda e: (e.page_span != pages, e.page_span[1] - e.page_span[0], e.id))  # type: ignore[index]


@lru_cache(maxsize=65536)
def _match_one(text: str) -> tuple[str | None, str | None, str | None, float]:
    """(source, section, pages, score) for one citation; cached because letters repeat citations."""
    pages_text = stated_pages(text)
    pages = page_span(pages_text)
    normalized = normalize(strip_pages(text))
    named_sources = source_candidates(normalized)
    topic = topic_words(normalized)
    if len(topic) < MIN_TOPIC_LENGTH:
        topic = ""
    # A text naming no guideline ("Treatment in dispute: physical therapy") is not a citation.
    if topic and named_sources:
        best = _rank(_fuzzy_candidates(topic, named_sources), normalized, pages)
        if best is not None and best[1] >= MATCH_THRESHOLD:
            entry, score = best
            return entry.source, entry.section, pages_text, round(score, 1)
    if named_sources and pages is not None:
        entry = _by_pages_only(named_sources, pages)
        if entry is not None:
            return entry.source, entry.section, pages_text, PAGES_ONLY_SCORE
    if len(named_sources) == 1:
        return named_sources[0], None, pages_text, SOURCE_ONLY_SCORE
    return None, None, pages_text, 0.0


def _citation(text: str, role: str) -> Citation:
    source, section, pages, score = _match_one(text)
    return Citation(role=role, text=text, source=source, section=section, pages=pages, score=score)


def match_citation(text: str, role: str = "reviewer") -> Citation:
    """The single best catalogue match for a whole text (unmatched: source and section None)."""
    if says_nothing_cited(text):
        return Citation(role=role, text=text)
    candidates = [_citation(part, role) for part in split_citations(text)] or [_citation(text.strip(), role)]
    best = max(candidates, key=lambda c: (c.source is not None, c.section is not None, c.score))
    return best if best.source is not None else Citation(role=role, text=text, pages=best.pages)


def find_citations(text: str | None, role: str) -> list[Citation]:
    """One Citation per citation in a guideline text; [] when there is none or it says none was cited."""
    if text is None or not text.strip() or says_nothing_cited(text):
        return []
    return [_citation(part, role) for part in split_citations(text)] or [_citation(strip_lead_in(text), role)]
