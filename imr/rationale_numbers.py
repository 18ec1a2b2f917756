"""Numbers in a rationale, read for the guideline limit (imr.guideline_limits) and the prior count
(imr.prior_quantity): numbers as digits or words ("twenty-four"), a search for them only near unit words
(a search at every position of every sentence would cost more than the rest of the reason finding), and
the rationale's sentences, those inside a quotation counted as the guideline's text, not the reviewer's."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from imr.reasons import sentences

_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty")
_WORDS = {word: value for value, word in enumerate(_ONES, 1)} | {word: 20 + 10 * i for i, word in enumerate(_TENS)}
# Numbers as words, "twenty-four" and "twenty four" too; the longer words first, so that "fourteen" is not read as "four".
NUMBER_WORD = (r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(_ONES[:9]) + r"))?|"
                + "|".join(sorted(_ONES, key=len, reverse=True)) + ")")
NUMBER = r"(?:\d{1,3}(?:\.\d)?|" + NUMBER_WORD + ")"
# A cheap test before the long patterns: most sentences that name visits or weeks hold no number at all.
HAS_NUMBER = re.compile(r"\d|\b" + NUMBER_WORD + r"\b", re.IGNORECASE)
BEFORE, AFTER = 90, 80  # characters a limit or a prior count spans before and after its unit word
_LONGEST_QUOTE = 6  # sentences
# "According to the guidelines as stated above, ... within 8-10 visits": the reviewer applies what was quoted.
_APPLIES_ABOVE = re.compile(r"\b(?:as (?:stated|noted|cited|quoted|outlined|discussed|mentioned) above|the above[- ](?:cited |referenced )?guidelines?)\b", re.IGNORECASE)


def number(word: str) -> int | float:
    word = word.lower()
    if word[0].isalpha():  # "twenty-four" = 20 + 4
        return sum(_WORDS[part] for part in re.split(r"[- ]", word))
    value = float(word)
    return int(value) if value.is_integer() else value


def around_units(pattern: re.Pattern[str], text: str, start: int, end: int, units: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """The matches of `pattern` in text[start:end] that hold a unit word, searched for only near those words."""
    searched_to = start
    for unit in units.finditer(text, start, end):
        if unit.start() < searched_to:
            continue
        for match in pattern.finditer(text, max(searched_to, unit.start() - BEFORE), min(end, unit.end() + AFTER)):
            if match.start() <= unit.start() and unit.end() <= match.end():
                searched_to = match.end()
                yield match
                break


@lru_cache(maxsize=64)  # asked several times for one decision's rationale
def findings(rationale: str) -> tuple[tuple[int, str, bool], ...]:
    """(index, sentence, whether it is the reviewer's finding) of each sentence of the rationale."""
    found = []
    quoted_to, straight, curly, open_since = 0, 0, 0, 0
    for index, part in enumerate(sentences(rationale)):
        sentence, applied = rationale[part.start:part.end], part.applied
        # A sentence inside a quotation opened before it is the guideline's text, whatever its words;
        # a mark left open for longer than a guideline passage runs is a stray one.
        opened = rationale[quoted_to:part.start]
        straight, curly, quoted_to = straight + opened.count('"'), curly + opened.count("\u201c") - opened.count("\u201d"), part.start
        if not (straight % 2 or curly > 0):
            open_since = index
        elif index - open_since > _LONGEST_QUOTE:
            straight, curly, open_since = 0, 0, index
        if straight % 2 or curly > 0:
            applied = False
        elif "above" in sentence and _APPLIES_ABOVE.search(sentence):
            applied = True
        found.append((index, sentence, applied))
    return tuple(found)
