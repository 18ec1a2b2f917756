"""Shared field finders used by every layout parser: dates, case numbers, labeled values, age and
sex, body parts, diagnoses, reviewer credentials and outcome phrases.

Each finder takes text and returns a `Found` (value plus the span it came from, for the app's
highlighting) or None; none of them knows which layout it is reading."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from typing import Generic, TypeVar

from imr.clean import ascii_lower, collapse_whitespace, lower_pattern
from imr.vocab import (
    any_body_part, body_part_patterns, compound_diagnoses, professions, reviewer_profession_pattern, specialty_pattern, state_name_pattern, us_states,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    value: T
    start: int
    end: int

    def shifted(self, offset: int) -> "Found[T]":
        return Found(self.value, self.start + offset, self.end + offset)


# --- dates -------------------------------------------------------------------------------------
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
DATE = (rf"(?:\d{{1,2}}\s?[/.-]\s?\d{{1,2}}\s?[/.-]\s?(?:\d{{4}}|\d{{2}})\b|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
        rf"|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})")
_DATE_RE = re.compile(DATE, re.IGNORECASE)


def parse_date(raw: str) -> str | None:
    """A written date -> ISO 'YYYY-MM-DD', or None if it is not a real date."""
    text = raw.strip().rstrip(".,")
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    month_word = re.search(r"[A-Za-z]{3,}", text)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            year, month, day = numbers
        elif month_word:
            month = _MONTHS[month_word.group(0).lower()[:3]]
            day, year = numbers[0], numbers[-1]
        else:
            month, day, year = numbers
            if year < 100:
                year += 2000 if year < 50 else 1900
        return date(year, month, day).isoformat()
    except (ValueError, KeyError, IndexError):
        return None


def find_date(text: str) -> Found[str] | None:
    for match in _DATE_RE.finditer(text):
        iso = parse_date(match.group(0))
        if iso:
            return Found(iso, match.start(), match.end())
    return None


def label_pattern(label: str, spaced: bool = False) -> str:
    """A label as a regex that survives extra spaces and line wraps between its words; `spaced` also
    lets a stray space split a long word (text layers and OCR turn "Received" into "Rece ived")."""
    return r"\s+".join(_spaced_word(word) if spaced else re.escape(word) for word in label.split())


def _spaced_word(word: str) -> str:
    if len(word) < 5 or not word.isalpha():
        return re.escape(word)
    return re.escape(word[0]) + "".join(f"[ ]?{re.escape(char)}" for char in word[1:])


@lru_cache(maxsize=None)
def _labeled_date_pattern(label: str, spaced: bool) -> re.Pattern[str]:
    # For ascii_lower text. "Date of Injury" is not "Date".
    return re.compile(lower_pattern(
        rf"{label_pattern(label, spaced)}(?!\s+of\b)[ \t]*(?:\([A-Za-z]{{1,6}}\))?[ \t]*(?P<colon>:)?\s*(?P<date>{DATE})"))


def find_labeled_date(text: str, labels: tuple[str, ...]) -> Found[str] | None:
    """The date written right after a label ("Date of Injury: 2/16/2000"), labels tried in order.
    A one-word label needs its colon and must open a line or follow another label's value
    ("1/10/2014 Dated: 2/24/2014"): prose ("the application dated March 11") and the end of a longer
    label ("UR Denial Date:") are not labels.
    Longer labels stand without a colon, as in tables read as text. Labels broken by
    stray spaces are tried only when no clean label is found (the slower pattern)."""
    lowered = ascii_lower(text)
    for spaced in (False, True):
        for label in labels:
            for match in _labeled_date_pattern(label, spaced).finditer(lowered):
                # "UR Decision Date" is not "Decision Date".
                line_start = lowered.rfind("\n", 0, match.start()) + 1
                if (not (match.group("colon") or " " in label) or lowered.endswith(("ur ", "review "), 0, match.start())
                        or lowered[match.start() - 1: match.start()].isalpha()
                        or (" " not in label and lowered[line_start: match.start()].strip()
                            and lowered[line_start: match.start()].rstrip()[-1:].isalpha())):
                    continue
                iso = parse_date(match.group("date"))
                if iso:
                    return Found(iso, match.start(), match.end())
    return None


_LONGEST_DATE = len("September 30th, 2016")


def find_date_after(text: str, cue: str, window: int = 160) -> Found[str] | None:
    """The first date within `window` characters after a cue phrase (regex), same sentence or not:
    for dates stated in prose ("the Notice of Assignment was provided on 7/15/2013")."""
    for match in re.finditer(cue, text, re.IGNORECASE):
        # Read a little past the window, so that a date starting inside it is not cut short.
        found = find_date(text[match.end(): match.end() + window + _LONGEST_DATE])
        if found and found.start < window:
            return Found(found.value, match.start(), match.end() + found.end)
    return None


# --- identifiers and labels ---------------------------------------------------------------------
_CASE_NUMBER = re.compile(r"\bC\s?M\s?(\d{2})\s?[-\u2013]?\s?([0-9OoIl]{7})\b")
_CASE_LABEL = re.compile(r"case\s*(?:number|no\.?|#)", re.IGNORECASE)


def find_case_number(text: str) -> Found[str] | None:
    """The IMR case number (CMyy-nnnnnnn), preferring one written after a 'Case Number' label."""
    candidates = list(_CASE_NUMBER.finditer(text))
    if not candidates:
        return None
    labeled = [m for m in candidates if _CASE_LABEL.search(text[max(0, m.start() - 40): m.start()])]
    match = (labeled or candidates)[0]
    digits = match.group(2).translate(str.maketrans("OoIl", "0011"))
    return Found(f"CM{match.group(1)}-{digits}", match.start(), match.end())


@lru_cache(maxsize=None)
def _labeled_line_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(label_pattern(label, spaced=True) for label in labels)
    return re.compile(rf"^[ ]*(?:{alternatives})[ ]*(?:\(s\))?[ ]*:[ ]*([^\n]*)(?:\n([^\n]*))?", re.IGNORECASE | re.MULTILINE)


def find_labeled_line(text: str, labels: tuple[str, ...], multiline: bool = False) -> Found[str] | None:
    """The rest of the line after a label and its colon ("State(s) of Licensure: Ohio"), or the next
    line if that is empty. The colon is required: the same words occur in boilerplate prose.
    With `multiline`, a list value wrapped onto following lines ("Pain" / "Management") is joined."""
    match = _labeled_line_pattern(labels).search(text)
    if not match:
        return None
    value, group = (match.group(1), 1) if match.group(1).strip() else (match.group(2) or "", 2)
    if not value.strip():
        return None
    end = match.end(group)
    while multiline:
        line_end = text.find("\n", end + 1)
        following = text[end + 1: line_end if line_end >= 0 else len(text)]
        if not _continues_list(following):
            break
        value, end = f"{value} {following}", end + 1 + len(following)
    return Found(collapse_whitespace(value), match.start(), end)


def _continues_list(line: str) -> bool:
    """A wrapped piece of a title-case list: short, no label colon, not a heading, no sentence."""
    words = line.split()
    return (0 < len(words) <= 8 and ":" not in line and not line.isupper()
            and all(w[:1].isupper() or w in ("&", "and", "of", "the", "/", ",") for w in words))


def find_label_column(text: str, labels: dict[str, tuple[str, ...]]) -> dict[str, Found[str]]:
    """A label table read column by column: a run of lines that are each only a label ("Claim
    Number:", or a known label without its colon), then as many value lines, the n-th value
    belonging to the n-th label. Returns field -> value for the known labels of the first such run."""
    known, _, field_of = _label_patterns(tuple((name, names) for name, names in labels.items()))
    lowered = ascii_lower(text)
    # Most letters have no such table: two known labels alone on their lines is the least it needs.
    if sum(1 for _ in itertools.islice(re.finditer(rf"^{known.pattern}", lowered, re.MULTILINE), 2)) < 2:
        return {}
    lines = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    index = 0
    while index < len(lines):
        run = []
        while index + len(run) < len(lines):
            line, start, end = lines[index + len(run)]
            match = known.match(lowered, start, end)
            if not (match or _ANY_LABEL_LINE.match(line)):
                break
            run.append(field_of[_label_key(match.group(1))] if match else None)
        if sum(field is not None for field in run) >= 2 and len(run) >= 3 and index + 2 * len(run) <= len(lines):
            values = lines[index + len(run): index + 2 * len(run)]
            return {field: Found(value.strip(), start, end) for field, (value, start, end) in zip(run, values) if field}
        index += max(len(run), 1)
    return {}


# Any short label standing alone on its line: "Claim Number:", "Employee:".
_ANY_LABEL_LINE = re.compile(r"^[ \t]*[A-Z][A-Za-z()/#.&' -]{1,40}:[ \t]*$")


def _label_key(label: str) -> str:
    return " ".join(re.findall(r"\w+", label.lower()))


@lru_cache(maxsize=None)
def _label_patterns(labels: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """For ascii_lower text: a line holding only one of the labels, any one of the labels, and
    label key -> field name."""
    field_of = {_label_key(label): name for name, names in labels for label in names}
    alternatives = "|".join(sorted((label_pattern(label).lower() for _, names in labels for label in names), key=len, reverse=True))
    one_label = rf"({alternatives})[ \t]*(?:\([a-z]{{1,6}}\))?[ \t]*:?"
    return re.compile(rf"[ \t]*{one_label}[ \t]*$"), re.compile(one_label), field_of


_VALUE_TOKEN = re.compile(rf"{DATE}|\[[A-Z ]+\]|\S+", re.IGNORECASE)


_TWO_LABEL_LINE = re.compile(r"^[^\n:]+:[ \t]*[^\n:]+:[ \t]*$", re.MULTILINE)


def find_label_rows(text: str, labels: dict[str, tuple[str, ...]]) -> dict[str, Found[str]]:
    """A label table read row by row with the values on the line below the labels
    ("Case Number: Date Assigned:" / "CM16-0112408 06/09/2016"): the n-th value on the value line
    belongs to the n-th label. Returns field -> value for every such pair of lines."""
    # Such a line holds two labels and ends in the second one's colon; most letters have none.
    if not _TWO_LABEL_LINE.search(text):
        return {}
    _, label_anywhere, field_of = _label_patterns(tuple((name, names) for name, names in labels.items()))
    lowered = ascii_lower(text)
    labels_by_line: dict[int, list[re.Match[str]]] = {}
    for match in label_anywhere.finditer(lowered):
        labels_by_line.setdefault(lowered.rfind("\n", 0, match.start()) + 1, []).append(match)
    found: dict[str, Found[str]] = {}
    for line_start, names in labels_by_line.items():
        line_end = _line_end(text, line_start)
        if len(names) < 2 or label_anywhere.sub("", lowered[line_start:line_end]).strip(" \t:") or line_end >= len(text):
            continue
        values = list(_VALUE_TOKEN.finditer(text, line_end + 1, _line_end(text, line_end + 1)))
        if len(values) == len(names):
            for name, value in zip(names, values):
                found.setdefault(field_of[_label_key(name.group(1))], Found(value.group(0), value.start(), value.end()))
    return found


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end == -1 else end


def priority_word(value: str) -> str | None:
    word = value.strip().lower()
    if word in ("expedited", "urgent"):
        return "expedited"
    return "standard" if word in ("standard", "regular") else None


def find_priority(text: str) -> Found[str] | None:
    match = re.search(r"\bPriority\s*:?\s*(Standard|Expedited|Regular|Urgent)\b", text, re.IGNORECASE)
    return Found(priority_word(match.group(1)), match.start(), match.end()) if match else None


# --- patient ------------------------------------------------------------------------------------
_SEX_WORDS = {
    "female": "female", "woman": "female", "lady": "female", "girl": "female",
    "male": "male", "man": "male", "gentleman": "male", "boy": "male",
}
_SEX_WORD = r"(?:fe)?male|woman|lady|girl|gentleman|man|boy"
_AGE_PHRASES = (
    re.compile(rf"\b(\d{{1,3}})\s*-?\s*(?:years?|yrs?\.?|y/o|yo)\s*-?\s*(?:of\s+age|old|of\s+age)?\s*,?\s*(?:(?:{_SEX_WORD})\b)?", re.IGNORECASE),
    re.compile(rf"\b(?:(?:{_SEX_WORD})\b[^.\n]{{0,40}}?)?\bage[d]?\s*:?\s*(\d{{1,3}})\b", re.IGNORECASE),
)


def find_age(text: str) -> Found[int] | None:
    best: Found[int] | None = None
    for pattern in _AGE_PHRASES:
        for match in pattern.finditer(text):
            phrase = match.group(0).lower()
            age = int(match.group(1))
            # "15 years status post" is a duration, not an age: an age phrase says "old", "age" or a sex.
            if not (re.search(r"old|age|y/?o|" + _SEX_WORD, phrase)) or not 10 <= age <= 110:
                continue
            if best is None or match.start() < best.start:
                best = Found(age, match.start(), match.end())
            break
    return best


def find_sex(text: str) -> Found[str] | None:
    """Sex from a sex word (female/man/gentleman...), else from the pronouns that outnumber."""
    word = re.search(rf"\b({_SEX_WORD})\b", text, re.IGNORECASE)
    if word:
        return Found(_SEX_WORDS[word.group(1).lower()], word.start(), word.end())
    # "he/she" and "his/her" are boilerplate for either sex; drop them before counting.
    prose = re.sub(r"\b(?:he/she|she/he|his/her|her/his|him/her|he or she|his or her)\b", " ", text, flags=re.IGNORECASE)
    female = list(re.finditer(r"\b(?:she|her|hers|herself)\b", prose, re.IGNORECASE))
    male = list(re.finditer(r"\b(?:he|him|his|himself)\b", prose, re.IGNORECASE))
    if len(female) == len(male):
        return None
    winner, first = ("female", female) if len(female) > len(male) else ("male", male)
    return Found(winner, first[0].start(), first[0].end())


def find_body_parts(text: str) -> list[Found[str]]:
    """Canonical body parts in order of first mention; overlapping mentions count once (the first
    starting, then the first in data/vocab/body_parts.csv's order)."""
    lowered = ascii_lower(text)
    patterns = body_part_patterns()
    first: dict[str, Found[str]] = {}
    position = 0
    while mention := any_body_part().search(lowered, position):
        # Where one part is named, the longest of the parts named there wins ("low back" over "back").
        # The part is the first in the vocabulary's order that matches there, as the one-pass search took
        # it (on every labelled and generated letter that is also the longest named there).
        start, end = mention.span()
        part = next((name for name, pattern in patterns if (match := pattern.match(lowered, start)) and match.end() == end), None)
        if part:
            first.setdefault(part, Found(part, start, end))
        position = max(end, start + 1)
    return sorted(first.values(), key=lambda f: f.start)


# Sentences that say what was injured or diagnosed ("sustained an injury to", "struck her neck", "developed
# numbness ... from repetitive work") ...
_INJURY_CUE = re.compile(
    r"\binjur(?:ed|y|ies|ing)\b(?!\s+workers?\b)|\bdiagnos(?!tic)|\btreat(?:ed|ments?)\s+for\b|\bimpressions?\b|\bsustained\b"
    r"|\bstrain(?:ed)?\b|\bsprain(?:ed)?\b|\bfractur|\bcontusion|\btrauma\b|\bhurt\b|\bfell\b|\bfall\b|\baccepted\s+body\s+parts?\b"
    r"|\bstruck\b|\btwist(?:ed|ing)\b|\bland(?:ed|ing)\s+on\b|\bslipped\b|\btripped\b|\bmechanism\b|\breported\s+discomfort\b"
    r"|\bdeveloped\b[^.]*\b(?:work|duties|job|overtime|repetitive|after\s+(?:a|an)\s+(?:period|day|shift|week|month|year)s?\s+of)\b"
    # "She developed numbness and pain in the right wrist and hand" (a later one is _OTHER_INJURY's)
    r"|\bdeveloped\s+(?:\w+\s+){0,3}?(?:pain|numbness|tingling|symptoms|swelling|weakness)\s+(?:in|of)\b"
    # the summary's opening: the worker and the complaint the claim is about ("a 33-year-old clerk with numbness in both hands")
    r"|\byear[- ]old\b[^.]*\b(?:with|reported|reports|developed|complain\w*|present(?:ed|s))\b", re.IGNORECASE)
# ... not counting the injury named only as a point in time or in a form's title ...
_INJURY_REFERENCE = re.compile(
    r"\b(?:since|after|before|predates?|prior\s+to|following)\s+(?:the|his|her|this)\s+(?:industrial\s+|work\s+)?injury"
    r"|\breport\s+of\s+(?:occupational\s+)?injury", re.IGNORECASE)
# ... nor sentences about another, earlier injury ("a prior ankle sprain", "history includes a hip replacement")
# or a consequence that came later ("later developed hip pain from an altered gait") ...
_OTHER_INJURY = re.compile(r"\b(?:prior|previous(?:ly)?|remote|separate|unrelated|non-?industrial|pre-?existing|history\s+includes"
                           r"|(?:later|subsequently)\s+developed|altered\s+gait|compensatory)\b", re.IGNORECASE)
# ... nor about what was asked for, imaged or done since, whose body parts are not the injury's.
_REQUEST_CUE = re.compile(
    r"\brequest|\bauthoriz|\btreatment\s+plan|\brecommend|\bnon-?certif|\butilization\s+review|\bUR\b|\bplan\s+(?:is|was|included)"
    r"|\bMRI\b|\bx-?rays?\b|\bCT\b|\bEMG|\bscheduled\b|\breferr|\bcomputed\s+tomography|\bmagnetic\s+resonance"
    r"|\btreatments?\s+(?:to\s+date|has|have|had|included?|includes|rendered)\b|\bpast\s+treatment", re.IGNORECASE)
# A sentence ends at a full stop (not a decimal point), or where a quotation opens after a colon: a quoted
# report ("... from the Utilization Review report: "This 51 year-old ...") is read on its own.
_SENTENCE = re.compile(r"[^.]+?(?:\.(?!\d)|:(?=\s*[\"\u201c])|$)")
# "an 8 foot fall", "fell three feet": a distance, not the foot.
_FOOT_WORD = re.compile(r"f(?:oo|ee)t\b", re.IGNORECASE)
_DISTANCE = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty)[- ]?(?:foot|feet)\b", re.IGNORECASE)
# A "back" no word qualifies ("neck and back pain", "injury to her back") names no region by itself.
_UNQUALIFIED_BACK = re.compile(
    r"\bback\b(?<!low back)(?<!lower back)(?<!low-back)(?<!upper back)(?<!mid back)(?<!middle back)(?<!mid-back)"
    r"(?!\s+(?:to|in|on|from|at|into|and\s+forth|of\s+(?:the|his|her|a)\s+(?:head|skull|neck|hand|knee|leg|thigh|arm|heel|calf))\b)",
    re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;,]|\s(?:and|but|while)\s")
_COMPLAINT = re.compile(r"\bpain\b|\bcomplain", re.IGNORECASE)
_BACK_REGIONS = ("upper back", "low back")
_LINE_BREAKS = str.maketrans("\n\r\t\f\v", "     ")


def find_injured_parts(summary: str) -> list[Found[str]]:
    """Body parts of the industrial injury, in order of mention: those named in the summary's sentences
    about the injury and in its diagnoses, not those of requested or past treatments, of another injury
    or of passing complaints."""
    # Line breaks to spaces (offsets kept), so a part wrapped over a line still reads as one.
    text = summary.translate(_LINE_BREAKS)
    if _FOOT_WORD.search(text):
        text = _blank(_DISTANCE, text)
    sentences = [(m.start(), m.group(0)) for m in _SENTENCE.finditer(text)]
    found: dict[str, Found[str]] = {}
    bare_back: Found[str] | None = None
    for start, sentence in sentences:
        if not _INJURY_CUE.search(sentence):  # cheap test first: most sentences have no cue at all
            continue
        clause = _before_something_else(sentence)
        if not _INJURY_CUE.search(_INJURY_REFERENCE.sub(" ", clause)):
            continue
        bare = _UNQUALIFIED_BACK.search(clause)
        if bare and not bare_back:
            bare_back = Found("low back", start + bare.start(), start + bare.end())
        for part in find_body_parts(_blank(_UNQUALIFIED_BACK, clause) if bare else clause):
            found.setdefault(part.value, part.shifted(start))
    diagnoses = find_diagnoses(summary)
    if diagnoses:
        listing = Found(summary[diagnoses[0].start:diagnoses[-1].end], diagnoses[0].start, diagnoses[-1].end)
        for part in find_body_parts(listing.value):
            found.setdefault(part.value, part.shifted(listing.start))
    if bare_back:
        # An injured "back" is the back regions the summary's complaints name; the lower back when they name none.
        complaints = [clause for clause in (_before_something_else(sentence) for _, sentence in sentences) if _COMPLAINT.search(clause)]
        named = {part.value for clause in complaints for part in find_body_parts(_blank(_UNQUALIFIED_BACK, clause)) if part.value in _BACK_REGIONS}
        for region in [r for r in _BACK_REGIONS if r in named] or ["low back"]:
            found.setdefault(region, Found(region, bare_back.start, bare_back.end))
    return sorted(found.values(), key=lambda f: f.start)


def _before_something_else(sentence: str) -> str:
    """The sentence up to where it turns to a request or a past treatment, or to another injury: then
    up to the clause that names it ("injured his neck at work; he previously had a knee replacement")."""
    cut = len(sentence)
    request = _REQUEST_CUE.search(sentence)
    if request:
        cut = request.start()
    other = _OTHER_INJURY.search(sentence, 0, cut)
    if other:
        cut = max((m.start() for m in _CLAUSE_BREAK.finditer(sentence, 0, other.start())), default=0)
    return sentence[:cut]


def _blank(pattern: re.Pattern[str], text: str) -> str:
    """Text with the pattern's matches turned to spaces, so offsets stay those of the text."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


_DIAGNOSIS_LEAD = re.compile(
    r"\b(?:(?:was|were|has\s+been|had\s+been|been|is|being)\s+diagnosed\s+(?:with|as\s+having|as)|diagnosed\s+with"
    r"|diagnos[ie]s\s*(?:(?:listed|documented|noted|given|rendered)\s+)?(?:(?:have|has|had)\s+(?:been\s+)?included?|included?|includes|including|"
    r"(?:were|was|are|is)(?:\s+(?:documented|listed|noted|given|recorded))?(?:\s+as)?|of|consisted\s+of|as)?\s*:?"
    r"|diagnostic\s+impressions?\s*(?:included?|were|are|of)?\s*:?)\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"\.(?=\s+[A-Z(\[]|\s*$)|\n\s*\n")
_DIAGNOSIS_TRIM = re.compile(r"^(?:\d{1,2}[.)]\s*|(?:and|or|with|of|a|an|the|as\s+having|having|include[sd]?|including)\s+)+", re.IGNORECASE)


# A list piece that belongs to the diagnosis before it ("major depressive disorder, single episode"),
# and one that only says where it is worse ("osteoarthritis, worse on the left"), which is no diagnosis.
_QUALIFIER = re.compile(r"(?:single\s+episode|recurrent|unspecified|in\s+(?:partial\s+)?remission|initial\s+encounter|sequela|NOS"
                        r"|status\s+post\s+\w+$)\b", re.IGNORECASE)  # "status post repair", not "status post right knee arthroscopy"
_SIDE_NOTE = re.compile(r"(?:worse|greater|more)\s+(?:on|in)\s+the\s+\w+|(?:left|right)\s+(?:greater|worse)\s+than\s+\w+", re.IGNORECASE)


# Diagnoses listed one a line under their lead: "- lumbar radiculopathy", "* ...", "1) ...".
_BULLET_LINE = re.compile(r"^[ \t]*(?:[-*\u2022]|\d{1,2}[.)])[ \t]+([^\n]+)", re.MULTILINE)
_BULLET_LIST = re.compile(r"(?:[ \t]*\n)?(?:[ \t]*(?:[-*\u2022]|\d{1,2}[.)])[ \t]+[^\n]+(?:\n|$)){2,}")


def find_diagnoses(text: str) -> list[Found[str]]:
    """Diagnoses as written, from the first sentence that lists them."""
    lead = _DIAGNOSIS_LEAD.search(text)
    if not lead:
        return []
    bullets = _BULLET_LIST.match(text, lead.end())
    if bullets:
        # One diagnosis a bulleted line, commas and all.
        return [Found(m.group(1).strip(" .;"), m.start(1), m.end(1))
                for m in _BULLET_LINE.finditer(text, bullets.start(), bullets.end()) if m.group(1).strip(" .;")]
    end = _SENTENCE_END.search(text, lead.end())
    stop = end.start() if end else min(len(text), lead.end() + 400)
    listing = text[lead.end(): stop]
    found: list[Found[str]] = []
    for piece, offset in _split_list(listing, keep=compound_diagnoses()):
        value = _DIAGNOSIS_TRIM.sub("", piece).strip(" .;:,")
        if found and _QUALIFIER.match(value):
            found[-1] = Found(f"{found[-1].value}, {value}", found[-1].start, lead.end() + offset + len(piece))
        elif 2 < len(value) < 120 and not _SIDE_NOTE.fullmatch(value):
            found.append(Found(value, lead.end() + offset, lead.end() + offset + len(piece)))
    return found


_NEW_DIAGNOSIS_START = re.compile(r"(?:right|left|bilateral|lumbar|cervical|thoracic|chronic|status\s+post|s/p)\b", re.IGNORECASE)


def _joins_a_kept_phrase(before: str, after: str, keep: frozenset[str]) -> bool:
    """Whether "before and after" holds, across its "and", a phrase that is never split
    ("myalgia and myositis", "open reduction and internal fixation")."""
    joined = f"{before} and {after}".lower()
    return any(phrase in joined and phrase not in before.lower() and phrase not in after.lower() for phrase in keep)


def _split_list(listing: str, keep: frozenset[str] = frozenset()) -> list[tuple[str, int]]:
    """'a, b and c' -> pieces with their offsets; 'and' inside a name in `keep` does not split. A list
    separated by semicolons keeps the commas inside its items ("Crush injury, right hand; ...")."""
    pieces: list[tuple[str, int]] = []
    for part in re.finditer(r"[^;]+" if ";" in listing else r"[^,;]+", listing):
        merged: list[tuple[str, int]] = []
        cursor = 0
        joined_after_with = False
        for separator in [*re.finditer(r"\s+and\s+", part.group(0)), None]:
            stop = separator.start() if separator else len(part.group(0))
            word = collapse_whitespace(part.group(0)[cursor:stop])
            # "disorder with anxiety and depressed mood" is one diagnosis: the first "and" after "with" joins.
            # ... but not when what follows "and" starts a diagnosis of its own ("and right plantar fasciitis").
            after_with = (bool(merged) and " with " in f" {merged[-1][0]} " and not joined_after_with
                          and not _NEW_DIAGNOSIS_START.match(word))
            if merged and (_joins_a_kept_phrase(merged[-1][0], word, keep) or after_with):
                merged[-1] = (f"{merged[-1][0]} and {word}", merged[-1][1])
                joined_after_with = joined_after_with or after_with
            elif word:
                joined_after_with = False
                merged.append((word, part.start() + cursor))
            cursor = separator.end() if separator else cursor
        pieces.extend(merged)
    return pieces


# --- reviewer -----------------------------------------------------------------------------------
def split_states(text: str) -> list[str]:
    """'California and Texas' / 'CA, TX' -> full state names, in order, once each."""
    names = [us_states()[collapse_whitespace(m.group(0)).lower()] for m in state_name_pattern().finditer(text)]
    if not names:
        names = [us_states()[token.lower()] for token in re.findall(r"\b[A-Z]{2}\b", text) if token.lower() in us_states()]
    return list(dict.fromkeys(names))


def split_specialties(text: str) -> list[str]:
    """A credentials list -> one entry per certification, as written. Known specialty names decide
    where 'and' splits ('Anesthesiology and Pain Medicine' is two, 'Physical Medicine and
    Rehabilitation' one); commas and semicolons always split."""
    entries: list[str] = []
    for part in re.split(r"[;,]|\s+/\s+|\s+and\s+in\s+", text):
        part = collapse_whitespace(part).strip(" .:")
        part = re.sub(r"^(?:and|in|with|the)\s+", "", part, flags=re.IGNORECASE)
        if not part:
            continue
        part = _rejoined(part)
        known = list(specialty_pattern().finditer(part))
        leftover = specialty_pattern().sub("", part)
        if len(known) > 1 and not re.sub(r"\b(?:and|&)\b", "", leftover).strip(" ,."):
            entries.extend(collapse_whitespace(m.group(0)) for m in known)
        else:
            entries.append(part)
    return list(dict.fromkeys(e for e in entries if len(e) > 2))


def _rejoined(part: str) -> str:
    """A specialty whose word was broken at a line end ("Anesthesi ology") made whole again; any other
    text as it is."""
    if specialty_pattern().fullmatch(part):
        return part
    for space in re.finditer(" ", part):
        joined = part[:space.start()] + part[space.end():]
        if specialty_pattern().fullmatch(joined):
            return joined
    return part


# Credential sentences, searched in ascii_lower text. The value is bounded (a credential list is a
# line or two), so a run of "board certified in ..." with no sentence end costs linear time.
_BOARD_CERTIFIED = re.compile(lower_pattern(
    r"\b(?:board[-\s]+certified|board\s+certification|certified\s+by\s+the\s+American\s+Board\s+of|diplomate\s+of\s+the\s+American\s+Board\s+of)\s+(?:(?:in|as\s+an?)\s+)?"
    r"(.{1,300}?)(?=,?\s+(?:and\s+)?(?:has|holds|is\s+(?:also\s+)?(?:licensed|fellowship|sub)|who|with\s+a\s+sub)|[.;]\s|\.$|\n\s*\n)"), re.DOTALL)
_SUBSPECIALTY = re.compile(lower_pattern(
    r"\b(?:sub-?specialty|subspecialties|sub-?specialized|fellowship(?:[- ]trained)?|fellowship\s+training)\s+(?:certification\s+|certificate\s+)?(?:in\s+)?"
    r"(.{1,300}?)(?=,?\s+(?:and\s+)?(?:is|has|holds|who)\b|[.;]\s|\.$|\n\s*\n)"), re.DOTALL)
_LICENSED = re.compile(lower_pattern(
    r"\blicen[sc](?:ed|e)\s+(?:to\s+practice\s+)?(?:medicine\s+)?(?:\w+\s+){0,2}?in\s+(?:the\s+states?\s+of\s+)?"
    r"(.{1,300}?)(?=[.;]\s|\.$|\n\s*\n|,?\s+(?:and\s+)?(?:is|has|who)\b)"),
                       re.DOTALL)


def find_prose_credentials(text: str) -> tuple[list[Found[str]], list[Found[str]]]:
    """Specialties and licensure states stated in a sentence ("Board Certified in Physical Medicine
    and Rehabilitation, has a subspecialty in Pain Medicine and is licensed to practice in California")."""
    lowered = ascii_lower(text)
    specialties: list[Found[str]] = []
    for pattern in (_BOARD_CERTIFIED, _SUBSPECIALTY):
        for match in pattern.finditer(lowered):
            value = text[match.start(1): match.end(1)]
            specialties.extend(Found(s, match.start(1), match.end(1)) for s in split_specialties(value))
    if not specialties:
        for match in reviewer_profession_pattern().finditer(lowered):
            specialty = professions()[collapse_whitespace(match.group(1))]
            specialties.append(Found(specialty, match.start(1), match.end(1)))
    states: list[Found[str]] = []
    for match in _LICENSED.finditer(lowered):
        states.extend(Found(s, match.start(1), match.end(1)) for s in split_states(text[match.start(1): match.end(1)]))
    return _unique(specialties), _unique(states)


def _unique(found: list[Found[str]]) -> list[Found[str]]:
    seen: dict[str, Found[str]] = {}
    for item in found:
        seen.setdefault(item.value.lower(), item)
    return list(seen.values())


# --- decisions ----------------------------------------------------------------------------------
_NECESSITY = re.compile(
    r"\b(?P<neg>not|non|no\s+longer|un)?[\s-]*(?:be\s+|considered\s+|deemed\s+|found\s+|established\s+as\s+|shown\s+to\s+be\s+)?"
    r"medically[\s-]+(?:necessary|indicated|appropriate|reasonable)", re.IGNORECASE)
_OUTCOME_WORDS = {"upheld": "upheld", "uphold": "upheld", "overturned": "overturned", "overturn": "overturned"}


def outcome_word(text: str) -> str | None:
    """'Upheld' / 'Overturned' as a decision label -> the record's outcome."""
    match = re.search(r"\b(upheld|uphold|overturned|overturn)\b", text, re.IGNORECASE)
    return _OUTCOME_WORDS[match.group(1).lower()] if match else None


def outcome_from_necessity(text: str, last: bool = False) -> Found[str] | None:
    """'... is not medically necessary' -> upheld; '... is medically necessary' -> overturned.
    The first statement is taken (an item's heading), or the last (a rationale's conclusion)."""
    matches = list(_NECESSITY.finditer(text))
    if not matches:
        return None
    match = matches[-1] if last else matches[0]
    window = text[max(0, match.start() - 60): match.start()].lower()
    negated = bool(match.group("neg")) or bool(re.search(r"\b(?:not|n't|neither|nor)\b[^.;]{0,40}$", window))
    return Found("upheld" if negated else "overturned", match.start(), match.end())
