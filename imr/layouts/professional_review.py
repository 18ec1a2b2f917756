"""Layout 2, "Medical professional review" (2013-2014): sections ISSUE AT DISPUTE, CASE SUMMARY,
DOCUMENTS REVIEWED, MEDICAL TREATMENT GUIDELINE(S) RELIED UPON ..., RATIONALE FOR WHY ... .
Items are listed under the issue heading; each item's outcome is stated only in its rationale.
The guideline and rationale sections come once per item, or once with numbered parts."""
from __future__ import annotations

import re

from imr.fields import Found
from imr.layouts.base import (
    GUIDELINE_HEADING, RATIONALE_HEADING, DecisionBlock, LayoutParser, Span, cut_at_closing, find_all_sections, strip_request_words,
)

_ISSUES_HEADING = r"ISSUE(?:S|\(S\))?\s+AT\s+DISPUTE\s*:?"
_TABLE_HEADER = re.compile(r"treatment\s*/\s*service|^\s*(?:no\.?|#|item)\s+\w+.*(?:requested|disputed|service)", re.IGNORECASE)
_ITEM_NUMBER = re.compile(r"\s*(?:\d{1,2}\s+)?")
# An item's mark: "1.", "1)", "(1)", "A.", "(a)", a bullet, or a label ("Item 2 -", "Item 1 (the injection):").
_ITEM_MARK = (r"(?:\d{1,2}[.)]|\(\d{1,2}\)|[A-H][.)]|\([A-Ha-h]\)|[-*\u2022]|"
              r"(?:Item|Request|Issue)[ ]+(?:\d{1,2}|[A-H])(?:[ ]*\([^)\n]{1,60}\))?[ ]*[-:.)\u2013])")
_NUMBERED = re.compile(rf"^[ ]*{_ITEM_MARK}[ ]+", re.MULTILINE)
_ISSUE_WORDING = re.compile(
    r"^(?:(?:is|was|are|were|whether)\s+)?(?:the\s+)?(?:request(?:ed)?\s+(?:for\s+)?)?|\s*(?:is|was|are|were)?\s*(?:medically\s+necessary\s+and\s+appropriate|medically\s+necessary)\s*[?.]?\s*$",
    re.IGNORECASE)


class ProfessionalReviewLayout(LayoutParser):
    layout_id = "professional_review"
    cues = (r"MEDICAL\s+PROFESSIONAL\s+REVIEW", _ISSUES_HEADING, r"RELIED\s+UPON\s+BY\s+(?:THE\s+)?PROFESSIONAL\s+REVIEWER",
            r"RATIONALE\s+FOR\s+WHY\s+THE\s+REQUESTED", r"MEDICAL\s+REVIEWER\s+QUALIFICATIONS")
    expected_fields = ("case_number", "date_of_injury")

    def decision_blocks(self, text: str) -> list[DecisionBlock]:
        issues = find_all_sections(text, _ISSUES_HEADING)
        if not issues:
            return []
        items = _split_items(text, issues[0])
        rationale_sections = [Span(s.start, s.start + len(cut_at_closing(s.of(text)))) for s in find_all_sections(text, RATIONALE_HEADING)]
        if len(items) == 1 < len(rationale_sections):
            items = _items_in_a_sentence(items[0], len(rationale_sections)) or items
        guidelines = _per_item(text, find_all_sections(text, GUIDELINE_HEADING), items)
        rationales = _per_item(text, rationale_sections, items, headed=True)
        blocks = []
        for index, treatment in enumerate(items):
            body = rationales[index] if index < len(rationales) else Span(treatment.end, treatment.end)
            guideline = guidelines[index] if index < len(guidelines) else None
            blocks.append(DecisionBlock(treatment, None, body, guideline, body_is_rationale=True))
        return blocks


def _split_items(text: str, section: Span) -> list[Found[str]]:
    """The items under ISSUE AT DISPUTE: numbered or bulleted entries, else one per line."""
    content = section.of(text)
    starts = [m.end() for m in _NUMBERED.finditer(content)]
    if starts:
        ends = [m.start() for m in _NUMBERED.finditer(content)][1:] + [len(content.rstrip())]
        pieces = list(zip(starts, ends))
    else:
        # One item a line, as in a table of disputed items: skip its header row, drop its item numbers.
        pieces = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", content) if not _TABLE_HEADER.search(m.group(0))]
        pieces = [(start + len(_ITEM_NUMBER.match(content[start:end]).group(0)), end) for start, end in pieces]
    items = []
    for start, end in pieces:
        raw = content[start:end]
        name = " ".join(_ISSUE_WORDING.sub("", strip_request_words(" ".join(raw.split()))).split())
        if name:
            items.append(Found(name, section.start + start, section.start + end))
    return items


_LIST_SENTENCE = re.compile(r"^(?:the\s+)?(?:disputed\s+(?:items?|treatments?|services?)|(?:items?|treatments?|services?)\s+in\s+dispute|"
                            r"requested\s+(?:items?|treatments?|services?))\s+(?:are|were|include)\s+", re.IGNORECASE)


def _items_in_a_sentence(item: Found[str], count: int) -> list[Found[str]]:
    """"The disputed items are a lumbar MRI and 8 sessions of chiropractic care." -> its items, when
    there are as many as the letter has rationales (else "and" may be part of a name)."""
    lead = _LIST_SENTENCE.match(item.value)
    if not lead:
        return []
    names = [re.sub(r"^(?:a|an|the)\s+", "", piece.strip(" .")) for piece in re.split(r",\s*(?:and\s+)?|\s+and\s+", item.value[lead.end():])]
    names = [name for name in names if name]
    return [Found(name, item.start, item.end) for name in names] if len(names) == count else []


def _per_item(text: str, sections: list[Span], items: list[Found[str]], headed: bool = False) -> list[Span]:
    """One span per item: the sections themselves when there is one per item, else the numbered
    parts of the single section, else that whole section for a single item. `headed`: a part starts
    after its item's mark and heading (a rationale), not at the mark (a guideline keeps "Item 1 (...):")."""
    count = len(items)
    if len(sections) >= count or not sections:
        # One section per item: the next item's numbered question may follow a section without a heading.
        return [_until_next_item(text, section, index + 2, items[index + 1].value if index + 1 < count else None)
                for index, section in enumerate(sections)]
    content = sections[0].of(text)
    numbered = list(re.finditer(rf"^[ ]*{_ITEM_MARK}[ ]+", content, re.MULTILINE))
    if len(numbered) >= count:
        bounds = [m.start() for m in numbered] + [len(content)]
        starts = [_after_item_heading(content, numbered[i], items[i].value if i < count else "") if headed else bounds[i]
                  for i in range(len(numbered))]
        return [Span(sections[0].start + starts[i], sections[0].start + bounds[i + 1]) for i in range(len(numbered))]
    return sections


_HEADING_NAME = re.compile(r"[^:\n]{1,150}?:[ \t]*(?:\n[ \t]*)?")


def _after_item_heading(content: str, mark: re.Match[str], treatment: str) -> int:
    """Where a numbered part's rationale starts: after its mark and, when the words up to a colon name
    the item ("(2) Physical therapy (12 visits): ..."), after them too; "2. The MTUS states: ..." keeps its words."""
    heading = _HEADING_NAME.match(content, mark.end())
    if heading:
        words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", treatment)}
        if words & {w.lower() for w in re.findall(r"[A-Za-z]{4,}", heading.group(0))}:
            return heading.end()
    return mark.end()


def _until_next_item(text: str, span: Span, number: int, name: str | None) -> Span:
    """The span up to the next item's numbered line ("2. Is the Urine drug screen ..."), if it follows.
    A numbered line that does not name that item ("2. Subjective clinical findings") is the
    rationale's own list."""
    word = next((w for w in re.findall(r"[A-Za-z]{3,}", name or "")), None)
    if word is None:
        return span
    numbered = re.search(rf"^[ ]*{number}[.)][ ]+(?=[^\n]{{0,80}}?{re.escape(word)})", span.of(text), re.MULTILINE | re.IGNORECASE)
    return Span(span.start, span.start + numbered.start()) if numbered else span
