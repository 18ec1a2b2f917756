"""The laid-out content of a letter, independent of PDF or text output."""
from __future__ import annotations

from dataclasses import dataclass

Pair = tuple[str, str]  # (label as written, value as written)


@dataclass(frozen=True)
class Block:
    """kind: letterhead | title | heading | para | labels | gap.

    `text` may contain newlines (list items, a heading wrapped over two lines).
    `rows` (labels only) holds one or two (label, value) pairs per printed line.
    """

    kind: str
    text: str = ""
    rows: tuple[tuple[Pair, ...], ...] = ()


def heading(text: str) -> Block:
    return Block("heading", text)


def para(text: str) -> Block:
    return Block("para", text)


def labels(pairs: list[Pair], per_line: int) -> Block:
    return Block("labels", rows=tuple(tuple(pairs[i:i + per_line]) for i in range(0, len(pairs), per_line)))


@dataclass(frozen=True)
class RenderStyle:
    """How one letter is typeset: the variation a parser meets in real PDFs."""

    font: str  # fpdf2 core font: helvetica | times | courier
    size: float
    margin_mm: float
    align: str  # "J" justified or "L" left
    header: str  # running header text, holds the case number
    footer: str  # format with {n} (page) and {m} (pages), e.g. "Page {n} of {m}"
    line_factor: float  # line height as a multiple of the font size
