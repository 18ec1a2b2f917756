"""Letters to PDF (fpdf2, core fonts, no embedding) and to plain text."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from fpdf import FPDF

from synth.blocks import Block, RenderStyle

if TYPE_CHECKING:
    from synth.letters import SyntheticLetter

# Fixed so that the same seed gives byte-identical PDFs.
CREATION_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
PAGES_ALIAS = "{m}"
PT_TO_MM = 0.3528
MAX_FONT_SIZE = 14
LABEL_GAP = "   "  # between two labels on one text line


class _LetterPDF(FPDF):
    def __init__(self, style: RenderStyle) -> None:
        super().__init__(format="letter", unit="mm")
        self.style_ = style
        self.alias_nb_pages(PAGES_ALIAS)
        self.set_margins(style.margin_mm, style.margin_mm + 4, style.margin_mm)
        self.set_auto_page_break(True, margin=style.margin_mm + 6)
        self.set_creation_date(CREATION_DATE)
        self.set_producer("IMR synthetic letter generator")

    def header(self) -> None:
        self.set_font(self.style_.font, "", 8)
        self.cell(0, 4, self.style_.header, align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-(self.style_.margin_mm + 2))
        self.set_font(self.style_.font, "", 8)
        text = self.style_.footer.format(n=self.page_no(), m=PAGES_ALIAS)
        self.cell(0, 4, text, align="C", new_x="LMARGIN", new_y="NEXT")


def _line_height(style: RenderStyle, size: float) -> float:
    return size * PT_TO_MM * style.line_factor


def _write_block(pdf: _LetterPDF, block: Block) -> None:
    style = pdf.style_
    if block.kind == "letterhead":
        first, _, rest = block.text.partition("\n")
        pdf.set_font(style.font, "B", style.size + 4)
        pdf.cell(0, _line_height(style, style.size + 4), first, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(style.font, "", style.size - 1)
        pdf.multi_cell(0, _line_height(style, style.size - 1), rest, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
        pdf.ln(4)
    elif block.kind == "title":
        pdf.set_font(style.font, "B", style.size + 2)
        pdf.multi_cell(0, _line_height(style, style.size + 2), block.text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    elif block.kind == "heading":
        pdf.set_font(style.font, "B", style.size)
        pdf.multi_cell(0, _line_height(style, style.size), block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    elif block.kind == "labels":
        pdf.set_font(style.font, "", style.size)
        column = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
        for row in block.rows:
            for label, value in row:
                pdf.cell(column if len(row) > 1 else 0, _line_height(style, style.size), f"{label} {value}")
            pdf.ln(_line_height(style, style.size))
        pdf.ln(3)
    else:  # para
        pdf.set_font(style.font, "", style.size)
        for line in block.text.split("\n"):
            pdf.multi_cell(0, _line_height(style, style.size), line, align=style.align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(_line_height(style, style.size) * 0.6)


def _typeset(letter: SyntheticLetter, style: RenderStyle) -> _LetterPDF:
    pdf = _LetterPDF(style)
    pdf.set_title(f"IMR Final Determination {letter.truth['case_number']}")
    pdf.add_page()
    for block in letter.blocks:
        _write_block(pdf, block)
    return pdf


def render_pdf(letter: SyntheticLetter) -> bytes:
    # Published letters run 2-5 pages: a short letter is set in larger type rather than on one page.
    style = letter.style
    pdf = _typeset(letter, style)
    while pdf.pages_count < 2 and style.size < MAX_FONT_SIZE:
        style = replace(style, size=style.size + 1, line_factor=max(style.line_factor, 1.5))
        pdf = _typeset(letter, style)
    return bytes(pdf.output())


def _text_block(block: Block) -> str:
    if block.kind == "labels":
        return "\n".join(LABEL_GAP.join(f"{label} {value}" for label, value in row) for row in block.rows)
    return block.text


def render_text(letter: SyntheticLetter) -> str:
    """The letter as a plain .txt file: case number header, blocks, no page furniture."""
    return "\n\n".join([letter.style.header] + [_text_block(b) for b in letter.blocks]) + "\n"
