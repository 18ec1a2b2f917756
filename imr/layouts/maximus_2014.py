"""Layout 3, "Maximus letter" (2014): letterhead, a label block, the treatments in dispute, and under
"IMR DECISION(S) AND RATIONALE(S)" one numbered item per treatment: "1. <item> is [not] medically
necessary and appropriate.", then both sides' guidelines and the reviewer's rationale."""
from __future__ import annotations

import re

from imr.fields import Found
from imr.layouts.base import DecisionBlock, LayoutParser, cut_at_closing, find_section, heading_blocks, strip_request_words

_DECISIONS_HEADING = r"IMR\s+DECISION\(?S?\)?\s+AND\s+RATIONALE\(?S?\)?"
_NUMBERED_ITEM = re.compile(
    r"^[ ]*\d{1,2}[.)][ ]+(?P<item>(?:(?![.;]\s)(?!\n[ ]*\n)[^\n]|\n){1,300}?)\s+(?:is|are|was|were)\s+(?P<neg>not\s*)?medically\s+necessary"
    r"(?:\s+and\s+appropriate)?[ ]*\.?", re.IGNORECASE | re.MULTILINE)


class Maximus2014Layout(LayoutParser):
    layout_id = "maximus_2014"
    cues = (r"Treatment\(?s?\)?\s+in\s+Dispute\s+Listed", _DECISIONS_HEADING, r"HOW\s+THE\s+IMR\s+FINAL\s+DETERMINATION\s+WAS\s+MADE",
            r"(?:Physician|Expert)(?:/Expert)?\s+Reviewer\s+based\s+(?:his|her)", r"Final\s+Determination\s*:?\s*(?:UPHOLD|OVERTURN|PARTIAL)",
            r"CLINICAL\s+CASE\s+SUMMARY")
    expected_fields = ("case_number", "date_of_injury", "ur_denial_date", "application_received", "decision_date")

    def decision_blocks(self, text: str) -> list[DecisionBlock]:
        section = find_section(text, _DECISIONS_HEADING)
        if section is None:
            return []
        end = section.start + len(cut_at_closing(text[section.start:]))
        headings = []
        for match in _NUMBERED_ITEM.finditer(text, section.start, end):
            item = match.group("item")
            lead = len(item) - len(strip_request_words(item))
            treatment = Found(" ".join(item[lead:].split()), match.start("item") + lead, match.end("item"))
            outcome = Found("upheld" if match.group("neg") else "overturned", match.end("item"), match.end())
            headings.append((treatment, outcome, match.start(), match.end()))
        return heading_blocks(text, headings, end)
