"""Text handling for guideline citations: normalization, stated pages, source cues, splitting.

Kept apart from the matching in `imr.citations` so that both the catalogue's aliases and the
letters' texts go through exactly the same normalization.
"""
from __future__ import annotations

import re

# OCR confuses letters and digits inside words ("0DG", "Ch1onic", "rnassage"); letters win
# inside a word, because catalogue aliases are words.
_DIGIT_IN_WORD = re.compile(r"(?<=[a-z])[01](?=[a-z])|\b[01](?=[a-z]{2})|(?<=[a-z]{2})[01]\b")
_OCR_DIGIT_AS_LETTER = {"0": "o", "1": "l"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """Lowercase, undo common OCR swaps, keep letters and digits separated by single spaces."""
    lowered = text.lower().replace("&", " and ").replace("’", "'").replace("'", "")
    lowered = _DIGIT_IN_WORD.sub(lambda m: _OCR_DIGIT_AS_LETTER[m.group()], lowered)
    # "rn" is read for "m" so often that both sides are folded the same way.
    lowered = lowered.replace("rn", "m")
    return _NON_ALNUM.sub(" ", lowered).strip()


# ---------------------------------------------------------------- pages

_NUM = r"\d{1,3}"
_RANGE = rf"{_NUM}(?:\s*(?:-|–|to)\s*{_NUM})?"
_PAGE_PHRASE = re.compile(
    rf"\b(?:page\(s\)|pages?|pgs?\.?|pp\.?|p\.?)\s*:?\s*#?\s*(?P<pages>{_RANGE}(?:\s*(?:,|and|&)\s*{_RANGE})*)",
    re.IGNORECASE,
)
_RANGE_PARTS = re.compile(rf"(?P<start>{_NUM})(?:\s*(?:-|–|to)\s*(?P<end>{_NUM}))?")


def stated_pages(text: str) -> str | None:
    """The pages a citation states, as "60" or "98-99"; the last statement wins (letters repeat
    "p60 Page(s): 60" and the formal "Page(s):" comes last)."""
    matches = list(_PAGE_PHRASE.finditer(text))
    if not matches:
        return None
    first_range = _RANGE_PARTS.search(matches[-1].group("pages"))
    assert first_range is not None  # the phrase regex guarantees a number
    start, end = first_range.group("start"), first_range.group("end")
    return f"{start}-{end}" if end and end != start else start


def strip_pages(text: str) -> str:
    return _PAGE_PHRASE.sub(" ", text)


def page_span(pages: str | None) -> tuple[int, int] | None:
    """"98-99" -> (98, 99); "60" -> (60, 60); None or "" -> None."""
    if not pages:
        return None
    match = _RANGE_PARTS.search(pages)
    if match is None:
        return None
    start = int(match.group("start"))
    end = int(match.group("end") or start)
    return (start, end) if start <= end else (end, start)


def spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


# ---------------------------------------------------------------- source cues

# Each cue is matched on normalized text. Order matters only for readability; every cue found
# contributes its sources.
SOURCE_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bformulary\b|\bdrug list\b", ("FORMULARY",)),
    (r"\bpost ?surgical\b|\bpstg\b", ("PSTG",)),
    (r"\bopioids? (?:treatment )?guidelines?\b", ("OPIOID",)),
    (r"\bacupuncture medical treatment\b|\bamtg\b", ("AMTG",)),
    (r"\bodg\b|\bofficial disability\b|\bnon mtus\b|\btwc\b|\btreatment in workers comp", ("ODG",)),
    (r"\bacoem\b|\bamerican college of occupational", ("ACOEM", "MTUS-2017")),
    (r"\bchapter \d{1,2}\b|\bch \d{1,2}\b|\b2nd ed", ("ACOEM",)),
    (r"\bchronic p(?:ai|ia)n (?:medical )?treatment\b|\bcpmtg\b|\bchronic p(?:ai|ia)n medical\b", ("CPMTG",)),
    (r"\bfda\b|\bpeer reviewed\b|\bmedscape\b|\buptodate\b|\bup to date\b|\bdrugs com\b|\bpdr\b"
     r"|\bliterature\b|\bmilliman\b|\baetna\b|\baaos\b|\bcdc\b|\bpackage insert\b"
     r"|\bhttps?\b|\bwww\b|\bcom\b|\bgov\b|\borg\b|\binstitute\b|\bjournal\b|\bet al\b", ("OTHER",)),
)
_COMPILED_CUES = tuple((re.compile(pattern), sources) for pattern, sources in SOURCE_CUES)
MTUS_SOURCES = ("CPMTG", "ACOEM", "PSTG", "AMTG", "MTUS-2017", "FORMULARY")
_MTUS = re.compile(r"\bmtus\b|\bmedical treatment utilization schedule\b|\bca mtus\b")
_NON_MTUS = re.compile(r"\bnon mtus\b")
# The 2017 guidelines are cited by year or by their "... Disorders" titles.
_YEAR_2017_ON = re.compile(r"\b20(?:1[7-9]|2\d)\b|\bdisorders\b|\bguideline 20")
_ACOEM_2004 = re.compile(r"\b2004\b|\b2nd\b|\bsecond edition\b|\bchapter \d|\bcomplaints\b")
_CHRONIC_PAIN_2009 = re.compile(r"\b2009\b|\bchronic p(?:ai|ia)n (?:medical )?treatment\b|\bcpmtg\b")


def source_candidates(normalized: str) -> tuple[str, ...]:
    """Catalogue sources the text points to; empty when it names none."""
    found: list[str] = []
    for pattern, sources in _COMPILED_CUES:
        if pattern.search(normalized):
            found.extend(s for s in sources if s not in found)
    mentions_mtus = bool(_MTUS.search(normalized)) and not _NON_MTUS.search(normalized)
    if _YEAR_2017_ON.search(normalized) and not _ACOEM_2004.search(normalized):
        if "ACOEM" in found or "CPMTG" in found or mentions_mtus:
            found = [s for s in found if s not in ("ACOEM", "CPMTG")] + ["MTUS-2017"]
    elif "MTUS-2017" in found and _ACOEM_2004.search(normalized):
        found.remove("MTUS-2017")
    if "CPMTG" in found and not _CHRONIC_PAIN_2009.search(normalized):
        found.remove("CPMTG")
    if not found and mentions_mtus:
        found = list(MTUS_SOURCES)
    return tuple(dict.fromkeys(found))


# Words that say "this is a citation" but not which topic; removed before topic matching.
_BOILERPLATE = re.compile(
    r"\b(?:decision based on|based on|the|of|per|non mtus|ca mtus|california|mtus|medical treatment utilization schedule"
    r"|official disability guidelines?|odg|twc|treatment in workers comp|acoem|american college of occupational and environmental medicine"
    r"|chronic p(?:ai|ia)n (?:medical )?treatment|post ?surgical|medical treatment|cpmtg|medical treatment guidelines?|treatment guidelines?|practice guidelines?"
    r"|guid\w*|2nd edition|second edition|ed|edition|updated|update|section|chapter|ch|topic|pages?|p|pp"
    r"|current|version|online|web|20\d\d|19\d\d|and|or|for|in|on|by|to|a|an|with|see|as|recommendations?)\b"
)


def topic_words(normalized: str) -> str:
    """What is left of a normalized citation once source names, years and filler are removed."""
    return " ".join(_BOILERPLATE.sub(" ", normalized).split())


# ---------------------------------------------------------------- statements that cite nothing

_NO_CITATION = re.compile(
    r"\b(?:did not cite|does not cite|not cite|no (?:specific )?(?:medical )?(?:treatment )?guidelines?"
    r"|not cited|none cited|no citation|not provided|not specified|not applicable|n a|none|unknown|not available)\b"
)


def says_nothing_cited(text: str) -> bool:
    normalized = normalize(text)
    return not normalized or bool(_NO_CITATION.search(normalized)) and not source_candidates(normalized)


# ---------------------------------------------------------------- splitting

_LEAD_IN = re.compile(
    r"^\s*(?:(?:the\s+)?(?:claims administrator|expert reviewer|physician reviewer|reviewer|utilization review)"
    r"[^:]*?(?:based (?:its|his|her|his/her|their) decision on|cited)\s*(?:the\s+)?"
    r"|(?:maximus|claims administrator)\s+guideline\s*:\s*|decision based on\s*(?:the\s+)?)",
    re.IGNORECASE,
)
# A new citation starts where a separator is followed by a source name.
_SPLIT = re.compile(
    r"(?:;\s*|\.\s+|,\s*|\s+and\s+(?:the\s+)?|\s+also\s+|\s+as well as\s+|\s+&\s+|\s+/\s+)"
    r"(?=(?:also\s+)?(?:the\s+)?(?:decision based on\s+)?(?:ca\s+)?(?:mtus|non-mtus|odg|0dg|official disability|acoem|fda\b"
    r"|peer[- ]reviewed|postsurgical|post-surgical|acupuncture medical treatment|drug formulary|mtus drug formulary))",
    re.IGNORECASE,
)


def strip_lead_in(text: str) -> str:
    return _LEAD_IN.sub("", text, count=1).strip()


def _has_own_content(part: str) -> bool:
    """A part that is only a source name ("CA MTUS and ODG ...") belongs with what follows."""
    return bool(topic_words(normalize(strip_pages(part)))) or stated_pages(part) is not None


def split_citations(text: str) -> list[str]:
    """Cut a guideline text into one piece per citation; separators stay out of the pieces."""
    pieces: list[str] = []
    carried = ""
    cursor = 0
    for match in _SPLIT.finditer(text):
        # Only the new piece is examined: what was carried had no content of its own, and looking at
        # it again would make a long run of bare source names ("MTUS, MTUS, ...") quadratic.
        segment = text[cursor:match.start()]
        part = carried + segment
        if _has_own_content(segment):
            pieces.append(part.strip(" .,;"))
            carried = ""
        else:
            carried = part + text[match.start():match.end()]
        cursor = match.end()
    pieces.append((carried + text[cursor:]).strip(" .,;"))
    return [strip_lead_in(p) for p in pieces if p.strip(" .,;")]
