"""The quantity a rationale measures the request against: the guideline's recommended maximum ("9-10
visits over 8 weeks" -> 10 visits), and whether the request (with what the worker already had,
imr.prior_quantity) goes over it.

A rationale often quotes several limits (one per diagnosis) and applies none; then there is no limit.
A limit counts when it is the only one quoted, or the one the reviewer's own sentences repeat, or the
one for the diagnosis the reviewer states, or (all of one top) the one the request is measured against;
of a trial and a total, the step the request reaches; of two guidelines', the one the reviewer names.
Guideline text (a quotation, a table's rows) is never the reviewer's finding, and "time to produce an
effect: 3 to 6 treatments" is never a maximum."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from imr.models import GuidelineLimit
from imr.prior_quantity import find_prior_quantity
from imr.rationale_numbers import HAS_NUMBER, NUMBER, NUMBER_WORD, around_units, findings, number

# Units as letters write them -> the record's unit.
_UNITS = {
    "visit": "visits", "session": "sessions", "treatment": "treatments", "week": "weeks", "day": "days",
    "month": "months", "unit": "units", "refill": "refills", "tablet": "tablets", "injection": "injections",
}
COUNT_UNITS = ("visits", "sessions", "treatments")
# The number patterns are tried only around these words: a search for a number at every position
# of every sentence would cost more than the rest of the reason finding.
_UNIT_WORD = re.compile(r"\b(?:visit|session|treatment|week|day|month|injection)s?\b", re.IGNORECASE)
# Items decided once (a test, an operation, a visit): the weeks their rationales quote are waiting times.
UNLIMITED_CATEGORIES = ("Diagnostic testing", "Surgery", "Evaluation and management", "Injections")
TIME_UNITS = ("weeks", "days", "months")
_UNIT = r"(?P<unit>visit|session|treatment|week|day|month|injection)s?\b"
# "up to 10 visits", "9-10 visits over 8 weeks", "8 to 10 sessions", "less than 3 weeks", "2-3 weeks",
# "an initial trial of 6 visits", "a one-month home-based trial", "(a) 1 month home based trial".
_LIMIT = re.compile(
    r"(?:\b(?P<lead>up to|a total of(?: up to)?|total of(?: up to)?|no more than|maximum of|max(?:imum)? of|"
    r"less than|longer than|beyond|more than|(?:go(?:es|ing)? )?past|(?:an? )?(?:initial )?trial of|(?:an? )?initial course of|limit(?:ed|s|ing)? (?:the )?(?:use )?(?:of )?(?:[a-z]+ )?to(?: a (?:period|maximum|course|total) of)?|"
    r"(?:a )?(?:best practice )?target of|(?:the )?general course of(?: therapy of)?|not to exceed|not exceeding|at most|"
    r"(?:ceiling|cap|allowance)(?: (?:for|of|in|on) [a-z ]{1,40}?)? (?:is|of)(?: up to)?)\s+(?:an?\s+)?)?"
    rf"\b(?P<low>{NUMBER})(?:\s*(?:-|to|or)\s*(?P<high>{NUMBER}))?\s*"
    r"(?:(?:additional|supervised|physical therapy|physiotherapy|occupational therapy|pt|chiropractic|acupuncture|"
    r"psychotherapy|individual|group|cognitive behavio(?:u)?ral(?: therapy)?|office|follow[- ]up)\s+){0,3}"
    + _UNIT + r"(?!\s*(?:(?:per|a|an|each|every)\s+(?:week|day|month)\b|every\b))"
    r"(?P<total>\s+(?:in\s+)?total\b|\s+in\s+all\b|\s+(?:at\s+)?(?:a\s+)?maximum\b)?" +  # "12 visits total", "18 sessions in all", "10 visits maximum"
    r"(?P<tail>(?: of [a-z ]{3,40}?)?\s+(?:over|in|within|during|for)\s+(?:\d{1,2}|" + NUMBER_WORD + r")"
    r"(?:\s*(?:-|to)\s*(?:\d{1,2}|\w+))?\s+weeks?)?"
    # "10 visits are recommended", not "12 visits are recommended by the treating physician"
    r"(?P<passive>\s+(?:is|are)\s+(?:recommended|allowed|supported|indicated)\b"
    r"(?!\s+by\s+(?:the\s+|his\s+|her\s+)?(?:treating|requesting|primary|provider|physician|doctor|therapist|surgeon)))?",
    re.IGNORECASE)
_TRIAL_MONTH = re.compile(r"\b(?:a\s+)?(?P<low>one|1)[- ]month\b[\w -]{0,30}?\btrial\b", re.IGNORECASE)
# "more than 3 weeks" is a limit only where the guideline speaks ("not recommended for more than"),
# not in "has used it for more than six months".
_COMPARING = ("more than", "longer than", "less than", "beyond", "past", "go past", "goes past", "going past")
_GUIDELINE_WORDS = re.compile(r"\b(?:recommend\w*|not|limit\w*|guidelines?|support\w*|indicated|approved|use|usage|using|advis\w*|against)\b[^.;]{0,25}$", re.IGNORECASE)
# Words around a number that make it something other than a guideline limit.
_NOT_A_LIMIT = re.compile(
    r"\b(?:has had|had|completed|received|attended|underg\w+|done|already|previous|prior|since|ago|post[- ]?op\w*|"
    r"requested|request|for the past|last)\b[^.;]{0,25}$"
    # "no improvement after 2-3 weeks", "duration between visits is 1 to 6 months": a wait, not a limit of use
    r"|\bafter\s+$|\bbetween (?:visits|appointments|evaluations)\b[^.;]{0,20}$"
    # "1-2 visits every 4-6 months": how often, not how long
    r"|\bevery\s+$", re.IGNORECASE)
# "10 to 12 days in a nursing facility or 6 to 12 days": a second limit said in the first's words (after a
# comma, ", or 6 visits" restates the first as a number instead).
# "the guidelines allow (for) 10 visits", "the ODG recommends 6 sessions": a limit when a guideline
# speaks, not the treating physician.
_VERB_BEFORE = re.compile(r"\b(?:allows?|allowing|recommends?|recommending|supports?|supporting|permits?|endorses?)\s+(?:for\s+|only\s+)?$", re.IGNORECASE)
_GUIDELINE_SUBJECT = re.compile(r"\b(?:guidelines?|mtus|odg|acoem|schedule|criteria|it|they|which)\b[^.;]{0,30}$", re.IGNORECASE)
_COORDINATED = re.compile(r"[^,]\s+(?:or|and)\s+$", re.IGNORECASE)
# "the request is within the guideline", "twelve sessions slightly exceed this": the reviewer measures the
# request against what was quoted, whichever of its conditions applies.
_MEASURED = re.compile(r"\b(?:within|exceed\w*|above|beyond|surpass\w*|in excess of|more than)\s+(?:the\s+)?"
                       r"(?:guidelines?|recommend\w*|limits?|allowance|range|this|these|that|those|what)\b", re.IGNORECASE)
_GUIDELINE_NAME = re.compile(
    r"\b(?:odg|official disability guidelines|mtus|acoem|chronic pain (?:medical )?treatment guidelines|"
    r"postsurgical treatment guidelines|acupuncture medical treatment guidelines)\b", re.IGNORECASE)
_MEASURED_BY_NAME = re.compile(r"\b(?:within|exceed\w*|above|beyond|surpass\w*|in excess of|under|more than)\b[^.;]{0,20}?\b(?P<name>odg|mtus|acoem)\b", re.IGNORECASE)
_CITES = re.compile(r"\b(?:cites?|citing|refers? to|adopts?|incorporates?)\s+(?:the\s+)?(?:\w+\s+)?(?P<name>odg|official disability guidelines)\b", re.IGNORECASE)
_REQUEST_BEFORE = re.compile(r"\b(?:request\w*|sessions|visits|treatments)\b[^.;]{0,40}$", re.IGNORECASE)
# "time to produce functional improvement: 3 to 6 treatments", "within 3 to 6 treatments": when an effect
# shows, not a maximum, whatever words measure it.
_WHEN_EFFECT_SHOWS = re.compile(r"\btime to produce\b[^.;]{0,80}$", re.IGNORECASE)
# "the number requested is above the 8-10 visits the guidelines allow": what a request is measured
# against is a limit, whatever was said of the request before it.
# "exceeds the recommendation of an initial trial of 6 visits", "surpasses the guideline's 10 visits".
_MEASURED_AGAINST = re.compile(
    r"\b(?:above|exceeds?|exceeding|exceeded|within|beyond|past|than|surpass\w*)\s+(?:the\s+)?"
    r"(?:(?:guidelines?'?s?|recommendations?|recommended|maximum|limit|allowance)\s+(?:of\s+)?)?$", re.IGNORECASE)
# "an initial course of one half of that number, or 6 visits": the first step, written as a number.
_HALF_COURSE = re.compile(
    r"\binitial course\b[^.;]{0,80}?\bhalf\b[^.;]{0,80}?\b(?:that is|i\.e\.,?|or|namely|which(?: for [\w ]{3,30}?)? is)\s+"
    rf"(?P<low>{NUMBER})\s+(?P<unit>visit|session)s\b", re.IGNORECASE)
# "the recommended number of visits for neuritis is eight to ten": the unit named before the number.
_NUMBER_OF = re.compile(
    r"\b(?:recommended|allowed|maximum|supported)\s+number\s+of\s+(?P<unit>visit|session|treatment)s\b[^.;]{0,40}?\b(?:is|are)\s+(?:up to\s+)?"
    rf"(?P<low>{NUMBER})(?:\s*(?:-|to|or)\s*(?P<high>{NUMBER}))?\b", re.IGNORECASE)
# A guideline table's row ("Lateral epicondylitis: Medical treatment: 8 visits over 5 weeks", "Sprains of
# neck = 10 visits", "Neuralgia (ICD9 729.2) 8-10 visits over 4 weeks") lists what the guideline allows
# for one condition: guideline text, not a finding.
_TABLE_ROW = re.compile(r"(?:[:=]|\([^()]{0,30}\))\s*(?:up to\s+)?$")
# Improvement (or none) from the earlier course of a treatment: the request continues it, past a first trial.
_HAD_COURSE = re.compile(
    r"\b(?:improve\w*|better|gains?|change|benefit|relief|response|progress)\b[^.;]{0,40}?\b(?:with|from|after|to)\s+(?:the\s+)?"
    r"(?:previous|prior|past|earlier)\s+(?:\w+\s+){0,2}?(?:treatments?|sessions|visits|therapy|care|course|chiropractic|acupuncture)\b",
    re.IGNORECASE)
# A course the worker had or was given ("a trial of 6 sessions was approved", "the initial trial of 3
# to 6 treatments was completed") is a count of the past, not the guideline's limit.
_PAST = re.compile(r"\s*(?:was|were|has been|have been|had been)\s+(?!recommended|suggested|supported|indicated|allowed)\w+ed\b", re.IGNORECASE)
# A time without a lead word ("4-12 weeks") is a limit of use only where use is spoken of just before:
# "short-term use of 4-12 weeks", "usually two to six weeks"; not "trials of short duration (6-12 weeks)".
_USE_BEFORE = re.compile(r"\b(?:short[- ]term|use|usage|usually|generally|typically|recommended|approved|limit\w*|(?:optimum|maximum) duration)\b[^.;]{0,20}$", re.IGNORECASE)


# "2 times a week for 6 weeks", "2-3 times per week for 4 weeks", "2x6", "1 times 8", "three times a week over two weeks"
_FREQUENCY = re.compile(
    rf"\b(?:{NUMBER}\s*(?:-|to)\s*)?(?P<per>{NUMBER})\s*(?:x|times?)\s*(?:(?:a|per)\s+week\s+(?:for|over|x)\s+)?"
    rf"(?P<weeks>{NUMBER})(?:\s+weeks?)?\b", re.IGNORECASE)
# An item asking for more of what was given ("Additional chiropractic", "continued physical therapy").
_CONTINUED = re.compile(r"\b(?:additional|continued|continuing|continue|further|more|extra|ongoing)\b", re.IGNORECASE)
# The rationale adds the request to what was already had ("12 more would bring the total to 30").
_TOGETHER = re.compile(r"\b(?:total|bring|brings|altogether|in addition to|exceed\w*|excess|beyond)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Quoted:
    limit: GuidelineLimit
    sentence: int  # index of the sentence it was quoted in
    applied: bool  # quoted in a sentence of the reviewer's own findings
    stage: str  # "trial" (an initial trial), "total" (the course with improvement), "" (neither)
    span: str  # the time a count is spread over ("over 8 weeks"), "" if none: it tells conditions apart
    low: int | float | None = None  # the lower end of a range ("6 to 12 days"): it tells conditions apart too
    source: str = ""  # the guideline quoted ("mtus", "odg", "acoem"), "" if none is named before it
    condition: frozenset[str] = frozenset()  # words of the condition it is quoted for ("lateral epicondylitis")
    end: int = 0  # where it ends in its sentence

    def same_limit(self, other: Quoted) -> bool:
        """The same recommendation written twice ("up to 18 visits" and "up to 18 visits over 6-8 weeks"),
        not two with the same top ("10 to 12 days in a nursing facility or 6 to 12 days in a rehabilitation one")."""
        return (self.limit.value, self.limit.unit) == (other.limit.value, other.limit.unit) and (
            not self.span or not other.span or self.span == other.span) and (
            self.low is None or other.low is None or self.low == other.low)


def measures_request(rationale: str) -> bool:
    """Whether the reviewer measures the request against what was quoted ("the request is within the
    guideline", "twelve sessions slightly exceed this"), in a finding or in a sentence about the request."""
    for _, sentence, applied in findings(rationale):
        for match in _MEASURED.finditer(sentence):
            if applied or _REQUEST_BEFORE.search(sentence, max(0, match.start() - 60), match.start()):
                return True
    return False


_FOR_CONDITION = re.compile(r"\s+for\s+[^.;:,]{3,60}")  # "9-10 visits for myalgia and myositis"
# Words that name a diagnosis or an operation (not a body part: the limits for a region's conditions
# share it): "epicondylitis", "myalgia", "spondylosis", "radiculopathy", "sprain", "meniscectomy".
_CONDITION_WORD = re.compile(
    r"\b(?:[a-z]+(?:itis|algias?|osis|opathy|pathy|trophy|plasty|ectomy|otomy|odesis)|sprains?|strains?|fractures?|"
    r"dislocations?|tears?|contusions?|depression|depressive|anxiety|insomnia|ptsd|crps|fusion|repair|release|"
    r"reconstruction|replacement|amputation)\b")


# "His diagnoses include: ...", "she was diagnosed with ...", "the diagnosis is ...".
_DIAGNOSIS_STATED = re.compile(r"\bdiagnos(?:is|es)\b[^.;]{0,20}?\b(?:includes?|included|is|are|was|were|of)\b|\bdiagnos(?:is|es)\s*:|\bdiagnosed with\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:no|not|without|nor|lack|absence|rule out|ruled out)\b", re.IGNORECASE)


def _condition_words(text: str) -> frozenset[str]:
    return frozenset(word.rstrip("s") for word in _CONDITION_WORD.findall(text.lower()))


def _source(name: str) -> str:
    name = name.lower()
    return "odg" if name.startswith(("odg", "official")) else "acoem" if name == "acoem" else "mtus"


def quoted_limits(rationale: str) -> list[Quoted]:
    """Every limit the rationale quotes, in order."""
    found: list[Quoted] = []
    source = ""  # the guideline last named
    for index, sentence, applied in findings(rationale):
        limits, table, named = _sentence_limits(sentence)
        found.extend(replace(q, sentence=index, applied=applied and not table, source=q.source or source) for q in limits)
        source = named or source
    return found


def _names(sentence: str) -> list[tuple[int, str]]:
    """(position, guideline) of the guidelines a sentence names; the one it says is cited ("the MTUS
    cites the ODG: ...") alone."""
    lower = sentence.lower()
    if not any(word in lower for word in ("odg", "official", "mtus", "acoem", "guidelines")):
        return []  # a cheap test first: most sentences name none
    cited = _CITES.search(sentence)
    if cited:
        return [(0, _source(cited.group("name")))]
    return [(m.start(), _source(m.group(0))) for m in _GUIDELINE_NAME.finditer(sentence)]


# Letters repeat sentences (stock wording, a rationale shared by several items): each is read once.
@lru_cache(maxsize=4096)
def _sentence_limits(sentence: str) -> tuple[tuple[Quoted, ...], bool, str]:
    """(the limits one sentence quotes, whether it is a guideline table's rows, the guideline it quotes);
    a limit's source is the guideline named before it in the sentence, "" if none."""
    # The guideline a sentence quotes: the first it names ("The ODG, which is not part of the MTUS,
    # allows ..."), or the one it says is cited ("the MTUS cites the ODG: ...").
    names = _names(sentence)
    if not HAS_NUMBER.search(sentence):
        return (), False, names[0][1] if names else ""
    found: list[Quoted] = []
    table = False
    for match in around_units(_LIMIT, sentence, 0, len(sentence), _UNIT_WORD):
        before = sentence[max(0, match.start() - 60): match.start()]
        lead = (match.group("lead") or "").lower()
        verb = None if lead else _VERB_BEFORE.search(before)
        spoken = bool(verb and _GUIDELINE_SUBJECT.search(before, 0, verb.start()) or match.group("passive"))
        if ((not lead or "trial" in lead) and _NOT_A_LIMIT.search(before) and not _MEASURED_AGAINST.search(before)
                or lead in _COMPARING and not _GUIDELINE_WORDS.search(before)
                or _WHEN_EFFECT_SHOWS.search(sentence, max(0, match.start() - 100), match.start())):
            continue
        unit = _UNITS[match.group("unit").lower()]
        value = number(match.group("high") or match.group("low"))
        previous = found[-1] if found else None
        if previous and previous.limit.unit == unit and _COORDINATED.search(before) and not _PAST.match(sentence, match.end()):
            # "up to 10 to 12 days in a nursing facility or 6 to 12 days in a rehabilitation one": the
            # second, for another setting or condition, is said in the first's words.
            found.append(replace(previous, limit=GuidelineLimit(value, unit, match.group(0).strip()),
                                 low=number(match.group("low")) if match.group("high") else None,
                                 span=" ".join((match.group("tail") or "").lower().split())))
            continue
        if not lead and not spoken and not match.group("high") and not match.group("tail") and not match.group("total"):
            continue  # a bare "6 visits" or "4 weeks" is a count, not a recommendation
        if unit in TIME_UNITS and match.group(0).rstrip().lower().endswith(("week", "day", "month")) and lead not in _COMPARING:
            continue  # "a 4 to 6 week period of care": a span of time, not a limit of use ("longer than a 2 to 3 week period" is)
        if unit in TIME_UNITS and not lead and not spoken and not _USE_BEFORE.search(before):
            continue
        if _PAST.match(sentence, match.end()):
            continue
        stage = ("half" if "course" in lead and "initial" in lead else "trial" if ("trial" in lead or "initial" in lead)
                 else "total" if "total" in lead or match.group("total") else "")
        span = " ".join((match.group("tail") or "").lower().split())
        table = table or bool(_TABLE_ROW.search(before))  # one row makes the sentence a table
        low = number(match.group("low")) if match.group("high") else None
        named = [name for start, name in names if start < match.start()]
        label_from = found[-1].end if found else 0
        after = _FOR_CONDITION.match(sentence, match.end())
        condition = _condition_words(sentence[label_from:match.start()] + (after.group(0) if after else ""))
        # the limit as written, without the words around it that made it one
        text = sentence[match.start("lead") if match.group("lead") else match.start("low"):
                        match.start("passive") if match.group("passive") else match.end()].strip()
        found.append(Quoted(GuidelineLimit(value, unit, text), 0, True, stage, span, low,
                            named[0] if named else "", condition, match.end()))
    if "number of" in sentence.lower():
        for match in _NUMBER_OF.finditer(sentence):
            value = number(match.group("high") or match.group("low"))
            found.append(Quoted(GuidelineLimit(value, _UNITS[match.group("unit").lower()], match.group(0)[match.start("low") - match.start():]),
                                0, True, "", "", number(match.group("low")) if match.group("high") else None,
                                names[0][1] if names else ""))
    if "half" in sentence:
        for match in _HALF_COURSE.finditer(sentence):
            limit = GuidelineLimit(number(match.group("low")), _UNITS[match.group("unit").lower()], match.group(0)[match.start("low") - match.start():])
            found.append(Quoted(limit, 0, True, "half", "", source=names[0][1] if names else ""))
    for match in around_units(_TRIAL_MONTH, sentence, 0, len(sentence), _UNIT_WORD):
        found.append(Quoted(GuidelineLimit(1, "months", match.group(0).strip()), 0, True, "trial", ""))
    return tuple(found), table, names[0][1] if names else ""


def applied_source(rationale: str) -> str:
    """The one guideline the reviewer measures the request against by name ("ten sessions fall within the
    ODG range"), "" if none or several."""
    for _, sentence, applied in findings(rationale):
        for match in _MEASURED_BY_NAME.finditer(sentence):
            if applied or _REQUEST_BEFORE.search(sentence, max(0, match.start() - 60), match.start()):
                return _source(match.group("name"))
    return ""


def distinct_limits(quoted: list[Quoted]) -> list[Quoted]:
    """One of each recommendation, the most complete writing of it (the one with its time span)."""
    kept: list[Quoted] = []
    for q in sorted(quoted, key=lambda q: not q.span):
        if not any(q.same_limit(k) for k in kept):
            kept.append(q)
    return kept


def find_limit(rationale: str | None, category: str, outcome: str | None = None,
               quantity: int | float | None = None, prior: int | float | None = None,
               continued: bool = False) -> GuidelineLimit | None:
    """The limit the rationale measures the request against, or None (none quoted, or several quoted
    and none applied). Medications are limited in time, therapy in visits.

    One recommendation quoted is the limit. An initial trial and a total course ("an initial trial of
    6 visits ..., a total of up to 20") are steps: the request (with what was already had) is measured
    against the step it reaches: an overturned request fits under the smallest step at or above it, an
    upheld one went past the largest step below it. A post-operative initial course ("one half of the
    general course, or 12 visits") is a number derived from the general course: it is the limit only
    for a request found over it; one within it is measured against the general course. Several
    recommendations for different conditions with none applied give no limit."""
    if not rationale or category in UNLIMITED_CATEGORIES or not _UNIT_WORD.search(rationale):
        return None  # a cheap test first: most rationales name no visits, weeks or days
    quoted = quoted_limits(rationale)
    if category == "Pharmaceuticals":
        quoted = [q for q in quoted if q.limit.unit in TIME_UNITS]
    distinct = distinct_limits(quoted)
    if len(distinct) == 1:
        return distinct[0].limit
    applied = distinct_limits([q for q in quoted if q.applied])
    if len(applied) == 1 and not any(q.stage for q in distinct):
        return applied[0].limit
    if len({(q.limit.value, q.limit.unit) for q in distinct}) == 1 and measures_request(rationale):
        return distinct[0].limit  # several conditions' limits with one top, and the request measured against them
    counts = [q for q in distinct if q.limit.unit in COUNT_UNITS]
    if len({q.source for q in counts}) > 1:  # "" (a guideline not named) is one too
        # Two guidelines' recommendations (the MTUS's trial and total, the ODG's range): the one the
        # reviewer names is measured against; naming none, the reviewer applies neither.
        named = applied_source(rationale)
        counts = [q for q in counts if q.source == named] if named else []
        if not counts:
            return None
    if len(counts) == 1 and category not in ("Pharmaceuticals", "DMEPOS"):
        return counts[0].limit  # a course of therapy is counted in visits, whatever weeks are also quoted
    if len(counts) > 1 and not any(q.stage for q in counts):
        # One limit per condition: the one for the worker's diagnosis, as the reviewer states it.
        diagnosed = _condition_words(" ".join(sentence for _, sentence, applied in findings(rationale)
                                              if applied and _DIAGNOSIS_STATED.search(sentence) and not _NEGATED.search(sentence)))
        named = [q for q in counts if q.condition & diagnosed]
        if len(named) == 1:
            return named[0].limit
    if continued and prior is None and any(q.stage in ("trial", "half") for q in counts):
        # More of a treatment already given (its count unknown) is past the trial: the total applies.
        return max(counts, key=lambda q: q.limit.value).limit
    if quantity is None and prior is None or not (prior is not None or any(q.stage for q in counts)):
        return None
    # What the request reaches: the new visits (at least one) on top of those already had.
    asked = (quantity or 1) + (prior or 0)
    fitting = [q for q in counts if q.limit.value >= asked and q.stage != "half"]
    passed = [q for q in counts if q.limit.value < asked]
    if outcome == "upheld" and passed:
        return max(passed, key=lambda q: q.limit.value).limit
    if outcome == "overturned" or any(q.stage == "half" for q in counts):
        return min(fitting, key=lambda q: q.limit.value).limit if fitting else None
    return None


def is_over_limit(quantity: int | float | None, prior: int | float | None, limit: GuidelineLimit | None,
                  counted_together: bool) -> bool | None:
    """Quantity (plus prior, when the rationale counts them together) above the limit, or any more once
    the prior alone reached it; None when either is unknown or they are not counted in the same unit
    (visits against weeks, tablets against days)."""
    if quantity is None or limit is None or limit.unit not in COUNT_UNITS:
        return None
    if prior is not None and prior >= limit.value:
        return True
    total = quantity + (prior if counted_together and prior else 0)
    return total > limit.value


def implied_count(treatment: str) -> int | None:
    """Visits an item asks for as frequency x duration ("2 times a week for 6 weeks", "2x6", "1 times 8");
    of a range of frequencies the upper one. The record's quantity stays null for these; the count
    serves only to compare with a limit."""
    match = _FREQUENCY.search(treatment)
    if not match:
        return None
    return int(number(match.group("per")) * number(match.group("weeks")))


def measure(rationale: str | None, category: str, outcome: str | None, quantity: int | float | None,
            treatment: str = "") -> tuple[GuidelineLimit | None, int | float | None, bool | None]:
    """(guideline_limit, prior_quantity, over_limit) of one decision."""
    prior = find_prior_quantity(rationale, category, treatment)
    course = implied_count(treatment)
    asked = quantity if quantity is not None else course
    # Visits asked as a course ("Physical exam 2 times 8") are measured like therapy, not like one visit.
    measured_as = "Rehabilitation" if category == "Evaluation and management" and course else category
    limit = None
    if rationale and measured_as not in UNLIMITED_CATEGORIES and _UNIT_WORD.search(rationale):
        continued = bool(_CONTINUED.search(treatment) or _HAD_COURSE.search(rationale))
        limit = find_limit(rationale, measured_as, outcome, asked, prior, continued)
    together = prior is not None and bool(_TOGETHER.search(rationale or ""))
    return limit, prior, is_over_limit(asked, prior, limit, together)
