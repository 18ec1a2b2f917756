"""Match guideline citations in IMR letters to the MTUS / ACOEM / ODG catalogue (imr.catalogue).

Two readings, the structured one first:
- Determination letters name each guideline with its edition year and list its sections
  ("MTUS Low Back Complaints 2004, Section(s): Special Studies, Summary", `imr.citation_forms`):
  the guideline fixes the source (and chapter), the catalogue splits the section list, and each
  section is matched among that chapter's rows only. A non-MTUS citation is ODG (chapter, then
  topics), another guideline, or a book, article or web page (`OTHER`).
- Older letters cite in free wording ("MTUS Chronic Pain Treatment Guidelines Massage therapy, p60
  Page(s): 60"): each piece is matched by its source cues, a rapidfuzz comparison of its remaining
  words with the aliases of those sources' rows, and its stated pages.
Precision before recall: a section the catalogue does not hold stays unmatched, with its text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from imr import budget
from imr.catalogue import SOURCES, CatalogueEntry, chapter_names, entries_of, load_catalogue, rows_by_id, whole_row
from imr.citation_forms import GuidelineMention, read_mentions, split_numbered_sections, statements
from imr.citation_odg import OdgChapterCitation, read_non_mtus
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

__all__ = ["MATCH_THRESHOLD", "SOURCES", "find_citations", "load_catalogue", "match_citation"]

MATCH_THRESHOLD = 70.0  # below this a free-worded citation is reported unmatched
TOPIC_CUTOFF = 60.0  # fuzzy scores under this are not considered at all
CANDIDATES = 25  # best alias matches re-ranked with page and chapter evidence
WORD_CUTOFF = 75.0  # a topic word this close to an alias word makes the alias a candidate
PAGE_BONUS = 8.0  # stated pages inside the section's range
PAGE_PENALTY = 6.0  # stated pages outside a section that has a known range
CHAPTER_BONUS = 6.0  # the text also names the section's chapter
MIN_TOPIC_LENGTH = 3  # shorter leftovers ("n a") match anything
SOURCE_ONLY_SCORE = 72.0  # a source was named but no topic could be matched
PAGES_ONLY_SCORE = 80.0  # no topic words, but the stated pages fall in exactly one section
# A section named in a "Section(s):" list, among its own chapter's rows: the bar is high, since a
# near miss there is another topic ("Opioids, criteria for use" / "Opioids, specific drug list").
SECTION_CUTOFF = 88.0
MAX_SECTION_WORDS = 6
ODG_GENERAL_CHAPTER = "Preface"
ODG_TOPICS = ("ODG", None, True)  # every ODG topic, for a topic cited with no chapter  # pieces of a comma list joined while looking for one name holding commas


# ---------------------------------------------------------------- structured forms

_EDITION_YEAR = re.compile(r"(?:Edition|Ed\.)\W{1,3}((?:19|20)\d\d)\b|\(((?:19|20)\d\d)\)", re.IGNORECASE)
_ACOEM = re.compile(r"\bACOEM\b|American\s+College\s+of\s+Occupational", re.IGNORECASE)
_BARE_PAGE = re.compile(r"\d{1,3}(?:\s*-\s*\d{1,3})?")


def _mention_citations(mention: GuidelineMention, role: str) -> list[Citation]:
    if mention.non_mtus:
        return _non_mtus_citations(mention.text, role)
    source = mention.source or ""
    chapter = _canonical_chapter(source, mention.chapter) if mention.chapter else None
    if mention.chapter and chapter is None:
        return [Citation(role=role, text=mention.text, year=mention.year, chapter=mention.chapter)]
    base = Citation(role=role, text=mention.text, source=source, pages=stated_pages(mention.sections), year=mention.year,
                    chapter=mention.chapter)
    sections = strip_pages(mention.sections).strip(" ,;.")
    if not sections:
        return [_whole(base, source, chapter)]
    if source == "OPIOID":
        pieces = split_numbered_sections(sections)
    else:
        # "Elbow Complaints 2007, Section(s): 326": a bare number in a list of names is a page.
        pieces = [p for p in _split_by_catalogue(sections, (source, chapter, False)) if not _BARE_PAGE.fullmatch(p)]
        if not pieces:
            return [_whole(base, source, chapter)]
    return [_section_citation(base, piece, (source, chapter, False)) for piece in pieces]


def _whole(base: Citation, source: str, chapter: str | None) -> Citation:
    row = whole_row(source, chapter)
    return _with_row(base, row, 100.0) if row else base


def _with_row(base: Citation, row: CatalogueEntry, score: float) -> Citation:
    return Citation(role=base.role, text=base.text, source=row.source, section=None if row.whole else row.section,
                    pages=base.pages, score=round(score, 1), year=base.year, chapter=base.chapter, catalogue_id=row.id)


# Where a section name is looked up: (source, chapter or None for all, sections only).
Scope = tuple[str, "str | None", bool]


@lru_cache(maxsize=None)
def _scope_names(scope: Scope) -> dict[str, CatalogueEntry]:
    source, chapter, sections_only = scope
    return {name: entry for entry in entries_of(source, chapter) if not (sections_only and entry.whole) for name in entry.names}


def _section_citation(base: Citation, piece: str, scope: Scope) -> Citation:
    row, score = _best_in_scope(piece, scope)
    named = Citation(role=base.role, text=piece, source=base.source, pages=base.pages, year=base.year, chapter=base.chapter)
    if row is None:
        return Citation(role=base.role, text=piece, pages=base.pages, year=base.year, chapter=base.chapter)
    return _with_row(named, row, score)


@lru_cache(maxsize=65536)
def _best_in_scope(piece: str, scope: Scope) -> tuple[CatalogueEntry | None, float]:
    """The row of `scope` a section name denotes: by one of its names exactly, else a close spelling."""
    wanted = normalize(piece)
    if not wanted:
        return None, 0.0
    names = _scope_names(scope)
    if wanted in names:
        return names[wanted], 100.0
    best = process.extractOne(wanted, list(names), scorer=fuzz.ratio, score_cutoff=SECTION_CUTOFF)
    if best is None:
        # "Magnetic resonance imaging (MRI), Indications for imaging": a name inside a longer text.
        best = process.extractOne(wanted, [n for n in names if len(n) >= 6], scorer=fuzz.token_set_ratio, score_cutoff=95)
    return (names[best[0]], float(best[1])) if best else (None, 0.0)


def _split_by_catalogue(sections: str, scope: Scope) -> list[str]:
    """'NSAIDs, GI symptoms & cardiovascular risk, Opioids' -> the section names it lists."""
    return _join_by_catalogue([t for t in re.split(r"\s*[,;]\s*", sections) if t.strip(" .")], scope, ", ")


def _join_by_catalogue(tokens: list[str], scope: Scope, joiner: str) -> list[str]:
    """Runs of separated pieces that together are one name in `scope` ("NSAIDs" + "GI symptoms &
    cardiovascular risk"), the longest first; other pieces alone."""
    names = _scope_names(scope)
    pieces, start = [], 0
    while start < len(tokens):
        end = next((end for end in range(min(len(tokens), start + MAX_SECTION_WORDS), start + 1, -1)
                    if normalize(" ".join(tokens[start:end])) in names), start + 1)
        pieces.append(joiner.join(t.strip() for t in tokens[start:end]).strip(" ."))
        start = end
    return pieces


@lru_cache(maxsize=4096)
def _canonical_chapter(source: str, written: str) -> str | None:
    wanted = normalize(written)
    for name, chapter in chapter_names(source):
        if wanted == name:
            return chapter
    best = process.extractOne(wanted, [name for name, _ in chapter_names(source)], scorer=fuzz.ratio, score_cutoff=SECTION_CUTOFF)
    return dict(chapter_names(source))[best[0]] if best else None


def _non_mtus_citations(text: str, role: str) -> list[Citation]:
    year_match = _EDITION_YEAR.search(text)
    year = int(year_match.group(1) or year_match.group(2)) if year_match else None
    found: list[Citation] = []
    for work in read_non_mtus(text):
        if work.odg is None:
            found.append(_other_work(work.text, role, year))
            continue
        for reference in work.odg:
            found += _odg_citations(reference, work.text, role, year)
    return found


def _other_work(text: str, role: str, year: int | None) -> Citation:
    """A book, article, web page or other guideline; an ACOEM 2nd-edition chapter when it is named
    by its full title (after "Non-MTUS", ACOEM is otherwise the 3rd edition: OTHER)."""
    if _ACOEM.search(text):
        padded = f" {normalize(text)} "
        for entry in entries_of("ACOEM"):
            title = normalize(entry.topic)
            if len(title.split()) >= 3 and f" {title} " in padded:
                return _with_row(Citation(role=role, text=text, source="ACOEM", year=year, chapter=entry.chapter or None), entry, 100.0)
    row, score = _other_reference(text)
    base = Citation(role=role, text=text, source="OTHER", year=year)
    return _with_row(base, row, score) if row else base


def _odg_citations(reference: OdgChapterCitation, text: str, role: str, year: int | None) -> list[Citation]:
    """One ODG chapter's topics, each matched among that chapter's rows (all ODG topics when no
    chapter is named); a chapter named with no topic is the chapter cited whole, ODG named with
    neither is ODG as a whole. Topics the catalogue does not hold stay unmatched."""
    base = Citation(role=role, text=text, source="ODG", year=year, chapter=reference.written)
    if not reference.topics:
        return [_whole(base, "ODG", reference.chapter)]
    if reference.chapter is None:
        pieces = _join_by_catalogue(reference.topics, ODG_TOPICS, " ")
        found = [_chapterless_topic(base, piece) for piece in pieces]
    else:
        scope = ("ODG", reference.chapter, False)
        found = [_section_citation(base, piece, scope) for piece in _join_by_catalogue(reference.topics, scope, " ")]
    matched = [c for c in found if c.source]
    return matched or [Citation(role=role, text=text, year=year, chapter=reference.written)]


def _chapterless_topic(base: Citation, piece: str) -> Citation:
    """An ODG topic cited with no chapter: the chapter whose rows hold it, or the one its words name
    ("MRI hand"); a topic several chapters hold, with nothing to choose between them, is ODG cited
    as a whole rather than a guess."""
    citation = _section_citation(base, piece, ODG_TOPICS)
    if citation.catalogue_id is None:
        return citation
    wanted = normalize(piece)
    holders = {e.chapter for e in entries_of("ODG") if not e.whole and wanted in e.names} or {rows_by_id()[citation.catalogue_id].chapter}
    if len(holders) == 1:
        return citation
    if ODG_GENERAL_CHAPTER in holders:  # ODG's guidelines that belong to no body part
        return _section_citation(base, piece, ("ODG", ODG_GENERAL_CHAPTER, False))
    padded = f" {wanted} "
    named = {chapter for name, chapter in chapter_names("ODG") if chapter in holders and f" {name} " in padded}
    if len(named) == 1:
        return _section_citation(base, piece, ("ODG", named.pop(), False))
    return _whole(base, "ODG", None)


def _other_reference(text: str) -> tuple[CatalogueEntry | None, float]:
    """A non-MTUS reference the catalogue names (UpToDate, drugs.com, ...), by the longest of its
    names found inside the text."""
    padded = f" {normalize(text)} "
    named = [(len(name), entry.id, entry) for entry in entries_of("OTHER") for name in entry.names
             if len(name) > 3 and f" {name} " in padded]
    return (max(named)[2], 100.0) if named else (None, 0.0)


# ---------------------------------------------------------------- free wording (older letters)

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


def _words(name: str) -> str:
    """Aliases go through the same filler removal as citation texts ("Knee & Leg" -> "knee leg")."""
    normalized = normalize(name)
    return topic_words(normalized) or normalized


@lru_cache(maxsize=1)
def _index() -> _Index:
    entries = load_catalogue()
    chapters = {(e.source, e.chapter): e for e in entries if e.kind == "chapter"}
    choices: dict[str, list[str]] = {s: [] for s in SOURCES}
    owners: dict[str, list[int]] = {s: [] for s in SOURCES}
    chapter_words = []
    for position, entry in enumerate(entries):
        names = {_words(entry.topic)} | {_words(a) for a in entry.aliases}
        chapter = chapters.get((entry.source, entry.chapter))
        chapter_names_ = {_words(chapter.topic)} | {_words(a) for a in chapter.aliases} if chapter else set()
        # "ODG Low Back MRI" should prefer Low Back's MRI: qualify topics with their chapter's main name.
        if chapter is not None and chapter is not entry:
            names |= {f"{_words(chapter.topic)} {n}" for n in list(names)}
        chapter_words.append(tuple(sorted(n for n in chapter_names_ if len(n) > 3)))
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
        chapter_words=tuple(chapter_words),
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


def _rank(entry_scores: dict[int, float], normalized: str, pages: tuple[int, int] | None) -> tuple[CatalogueEntry, float] | None:
    index = _index()
    ranked = sorted(
        (
            # Ties go to sections over whole chapters: a text naming both means the section.
            (score + _page_evidence(index.entries[p], pages) + _chapter_evidence(p, normalized), score, not index.entries[p].whole, -p)
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
def _match_free(text: str) -> tuple[CatalogueEntry | None, str | None, str | None, float]:
    """(row, source, pages, score) for one freely worded citation; cached because letters repeat citations."""
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
            return entry, entry.source, pages_text, round(score, 1)
    if named_sources and pages is not None:
        entry = _by_pages_only(named_sources, pages)
        if entry is not None:
            return entry, entry.source, pages_text, PAGES_ONLY_SCORE
    if len(named_sources) == 1:
        return None, named_sources[0], pages_text, SOURCE_ONLY_SCORE
    return None, None, pages_text, 0.0


def _free_citations(text: str, role: str) -> list[Citation]:
    """A freely worded piece: ODG and other references are read like non-MTUS citations; the rest,
    and ODG the catalogue cannot place that way, by fuzzy matching."""
    sources = source_candidates(normalize(text))
    if sources in (("ODG",), ("ODG", "OTHER"), ("OTHER",)):
        found = [c for c in _non_mtus_citations(text, role) if c.catalogue_id]
        if found:
            return found
    row, source, pages, score = _match_free(text)
    base = Citation(role=role, text=text, source=source, pages=pages, score=score)
    if row is None and source is not None:
        return [_whole(base, source, None)]  # only the guideline is named: the guideline as a whole
    return [_with_row(base, row, score) if row else base]


# ---------------------------------------------------------------- the verbs

def find_citations(text: str | None, role: str) -> list[Citation]:
    """One Citation per guideline section cited in a guideline text; [] when it cites nothing."""
    if text is None or not text.strip():
        return []
    # A line is read up to its budget, and gives at most so many citations (published lines: under
    # 1,000 characters, up to 12 sections).
    return list(_citations_of(text[: budget.MAX_GUIDELINE_LINE_CHARS], role)[: budget.MAX_CITATIONS_PER_LINE])


# Letters repeat the same guideline lines endlessly; citations are immutable, so one reading serves all.
@lru_cache(maxsize=16384)
def _citations_of(text: str, role: str) -> tuple[Citation, ...]:
    if says_nothing_cited(text):
        return ()
    found: list[Citation] = []
    for statement in statements(text) or [text]:
        mentions = read_mentions(statement)
        if mentions is None:
            parts = split_citations(statement) or [strip_lead_in(statement)]
            found += [citation for part in parts for citation in _free_citations(part, role)]
        else:
            found += [citation for mention in mentions for citation in _mention_citations(mention, role)]
    return tuple(found)


def match_citation(text: str, role: str = "reviewer") -> Citation:
    """The single best catalogue match for a whole text (unmatched: source and section None)."""
    if says_nothing_cited(text):
        return Citation(role=role, text=text)
    candidates = find_citations(text, role)
    if not candidates:
        return Citation(role=role, text=text)
    best = max(candidates, key=lambda c: (c.source is not None, c.catalogue_id is not None, c.section is not None, c.score))
    return best if best.source is not None else Citation(role=role, text=text, pages=best.pages)
