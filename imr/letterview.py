"""The Letter view's content: extracted fields with their evidence spans, labelled for people ("Item 2 ·
Outcome"), and the letter text as escaped HTML in which the chosen passage, the reason sentences and
search matches are marked. Every character of the (untrusted) letter is escaped: no tag, entity or
link of the letter survives.
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from imr.facets import value_label
from imr.models import Letter

# CommonMark lets any ASCII punctuation be backslash-escaped; escaping all of it leaves no markup,
# no HTML, no Streamlit directive (:color[...]), no emoji shortcode and no LaTeX ($) in the text.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# What GFM's autolink literals look for: "http://", "https://", "www." and the "@" of an address.
_AUTOLINK_SHAPES = re.compile(r"(?i)https?(?=:)|www(?=\.)|(?<=\w)(?=@)")


# Marks in the letter pane. The focus passage is dark amber with white text: 5.0:1 against the white
# page and 5.0:1 for its text (tests/test_letterview.py computes both), so it is seen at a glance.
FOCUS, REASON, MATCH = "focus", "reason", "match"
MARK_STYLE = {
    FOCUS: "background:#B45309;color:#FFFFFF;border-radius:2px;padding:0 1px",
    REASON: "background:#DBEAFE;color:#1F2937;border-bottom:3px solid #1D4ED8",
    MATCH: "background:#FDE047;color:#1F2937;outline:1px solid #854D0E",
}
FOCUS_ID = "imr-focus"
_PRIORITY = (FOCUS, MATCH, REASON)  # where marks overlap, the first wins
_LETTER_STYLE = ("white-space:pre-wrap;font-family:'Source Code Pro',monospace;font-size:0.82rem;"
                 "line-height:1.45;color:#1F2937;overflow-wrap:anywhere")
FIELD_LABELS = {
    "file": "File", "sha256": "SHA-256", "pages": "Pages", "ocr": "Read by OCR", "status": "Status", "error": "Error",
    "warnings": "Warnings", "layout": "Layout", "case_number": "Case number", "date_of_injury": "Date of injury",
    "ur_denial_date": "UR denial date", "application_received": "Application received",
    "date_assigned": "Date assigned", "decision_date": "Decision date", "priority": "Priority",
    "reviewer_licensure": "Reviewer licensure", "reviewer_specialties": "Reviewer specialties",
    "reviewer_specialty_groups": "Reviewer specialty groups", "patient_age": "Patient age", "patient_sex": "Patient sex",
    "body_parts": "Injured body parts", "diagnoses": "Diagnoses", "overall_outcome": "Overall outcome",
    "treatment": "Treatment", "quantity": "Quantity", "outcome": "Outcome", "original_request": "Original request",
    "authorized_portion": "Authorized portion", "category": "Service category", "subcategory": "Subcategory",
    "body_region": "Region treated", "drug": "Drug", "strength": "Strength",
    "claims_administrator_guideline": "Claims administrator's guideline", "reviewer_guideline": "Reviewer's guideline",
    "claims_administrator": "Claims administrator's guideline", "reviewer": "Reviewer's guideline",
    "citations": "Citations", "reasons": "Reasons given", "guideline_limit": "Guideline limit",
    "prior_quantity": "Already had", "over_limit": "Over the limit", "rationale": "Rationale",
}


@dataclass(frozen=True)
class FieldRow:
    field: str  # record key, e.g. "decision_date" or "decisions[0].treatment"
    value: str
    span: tuple[int, int] | None  # where in the letter text the value was found

    @property
    def item(self) -> int | None:
        """The 1-based item a decision field belongs to; None for the letter's own fields."""
        match = _DECISION_KEY.match(self.field)
        return int(match.group(1)) + 1 if match else None

    @property
    def label(self) -> str:
        """"Case number", "Item 2 · Outcome": the name a person reads."""
        match = _DECISION_KEY.match(self.field)
        name = match.group(2) if match else self.field
        return (f"Item {int(match.group(1)) + 1} · " if match else "") + FIELD_LABELS.get(name, name.replace("_", " "))


_DECISION_KEY = re.compile(r"decisions\[(\d+)\]\.(\w+)")


def escape_markdown(text: str) -> str:
    """Literal text: every Markdown character escaped, and URL and e-mail shapes broken with an
    invisible space, because GFM turns them into links after escapes are read."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINK_SHAPES.sub(lambda m: m.group(0) + "\u200b", text))


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "; ".join(_display(item) for item in value)
    if isinstance(value, dict) and "tag" in value:  # a reason
        return value_label("reason", value["tag"])
    if isinstance(value, dict) and "unit" in value:  # a guideline limit
        return f"{value['value']:g} {value['unit']} ({value['text']})"
    if isinstance(value, dict):  # a citation
        matched = value.get("source") or "unmatched"
        matched += f": {value['section']}" if value.get("source") and value.get("section") else ""
        return f"[{value.get('role')}] {value.get('text')} -> {matched} ({value.get('score', 0):.0f})"
    return str(value)


def field_rows(letter: Letter) -> list[FieldRow]:
    """Every field of the record, decisions flattened as decisions[i].field, with its evidence."""
    rows: list[FieldRow] = []
    for key, value in letter.to_dict().items():
        if key != "decisions":
            rows.append(FieldRow(key, _display(value), letter.evidence.get(key)))
            continue
        for index, decision in enumerate(value):
            for name, item in decision.items():
                path = f"decisions[{index}].{name}"
                rows.append(FieldRow(path, _display(item), letter.evidence.get(path)))
    return rows


_LETTER_FIELDS = frozenset(Letter(file="").to_dict())


def focus_key(mark: str, item: int | None) -> str:
    """A link's `mark` ("rationale", "decision_date") as a field key: an item's field when it is not
    one of the letter's own."""
    return f"decisions[{item - 1}].{mark}" if item and mark not in _LETTER_FIELDS else mark


def mark_name(focus: str) -> str:
    """The inverse of `focus_key` for a link: "decisions[1].rationale" -> "rationale"."""
    return focus.rpartition("].")[2] if focus.startswith("decisions[") else focus


def decision_rows(letter: Letter, item: int) -> list[FieldRow]:
    """The fields of one item (1-based), in record order, plus where the letter states them."""
    return [row for row in field_rows(letter) if row.item == item]


def focus_span(letter: Letter, item: int | None, field: str = "outcome") -> tuple[int, int] | None:
    """The passage to open a letter at: one item's field (its outcome by default) widened to the whole
    sentence around it, so the mark reads as a statement; None when the letter gives no span."""
    span = letter.evidence.get(f"decisions[{item - 1}].{field}" if item else field)
    if span is None or not 0 <= span[0] < span[1] <= len(letter.text):
        return None
    return _sentence(letter.text, span) if field == "outcome" else span


def _sentence(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The sentence around `span`: from the previous full stop or blank line to the next full stop,
    never across a blank line (an outcome in a heading stays its heading line)."""
    before = max(text.rfind(". ", 0, span[0]), text.rfind(".\n", 0, span[0]), text.rfind("\n\n", 0, span[0]))
    start = span[0] if before < 0 or span[0] - before > 400 else before + 2
    while start < span[0] and text[start].isspace():
        start += 1
    stop, blank = text.find(".", span[1] - 1), text.find("\n\n", span[1])
    end = stop + 1 if 0 <= stop and stop - span[1] < 200 and (blank < 0 or stop < blank) else span[1]
    return start, max(end, span[1])


def rationale_offsets(text: str, span: tuple[int, int], rationale: str) -> list[int]:
    """For each character of a rationale whose whitespace was collapsed, its offset in `text` (the
    rationale's evidence `span`), aligning the non-space characters; -1 where they do not align."""
    offsets, position = [], span[0]
    for char in rationale:
        if char.isspace():
            offsets.append(position)
            continue
        while position < span[1] and text[position].isspace():
            position += 1
        offsets.append(position if position < span[1] and text[position] == char else -1)
        position += 1
    return offsets


def reason_spans(letter: Letter, item: int) -> list[tuple[int, int, str]]:
    """The reason sentences of one item as (start, end, tag) in the letter text."""
    decision = letter.decisions[item - 1]
    span = letter.evidence.get(f"decisions[{item - 1}].rationale")
    if not decision.reasons or not decision.rationale or span is None:
        return []
    offsets = rationale_offsets(letter.text, span, decision.rationale)
    result = []
    for reason in decision.reasons:
        if 0 <= reason.start < reason.end <= len(offsets) and offsets[reason.start] >= 0 and offsets[reason.end - 1] >= 0:
            result.append((offsets[reason.start], offsets[reason.end - 1] + 1, reason.tag))
    return result


def fields_html(rows: Sequence[FieldRow], item_labels: bool = False) -> str:
    """Fields as a two-column table that wraps long values (a grid would cut them); escaped. A "located"
    mark says the letter's words for the field can be marked in the pane."""
    cells = []
    for row in rows:
        label = row.label if item_labels or row.item is None else row.label.split(" · ", 1)[1]
        located = ' <span title="located in the letter" style="color:#1D4ED8">●</span>' if row.span and row.value else ""
        cells.append(f'<tr><th style="{_FIELD_CELL}font-weight:600;width:38%">{html.escape(label)}{located}</th>'
                     f'<td style="{_FIELD_CELL}">{html.escape(row.value)}</td></tr>')
    return f'<table style="border-collapse:collapse;width:100%;font-size:0.85rem;color:#1F2937">{"".join(cells)}</table>'


_FIELD_CELL = "text-align:left;vertical-align:top;padding:4px 6px;border-bottom:1px solid #E5E7EB;overflow-wrap:anywhere;"


def letter_html(text: str, marks: Sequence[tuple[int, int, str, str]]) -> str:
    """The whole text, escaped, in a pre-wrapped block; `marks` are (start, end, kind, title) with kind
    FOCUS, REASON or MATCH. The first FOCUS mark gets the id the pane scrolls to."""
    marks = [m for m in marks if 0 <= m[0] < m[1] <= len(text)]
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    pieces, focus_placed = [], False
    for start, end in zip(cuts, cuts[1:]):
        covering = [m for m in marks if m[0] <= start and end <= m[1]]
        chunk = html.escape(text[start:end], quote=False)
        if not covering:
            pieces.append(chunk)
            continue
        kind, title = min(((m[2], m[3]) for m in covering), key=lambda kt: _PRIORITY.index(kt[0]))
        ident = ""
        if kind == FOCUS and not focus_placed:
            ident, focus_placed = f' id="{FOCUS_ID}"', True
        pieces.append(f'<mark{ident} class="imr-{kind}" title="{html.escape(title)}" style="{MARK_STYLE[kind]}">{chunk}</mark>')
    return f'<div class="imr-letter" style="{_LETTER_STYLE}">{"".join(pieces)}</div>'


# Scrolls the nearest scrolling box around the focus mark (the letter pane), not the whole page, so the
# fields stay where they are. Our own constant code: no letter text goes into it.
SCROLL_TO_FOCUS = """<script>
(function () {
  let tries = 0;
  function go() {
    const mark = document.getElementById("%s");
    if (!mark) { if (tries++ < 40) setTimeout(go, 100); return; }
    let box = mark.parentElement;
    while (box && !(box.scrollHeight > box.clientHeight + 4 && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) {
      box = box.parentElement;
    }
    if (!box) { mark.scrollIntoView({block: "center"}); return; }
    box.scrollTop += mark.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3;
  }
  go();
})();
</script>""" % FOCUS_ID
