"""Layout 4, "Determination" (2015 onward): a label table on top, credentials as labeled lines,
and one block per item headed "<Item>, Qty: 6: Upheld"."""
from __future__ import annotations

import re

from imr.fields import Found, outcome_word
from imr.items import MODIFIED_REQUEST_CUE, continues_modified_request
from imr.layouts.base import DecisionBlock, LayoutParser, cut_at_closing, find_section, heading_blocks

_DECISIONS_HEADING = r"IMR\s+ISSUES,?\s+DECISIONS,?\s+AND\s+RATIONALES?"
# "<item>: Upheld" with the outcome possibly wrapped onto the next line.
# "<item>: Upheld", with the outcome perhaps wrapped onto the next line, or standing there alone.
_ITEM_LINE = re.compile(r"^(?P<item>[^\n]*?\S)(?:[ ]*[:\-][ \n]*|[ ]*\n[ ]*)(?P<outcome>Upheld|Overturned|Uphold|Overturn)\b[ ]*\.?[ ]*$",
                        re.IGNORECASE | re.MULTILINE)
# A plain item wraps over at most three lines; a modified request's chain of sentences over more.
_WRAPPED_HEADING_LINES = 2
_MODIFIED_REQUEST_LINES = 8


class DeterminationLayout(LayoutParser):
    layout_id = "determination"
    cues = (_DECISIONS_HEADING, r"Decision\s+rationale\s*:", r"MAXIMUS\s+guideline\s*:", r"Claims\s+Administrator\s+guideline\s*:",
            r"Certification\(?s?\)?\s*/\s*Specialty", r"State\(?s?\)?\s+of\s+Licensure", r"Date\s+Assigned", r"Decision\s+Date")
    expected_fields = ("case_number", "date_of_injury", "ur_denial_date", "application_received", "date_assigned",
                       "decision_date", "priority")

    def decision_blocks(self, text: str) -> list[DecisionBlock]:
        section = find_section(text, _DECISIONS_HEADING)
        start = section.start if section else 0
        end = start + len(cut_at_closing(text[start:]))
        headings = []
        for match in _ITEM_LINE.finditer(text, start, end):
            if re.search(r"guideline|rationale|determination|decision", match.group("item"), re.IGNORECASE):
                continue
            item_start = _wrapped_heading_start(text, match.start(), match.end("item"), start)
            treatment = Found(" ".join(text[item_start: match.end("item")].split()), item_start, match.end("item"))
            outcome = Found(outcome_word(match.group("outcome")), match.start("outcome"), match.end("outcome"))
            headings.append((treatment, outcome, item_start, match.end()))
        return heading_blocks(text, headings, end)


def _continues_label(previous: str, candidate: str) -> bool:
    """'... DOS:' above '11/11/2016: Upheld': a label inside the item whose value wrapped, unlike the
    section's lead-in ('... set forth below:') or a sentence."""
    return (previous.endswith(":") and not re.search(r"(?:below|following)\s*:$", previous, re.IGNORECASE)
            and bool(re.match(r"\s*[0-9a-z(#]", candidate)))


def _wrapped_heading_start(text: str, line_start: int, item_end: int, floor: int) -> int:
    """An item heading can wrap: take earlier lines while they do not end a sentence or a label, and
    while a modified request's chain still lacks its first sentence ("X was the original request.")."""
    start, plain_lines = line_start, 0
    for _ in range(_MODIFIED_REQUEST_LINES):
        previous_end = start - 1
        if previous_end <= floor:
            break
        previous_start = text.rfind("\n", floor, previous_end) + 1
        previous = text[previous_start:previous_end].strip()
        if not previous or previous.isupper():
            break
        candidate = text[start:item_end]
        in_chain = continues_modified_request(candidate)
        # A sentence or label ends the heading above; a line ending in "Qty:" or "," is the heading itself.
        continues = re.search(r"(?:Qty|Quantity)\s*:$|,$", previous, re.IGNORECASE) or _continues_label(previous, candidate)
        if previous.endswith((".", ":", ";")) and not continues and not in_chain:
            break
        plain_lines += not MODIFIED_REQUEST_CUE.search(candidate)
        if plain_lines > _WRAPPED_HEADING_LINES:
            break
        start = previous_start
    return start
