"""Layout 1, "Notice" (2013): "Notice of Independent Medical Review Determination". The decisions are
numbered sentences ("1) MAXIMUS Federal Services, Inc. has determined the request for <item> is [not]
medically necessary"); each item's guidelines and rationale follow later under "1) Regarding the
request for <item>:". Dates of the application, UR denial and assignment are stated in prose."""
from __future__ import annotations

import re

from imr.fields import Found
from imr.layouts.base import DecisionBlock, LayoutParser, Span, cut_at_closing, strip_request_words

_DETERMINED = re.compile(
    r"^[ ]*(?P<number>\d{1,2})[.)][ ]+[^\n]{0,80}?\bdetermined\s+(?:that\s+)?(?P<item>(?:(?!\n[ ]*\n)[^\n]|\n){1,400}?)\s+"
    r"(?:is|are|was|were)\s+(?P<neg>not\s*)?medically\s+necessary", re.IGNORECASE | re.MULTILINE)
# The item may hold a colon of its own ("lumbar support: LSO brace:") and wrap onto a second line.
_REGARDING = re.compile(r"^[ ]*(?P<number>\d{1,2})[.)][ ]+Regarding\s+(?:the\s+)?(?:request\s+for\s+)?(?P<item>[^\n]{1,300}?(?:\n[^\n]{1,200}?)?)[ ]*:[ ]*$",
                        re.IGNORECASE | re.MULTILINE)


class Notice2013Layout(LayoutParser):
    layout_id = "notice_2013"
    cues = (r"Notice\s+of\s+Independent\s+Medical\s+Review\s+Determination", r"MAXIMUS\s+Case\s+Number", r"Regarding\s+the\s+request\s+for",
            r"has\s+determined\s+(?:that\s+)?the\s+request", r"INDEPENDENT\s+MEDICAL\s+REVIEW\s+DECISION\s+AND\s+RATIONALE",
            r"Expert\s+Reviewer\s+Case\s+Summary", r"Medical\s+Qualifications\s+of\s+the\s+Expert\s+Reviewer")
    summary_headings = (r"Expert\s+Reviewer\s+Case\s+Summary\s*:?", r"(?:CLINICAL\s+)?CASE\s+SUMMARY\s*:?")
    expected_fields = ("case_number", "date_of_injury", "ur_denial_date", "application_received", "date_assigned", "decision_date")

    def decision_blocks(self, text: str) -> list[DecisionBlock]:
        determined = list(_DETERMINED.finditer(text))
        regarding = list(_REGARDING.finditer(text))
        end = len(text)
        if regarding:
            end = regarding[-1].end() + len(cut_at_closing(text[regarding[-1].end():]))
        bodies = {}
        for index, match in enumerate(regarding):
            body_end = regarding[index + 1].start() if index + 1 < len(regarding) else end
            bodies.setdefault(match.group("number"), Span(match.end(), body_end))
        blocks, seen = [], set()
        for match in determined:
            item = match.group("item")
            # Some notices print their decision sentences twice: the same number and item count once.
            key = (match.group("number"), " ".join(item.lower().split()))
            if key in seen:
                continue
            seen.add(key)
            lead = len(item) - len(strip_request_words(item))
            treatment = Found(" ".join(item[lead:].split()), match.start("item") + lead, match.end("item"))
            outcome = Found("upheld" if match.group("neg") else "overturned", match.end("item"), match.end())
            body = bodies.get(match.group("number"))
            position = len(blocks)
            if body is None and position < len(regarding):
                body = Span(regarding[position].end(), bodies[regarding[position].group("number")].end)
            blocks.append(DecisionBlock(treatment, outcome, body or Span(match.end(), match.end())))
        return blocks
