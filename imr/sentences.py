"""A rationale split into sentences, each kept as (start, end) offsets into the text, so that what is
found in a sentence can be shown on its words."""
from __future__ import annotations

import re

# A sentence ends at . ! or ? (a closing quote or bracket may follow) before a space and a capital,
# digit, quote or bracket; but not after an abbreviation or an initial ("Dr. Smith", "e.g. MRI").
_END = re.compile(r"[.!?][\"'\u201d)\]]*\s+(?=[\"'\u201c(\[]?[A-Za-z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:dr|mr|mrs|ms|vs|no|nos|approx|etc|al|fig|ref|pp|p|vol|sec|st|jr|sr|inc|ltd|dept|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)|\b[a-z]|\be\.g|\bi\.e)\.$",
    re.IGNORECASE)
_LOOKBACK = 12


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text, surrounding spaces left out."""
    spans, start = [], 0
    for match in _END.finditer(text):
        head = text[max(start, match.start() - _LOOKBACK): match.start() + 1]
        if _ABBREVIATION.search(head):
            continue
        end = match.end() - len(match.group(0)) + len(match.group(0).rstrip())
        spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans if text[s:e].strip()]
