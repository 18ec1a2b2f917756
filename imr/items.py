"""A disputed item's heading -> the item IMR decided, its quantity, and for a modified request the
original request and the portion UR authorized.

Real letters head a modified request with up to three sentences ("X was the original request. Y was
authorized by the Claims Administrator. The remaining IMR eligible portion of the original request,
Z is: Upheld", or "... leaving the original request IMR eligible. The original request, X is: ...");
the item decided is the last one named. Quantities follow the conventions in
tests/real_letters/README.md: a count that closes the name leaves it, a count inside it stays.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from imr.clean import collapse_whitespace

Quantity = int | float


@dataclass(frozen=True)
class ItemHeading:
    treatment: str
    quantity: Quantity | None = None
    original_request: str | None = None
    authorized_portion: str | None = None


# --- modified requests ---------------------------------------------------------------------------
_BY_UR = r"(?:the\s+)?(?:claims\s+administrator|utilization\s+review|UR|prior\s+reviewer)"
_ORIGINAL = re.compile(r"^(?P<text>.+?)\s+(?:was|were|is)\s+the\s+original\s+request$", re.IGNORECASE)
_AUTHORIZED = (
    re.compile(rf"^(?P<text>.+?)\s+(?:was|were|has\s+been|had\s+been)\s+(?:authorized|certified|approved)\s+by\s+{_BY_UR}$", re.IGNORECASE),
    re.compile(rf"^{_BY_UR}\s+(?:authorized|certified|approved|modified\s+the\s+request\s+to)\s+(?P<text>.+?)"
               r"(?:,?\s+leaving\s+the\s+original\s+request\s+(?:as\s+)?IMR\s+eligible)?$", re.IGNORECASE),
)
_LEAVING = re.compile(r"^leaving\s+the\s+original\s+request\s+(?:as\s+)?IMR\s+eligible$", re.IGNORECASE)
_DECIDED = (
    re.compile(r"^(?:the\s+)?remaining\s+(?:IMR[\s-]+eligible\s+)?portion\s+of\s+the\s+(?:original\s+)?request\s*(?:,|\bis\b|\bfor\b|:)?\s*(?P<text>.+)$",
               re.IGNORECASE),
    re.compile(r"^the\s+original\s+request\s*(?:,|\bis\b|:)\s*(?P<text>.+)$", re.IGNORECASE),
)
# Sentences of a heading: a period ends one only before a capital or a digit, never inside
# "7.5mg" or "0.0325%".
_SENTENCE_END = re.compile(r"(?<=[^\s.])\.\s+(?=[A-Z0-9\"'])")
MODIFIED_REQUEST_CUE = re.compile(r"original\s+request|IMR\s+eligible|authorized\s+by\s+the\s+claims", re.IGNORECASE)


def parse_item_heading(heading: str) -> ItemHeading:
    """'Norco 10/325mg #60' -> Norco 10/325mg, 60; a modified request's three sentences -> the
    decided item with its quantity, and the original request and authorized portion as written."""
    text = _strip_heading_tail(collapse_whitespace(heading))
    original = authorized = decided = None
    if MODIFIED_REQUEST_CUE.search(text):
        for sentence in (s.strip(" ,") for s in _SENTENCE_END.split(text)):
            if match := _ORIGINAL.match(sentence):
                original = _unquote(match.group("text"))
            elif _LEAVING.match(sentence):
                continue
            elif (match := _first_match(_AUTHORIZED, sentence)) is not None:
                authorized = _unquote(match.group("text"))
            elif (match := _first_match(_DECIDED, sentence)) is not None:
                decided = _strip_heading_tail(_unquote(match.group("text")))
            elif original is None and authorized is None:
                decided = sentence  # prose before the chain is not part of it
    if original is None and authorized is None:
        treatment, quantity = split_quantity(text)
        return ItemHeading(treatment, quantity)
    treatment, quantity = split_quantity(decided or original or text)
    return ItemHeading(treatment, quantity, original, authorized)


def continues_modified_request(text: str) -> bool:
    """Whether `text` starts inside a modified request's chain (with its authorized portion or its
    decided remainder), so that the heading begins at an earlier sentence."""
    first = _SENTENCE_END.split(collapse_whitespace(text), 1)[0].strip(" ,")
    return bool(_LEAVING.match(first) or _first_match(_AUTHORIZED, first) or _first_match(_DECIDED, first))


def _first_match(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    return next((m for m in (p.match(text) for p in patterns) if m), None)


def _strip_heading_tail(text: str) -> str:
    """'..., Z is' (the words before ': Upheld') -> '..., Z'."""
    return re.sub(r"(?:\s+(?:is|are|was))+$", "", text.strip(" .:;,"), flags=re.IGNORECASE)


def _unquote(text: str) -> str:
    return text.strip().strip("\"'\u201c\u201d").strip()


# --- quantities ----------------------------------------------------------------------------------
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "eighteen": 18,
    "twenty": 20, "twenty-four": 24, "thirty": 30, "sixty": 60, "ninety": 90,
}
_WORD = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_COUNT = rf"(?:\d{{1,4}}|{_WORD})"
_UNITS = r"(?:sessions?|visits?|treatments?)"
_QUANTITY_LABEL = re.compile(r"[,;]?\s*\(?\b(?:Qty|Quantity)\s*[:.#]?\s*(\d{1,5}(?:\.\d+)?)\)?", re.IGNORECASE)
_UNKNOWN = re.compile(r"[,;]?\s*\((?:unknown|unspecified|no)\s+quantity(?:\s+\w+)?\)\s*$", re.IGNORECASE)
# Forms that close a name and leave it: "#120", "x 8", "times 6" (not "2 times 6"), "(8)",
# "(6 sessions)", "12 visits", "six sessions", ", 2".
_CLOSING = re.compile(
    rf"(?:[,;]?\s*#\s?(?P<hash>\d{{1,5}})|\s+x\s?(?P<x>\d{{1,4}})|\s+times\s+(?P<times>\d{{1,4}})"
    rf"|[,;]?\s*\((?P<paren>\d{{1,4}})(?:\s+{_UNITS})?\)|[,;]?\s+(?:for\s+)?(?<![-\d])(?P<units>{_COUNT})\s+{_UNITS}|,\s*(?P<bare>\d{{1,4}}))\s*$",
    re.IGNORECASE)
_HASH = re.compile(r"#\s?(\d{1,5})\b")
_RANGE = re.compile(rf"\b\d{{1,3}}\s?(?:-|to)\s?(\d{{1,3}})\s+{_UNITS}", re.IGNORECASE)
_INNER_COUNT = re.compile(
    rf"\(\s?(\d{{1,4}})\s?\)\s+(?:\w+\s+){{0,3}}?{_UNITS}|\(\s?(\d{{1,4}})\s+(?:{_UNITS}|tablets?|capsules?)\s?\)|\b({_COUNT})\s+(?:\w+\s+){{0,3}}?{_UNITS}\b(?!\s*(?:per|a|each|/)\s*(?:week|day|month)|\s+weekly)"
    rf"|\b{_UNITS}\s+(?:x|times)\s?(\d{{1,4}})\b",
    re.IGNORECASE)
# "One (1) x-ray", "1 knee scooter", "One injection": a count opening the item (not a duration).
_LEADING_COUNT = re.compile(rf"^(?:(?:{_WORD})\s+\((\d{{1,3}})\)|(\d{{1,3}}|{_WORD}))\s+(?=[A-Za-z])"
                            r"(?!(?:sessions?|visits?|treatments?|times|months?|weeks?|days?|hours?|years?|phase|levels?|views?|dimensional)\b|x\s?\d)", re.IGNORECASE)
_AMOUNT = re.compile(r"(?<![/\d.])(\d{1,4}(?:\.\d+)?)\s?(?:grams?|gm|g|ml|oz)\b(?!\s*/)", re.IGNORECASE)


def split_quantity(written: str) -> tuple[str, Quantity | None]:
    """'Myofascial Therapy for Neck, Qty: 6' -> ('Myofascial Therapy for Neck', 6); a count closing the
    name leaves it ('Norco 10/325mg #120'); one inside stays ('Norco 10/325mg #60 with 2 refills');
    a range stays whole and counts its upper bound ('Physical therapy 12-18 sessions' -> 18)."""
    name = collapse_whitespace(written).strip(" ,;:")
    if unknown := _UNKNOWN.search(name):
        return name[: unknown.start()].strip(" ,;:"), None
    if labeled := _QUANTITY_LABEL.search(name):
        rest = (name[: labeled.start()] + name[labeled.end():]).strip(" ,;:")
        return rest, _number(labeled.group(1))
    closing = _CLOSING.search(name)
    if closing and name[: closing.start()].strip(" ,;:") and not _is_rate(name, closing):
        return name[: closing.start()].strip(" ,;:"), _number(next(g for g in closing.groups() if g))
    return name, _inner_quantity(name)


_RATE_BEFORE = re.compile(rf"\b(?:\d{{1,3}}|{_WORD})\s*$", re.IGNORECASE)


def _is_rate(name: str, closing: re.Match[str]) -> bool:
    """'2 times 8' and 'x 6' after a count are frequency x duration, not a count of units."""
    if not (closing.group("times") or closing.group("x")):
        return False
    return bool(_RATE_BEFORE.search(name[: closing.start()]))


def _inner_quantity(name: str) -> Quantity | None:
    for pattern in (_HASH, _RANGE, _INNER_COUNT, _LEADING_COUNT, _AMOUNT):
        if match := pattern.search(name):
            return _number(next(g for g in match.groups() if g))
    return None


def _number(written: str) -> Quantity:
    word = written.lower()
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    value = float(written)
    return int(value) if value.is_integer() else value
