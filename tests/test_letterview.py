from __future__ import annotations

from imr.letterview import (
    FOCUS, FOCUS_ID, MARK_STYLE, REASON, decision_rows, escape_markdown, field_rows, fields_html, focus_key, focus_span,
    letter_html,
    mark_name, reason_spans,
)
from imr.models import Citation, Decision, Letter, Reason

HOSTILE = "Case: <script>alert(1)</script> <img src=x onerror=alert(1)> :red[x] **b** $x$ [l](javascript:1)"


def test_escaping_leaves_no_markup_character_unescaped():
    escaped = escape_markdown(HOSTILE)
    for char in "<>[]()*$:!":
        assert char not in escaped.replace("\\" + char, "")
    assert escaped.replace("\\", "") == HOSTILE.replace("\\", "")


def test_field_rows_flatten_decisions_with_evidence():
    letter = Letter(file="a.txt", case_number="CM1", text="Case Number: CM1",
                    decisions=[Decision("MRI", outcome="upheld",
                                        citations=[Citation("reviewer", "ODG Knee", "ODG", "Knee", None, 91.0)])],
                    evidence={"case_number": (13, 16), "decisions[0].treatment": (0, 4)})
    rows = {row.field: row for row in field_rows(letter)}
    assert rows["case_number"].value == "CM1" and rows["case_number"].span == (13, 16)
    assert rows["decisions[0].treatment"].span == (0, 4)
    assert rows["decisions[0].outcome"].span is None
    assert rows["decisions[0].citations"].value == "[reviewer] ODG Knee -> ODG: Knee (91)"
    assert rows["file"].value == "a.txt"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_mark_stands_out_from_the_page_and_its_text_reads():
    style = dict(part.split(":", 1) for part in MARK_STYLE[FOCUS].split(";"))
    assert contrast(style["background"], "#FFFFFF") >= 3.0  # against the page (theme backgroundColor)
    assert contrast(style["background"], style["color"]) >= 4.5


def test_letter_html_escapes_everything_and_marks_spans():
    text = HOSTILE + "\nThe request is not medically necessary."
    start = text.index("The request")
    out = letter_html(text, [(start, len(text), FOCUS, "Item 1 · Outcome"), (0, 5, REASON, "<b>t</b>")])
    assert "<script>" not in out and "<img" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert out.count(f'id="{FOCUS_ID}"') == 1
    assert f'<mark id="{FOCUS_ID}" class="imr-focus" title="Item 1 · Outcome"' in out
    assert 'title="&lt;b&gt;t&lt;/b&gt;"' in out
    assert "The request is not medically necessary.</mark>" in out
    assert "<mark" not in letter_html("abc", [(2, 99, FOCUS, "x")])  # a span past the text is ignored


def test_overlapping_marks_give_the_focus_priority():
    out = letter_html("abcdefgh", [(0, 6, REASON, "r"), (2, 4, FOCUS, "f")])
    assert out.index('class="imr-reason"') < out.index('class="imr-focus"')
    assert '>cd</mark>' in out and out.count("<mark") == 3


def test_items_are_numbered_from_one_with_human_field_names():
    letter = Letter(file="a.txt", case_number="CM1", text="x",
                    decisions=[Decision("MRI", outcome="upheld"), Decision("PT", outcome="overturned")])
    rows = field_rows(letter)
    labels = {row.field: row.label for row in rows}
    assert labels["decisions[1].outcome"] == "Item 2 · Outcome" and labels["case_number"] == "Case number"
    assert [row.value for row in decision_rows(letter, 2) if row.field.endswith("treatment")] == ["PT"]
    assert "nan" not in " ".join(row.value for row in rows)


def test_the_outcome_passage_widens_to_its_sentence():
    text = "Summary here. Therefore the requested MRI is not medically necessary. Next part."
    start = text.index("is not medically")
    letter = Letter(file="a", text=text, decisions=[Decision("MRI", outcome="upheld")],
                    evidence={"decisions[0].outcome": (start, start + len("is not medically necessary"))})
    span = focus_span(letter, 1)
    assert text[span[0]:span[1]] == "Therefore the requested MRI is not medically necessary."
    assert focus_span(letter, 2) is None


def test_reason_sentences_map_from_the_collapsed_rationale_to_the_letter():
    text = "Header\nDecision rationale: Guidelines   do not\nrecommend it. No functional\n  improvement was shown.\n"
    start = text.index("Guidelines")
    rationale = " ".join(text[start:].split())
    sentence = "No functional improvement was shown."
    reasons = [Reason("not_recommended", 0, rationale.index(".") + 1),
               Reason("no_functional_improvement", rationale.index(sentence), rationale.index(sentence) + len(sentence))]
    letter = Letter(file="a", text=text, decisions=[Decision("PT", outcome="upheld", rationale=rationale, reasons=reasons)],
                    evidence={"decisions[0].rationale": (start, len(text))})
    spans = reason_spans(letter, 1)
    assert [text[a:b] for a, b, _ in spans] == ["Guidelines   do not\nrecommend it.", "No functional\n  improvement was shown."]
    assert [tag for _, _, tag in spans] == ["not_recommended", "no_functional_improvement"]


def test_an_outcome_in_a_heading_stays_its_heading_line():
    text = "Items:\n\nNorco 10/325mg #60: Upheld\n\nClaims Administrator guideline: MTUS, page 74."
    start = text.index("Upheld")
    letter = Letter(file="a", text=text, decisions=[Decision("Norco", outcome="upheld")],
                    evidence={"decisions[0].outcome": (start, start + 6)})
    span = focus_span(letter, 1)
    assert text[span[0]:span[1]] == "Norco 10/325mg #60: Upheld"


def test_marks_in_links_map_to_field_keys_and_back():
    assert focus_key("rationale", 2) == "decisions[1].rationale" and mark_name("decisions[1].rationale") == "rationale"
    assert focus_key("decision_date", 2) == "decision_date" and mark_name("decision_date") == "decision_date"
    assert focus_key("rationale", None) == "rationale"  # no item: left as is (the pane ignores an unknown key)


def test_fields_table_escapes_and_marks_located_fields():
    letter = Letter(file="<b>a</b>.txt", case_number="CM1", text="Case Number: CM1",
                    decisions=[Decision("<img src=x onerror=alert(1)>", outcome="upheld")],
                    evidence={"case_number": (13, 16)})
    rows = field_rows(letter)
    out = fields_html([row for row in rows if row.item is None])
    assert "&lt;b&gt;a&lt;/b&gt;.txt" in out and "<b>" not in out
    assert out.count("●") == 1 and "Case number" in out
    item = fields_html(decision_rows(letter, 1))
    assert "&lt;img src=x onerror=alert(1)&gt;" in item and "<img" not in item and ">Treatment<" in item


def test_a_citation_matched_to_a_whole_chapter_shows_no_none():
    letter = Letter(file="a", text="x", decisions=[Decision("MRI", citations=[Citation("reviewer", "ACOEM ch 9", "ACOEM", None, None, 100.0)])])
    value = next(row.value for row in field_rows(letter) if row.field == "decisions[0].citations")
    assert value == "[reviewer] ACOEM ch 9 -> ACOEM (100)"
