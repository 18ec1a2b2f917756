from __future__ import annotations

from imr.letterview import HIGHLIGHT, escape_markdown, excerpt, field_rows, highlighted_markdown
from imr.models import Citation, Decision, Letter

HOSTILE = "Case: <script>alert(1)</script> <img src=x onerror=alert(1)> :red[x] **b** $x$ [l](javascript:1)"


def test_escaping_leaves_no_markup_character_unescaped():
    escaped = escape_markdown(HOSTILE)
    for char in "<>[]()*$:!":
        assert char not in escaped.replace("\\" + char, "")
    assert escaped.replace("\\", "") == HOSTILE.replace("\\", "")


def test_highlight_wraps_the_span_line_by_line_and_keeps_spaces():
    text = "Decision Date: 2015-04-01\n    Indented line\nnext"
    start = text.index("2015")
    markdown = highlighted_markdown(text, (start, text.index("line") + 4))
    lines = markdown.split("  \n")
    assert lines[0] == f"Decision Date\\: :{HIGHLIGHT}[**2015\\-04\\-01**]"
    assert lines[1] == f":{HIGHLIGHT}[**    Indented line**]"
    assert lines[2] == "next"


def test_no_or_bad_span_gives_plain_escaped_text():
    assert HIGHLIGHT not in highlighted_markdown(HOSTILE, None)
    assert HIGHLIGHT not in highlighted_markdown("abc", (2, 99))
    assert highlighted_markdown("  a\n\n    b", None) == "a  \n  \nb"  # no indented code block


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


def test_excerpt_cuts_at_line_ends_and_shifts_the_span():
    text = "line one\nline two has 2015-04-01 in it\nline three\nline four"
    start = text.index("2015")
    passage, span = excerpt(text, (start, start + 10), context=10)
    assert passage == "line two has 2015-04-01 in it\nline three"
    assert passage[span[0]:span[1]] == "2015-04-01"
