"""The Letter view's content: extracted fields with their evidence spans, and the letter text as
Markdown in which every character of the (untrusted) letter is literal and one passage is highlighted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from imr.models import Letter

# CommonMark lets any ASCII punctuation be backslash-escaped; escaping all of it leaves no markup,
# no HTML, no Streamlit directive (:color[...]), no emoji shortcode and no LaTeX ($) in the text.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
HIGHLIGHT = "orange-background"
# What GFM's autolink literals look for: "http://", "https://", "www." and the "@" of an address.
_AUTOLINK_SHAPES = re.compile(r"(?i)https?(?=:)|www(?=\.)|(?<=\w)(?=@)")


@dataclass(frozen=True)
class FieldRow:
    field: str  # record key, e.g. "decision_date" or "decisions[0].treatment"
    value: str
    span: tuple[int, int] | None  # where in the letter text the value was found


def escape_markdown(text: str) -> str:
    """Literal text: every Markdown character escaped, and URL and e-mail shapes broken with an
    invisible space, because GFM turns them into links after escapes are read."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINK_SHAPES.sub(lambda m: m.group(0) + "\u200b", text))


def _lines_as_markdown(text: str, highlighted: bool) -> list[str]:
    lines = [escape_markdown(line.rstrip("\r")) for line in text.split("\n")]
    return [f":{HIGHLIGHT}[**{line}**]" if highlighted and line.strip() else line for line in lines]


def highlighted_markdown(text: str, span: tuple[int, int] | None) -> str:
    """The whole text as literal Markdown with hard line breaks; `span` highlighted line by line."""
    if span is None or not 0 <= span[0] < span[1] <= len(text):
        parts = [(text, False)]
    else:
        start, end = span
        parts = [(text[:start], False), (text[start:end], True), (text[end:], False)]
    # A part that ends mid-line continues on the same output line as the next part.
    lines: list[str] = [""]
    for part, highlighted in parts:
        part_lines = _lines_as_markdown(part, highlighted)
        lines[-1] += part_lines[0]
        lines.extend(part_lines[1:])
    # Leading blanks would make a line an indented code block.
    return "  \n".join(line.lstrip(" \t\f\v") for line in lines)


def excerpt(text: str, span: tuple[int, int], context: int = 300) -> tuple[str, tuple[int, int]]:
    """The passage with up to `context` characters either side, cut at line ends, and its span in it."""
    start = text.rfind("\n", 0, max(0, span[0] - context)) + 1
    end = text.find("\n", min(len(text), span[1] + context))
    end = len(text) if end == -1 else end
    return text[start:end], (span[0] - start, span[1] - start)


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_display(item) for item in value)
    if isinstance(value, dict):  # a citation
        matched = f"{value.get('source')}: {value.get('section')}" if value.get("source") else "unmatched"
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
