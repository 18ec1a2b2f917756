"""Reading a non-MTUS citation: which works it names (ODG, another guideline, a book, a web page),
and for ODG which chapters and which topics of each.

Letters write ODG loosely: "Official Disability Guidelines (ODG), Knee and Leg Chapter, MRI",
"ODG Knee/DME, Low Back Lumbar and Thoracic/Mattress selection", "Shoulder (updated 12/12/16),
Physical therapy, ODG Elbow (updated 11/23/16), Physical therapy", "physical therapy, elbow
chapter", "Neck & Upper Back, Low Back- Lumbar & Thoracic and Forearm, Wrist and Hand chapters:
Chiropractic Guidelines". Chapters are found by the catalogue's chapter names wherever they stand
between separators; the text between them is topics, which belong to the chapter before them (or,
when a chapter has none, to the topics before it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from imr.catalogue import chapter_names
from imr.citation_text import normalize

_ODG_NAME = re.compile(r"\bOfficial\s+Disability\s+Guidelines?\b(?:\s*\(ODG\))?|\bODG\b(?:\s+Guidelines?\b)?", re.IGNORECASE)
# Another work follows: "... and Other Medical Treatment Guidelines www.mdguidelines.com".
_OTHER_WORK = re.compile(r"\b(?:and\s+)?Other\s+Medical\s+Treatment\s+Guidelines?\b\s*", re.IGNORECASE)
# Words that name neither a chapter nor a topic: editions, update dates, the publisher.
_NOISE = re.compile(
    r"\bTreatment\s+in\s+Workers'?\s+Comp(?:ensation)?\b(?:\s*\(TWC\))?|\bTWC\b|\bWork\s+Loss\s+Data\s+Institute\b"
    r"|\(?\b\d{1,2}(?:st|nd|rd|th)\s+(?:Annual\s+)?Edition\b\)?|\bAnnual\s+Edition\b|\(\s*(?:19|20)\d\d\s*\)|\b(?:19|20)\d\d\b"
    r"|\(?\bupdated\s+\d{1,2}/\d{1,2}/\d{2,4}\)?|\(\s*online\s+version\s*\)|\bonline\s+version\b|\bProcedure\s+Summary\b"
    r"|\bIndications\s+for\s+imaging\b", re.IGNORECASE)
_SEPARATOR = r"[,;:/.]|\s-|-\s|\band\b|\bchapters?\b|\bsections?\b"
_BEFORE = re.compile(rf"(?:^|{_SEPARATOR}|\()\s*$", re.IGNORECASE)
_AFTER = re.compile(rf"^\s*(?:$|{_SEPARATOR}|[()])", re.IGNORECASE)
_CONTEXT = 24
_PARENTHETICAL = re.compile(r"^\s*\(([^()]*)\)")
# No leading "\s*": on a long run of spaces that would rescan the run from every position.
_TOPIC_SPLIT = re.compile(r"[,;:/]|\s-\s?|-\s|\.\s")
_FILLER = re.compile(r"^(?:(?:and|the|chapters?|sections?|guidelines?)\b\s*)+$", re.IGNORECASE)


@dataclass
class OdgChapterCitation:
    chapter: str | None  # canonical chapter; None when the text names none
    written: str | None  # the chapter as written
    topics: list[str] = field(default_factory=list)  # topics as written, unsplit names kept whole by the caller


@dataclass(frozen=True)
class NonMtusWork:
    text: str
    odg: list[OdgChapterCitation] | None  # None: not ODG


def read_non_mtus(text: str, allow_bare_chapter: bool = True) -> list[NonMtusWork]:
    """The works a non-MTUS citation names, in order."""
    works: list[NonMtusWork] = []
    pieces = _OTHER_WORK.split(text)
    for position, piece in enumerate(pieces):
        piece = piece.strip(" .,;")
        if not piece:
            continue
        if position > 0:  # after "Other Medical Treatment Guidelines": never ODG
            works.append(NonMtusWork(piece, None))
            continue
        works.extend(_split_odg_mentions(piece, allow_bare_chapter))
    return works


def _split_odg_mentions(text: str, allow_bare_chapter: bool) -> list[NonMtusWork]:
    """Each naming of ODG starts its own reference; text before the first is another work, unless
    it opens with an ODG chapter ("Neck and Upper Back, Physical Therapy, ODG Preface - ...")."""
    starts = [m.start() for m in _ODG_NAME.finditer(text)]
    if not starts:
        chapters = _chapters_in(text)
        if allow_bare_chapter and chapters and chapters[0][0] == _first_word(text):
            return [NonMtusWork(text, _odg_references(text))]
        return [NonMtusWork(text, None)]
    works = []
    head = text[: starts[0]].strip(" .,;")
    if head:
        works.extend(_split_odg_mentions(head, allow_bare_chapter) if _chapters_in(head) else [NonMtusWork(head, None)])
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        segment = text[start:end].strip(" .,;")
        works.append(NonMtusWork(segment, _odg_references(_ODG_NAME.sub(" ", segment, count=1))))
    return works


def _first_word(text: str) -> int:
    return len(text) - len(text.lstrip(" ,;:.-"))


@lru_cache(maxsize=1)
def _chapter_pattern() -> re.Pattern[str]:
    """Every ODG chapter name as a pattern that survives punctuation and '&' for 'and'."""
    alternatives = []
    for name, _ in chapter_names("ODG"):
        words = [r"(?:and|&)" if word == "and" else re.escape(word) for word in name.split()]
        alternatives.append(r"[\W_]*".join(words))
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def _chapters_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical chapter) of each chapter name standing between separators."""
    lookup = dict(chapter_names("ODG"))
    found = []
    for match in _chapter_pattern().finditer(text):
        # Only the few characters around a name decide (looking further would make long texts quadratic).
        if _BEFORE.search(text[max(0, match.start() - _CONTEXT): match.start()]) and _AFTER.match(text[match.end(): match.end() + _CONTEXT]):
            found.append((match.start(), match.end(), lookup[normalize(match.group(0))]))
    return found


def _odg_references(text: str) -> list[OdgChapterCitation]:
    text = _NOISE.sub(" ", text)
    chapters = _chapters_in(text)
    if not chapters:
        return [OdgChapterCitation(None, None, _topics(text))]
    references: list[OdgChapterCitation] = []
    leading = _topics(text[: chapters[0][0]])
    for index, (start, end, chapter) in enumerate(chapters):
        following_end = chapters[index + 1][0] if index + 1 < len(chapters) else len(text)
        following = text[end:following_end]
        # "Low Back (Thoracic and Lumbar, Acute and Chronic)": a qualifier of the chapter, not a topic
        # ("Low Back (Hyperstimulation analgesia)" is a topic; the caller keeps what it can match).
        qualifier = _PARENTHETICAL.match(following)
        topics = _topics(following[qualifier.end():] if qualifier and _is_qualifier(qualifier.group(1)) else following)
        references.append(OdgChapterCitation(chapter, text[start:end].strip(), topics))
    # Topics before the first chapter ("physical therapy, elbow chapter") are its own when it has none.
    if leading:
        if not references[0].topics:
            references[0].topics = leading
        else:
            references.insert(0, OdgChapterCitation(None, None, leading))
    # Chapters listed together share the topics that follow them ("Neck, Low Back ... chapters: X").
    for index in range(len(references) - 2, -1, -1):
        if not references[index].topics and references[index + 1].topics and _listed_together(text, chapters, index):
            references[index].topics = list(references[index + 1].topics)
    return references


def _listed_together(text: str, chapters: list[tuple[int, int, str]], index: int) -> bool:
    between = text[chapters[index][1]: chapters[index + 1][0]]
    return not re.sub(r"[\s,;&-]|\band\b", "", between, flags=re.IGNORECASE)


def _is_qualifier(inside: str) -> bool:
    return bool(re.search(r"acute|chronic|lumbar|thoracic|trauma|headaches", inside, re.IGNORECASE))


def _topics(text: str) -> list[str]:
    pieces = [p.strip(" .,;:()-") for p in _TOPIC_SPLIT.split(text)]
    return [p for p in pieces if p and not _FILLER.match(p)]
