"""Page furniture removal on page texts built to show each rule."""
from imr.clean import clean_pages
from imr.models import Page


def test_page_numbers_and_case_number_headers_go_the_first_label_stays():
    pages = [
        Page(1, "IMR Case Number: CM15-0123456\nDate of Injury: 1/2/2010\nThe patient is a 40 year old\nPage 1 of 2"),
        Page(2, "Page 2 of 2\nCM15-0123456\nmale with neck pain.\nDecision rationale: text"),
    ]
    text = clean_pages(pages)
    assert "Page" not in text
    assert text.count("CM15-0123456") == 1 and text.startswith("IMR Case Number: CM15-0123456")
    assert "40 year old\nmale with neck pain" in text


def test_running_header_on_every_page_goes_repeated_heading_at_two_page_tops_stays():
    header = "Independent Medical Review Final Determination"
    heading = "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL"
    pages = [Page(1, f"{header}\nbody one"), Page(2, f"{header}\n{heading}\nREVIEWER AND WHY:\nx"),
             Page(3, f"{header}\n{heading}\nREVIEWER AND WHY:\ny")]
    text = clean_pages(pages)
    assert text.count(header) == 1
    assert text.count(heading) == 2


def test_sentence_broken_at_page_edges_is_kept_even_when_it_repeats():
    line = "The claimant is more than 6 years status post work-related injury and continues to be"
    pages = [Page(1, f"intro\n{line}\ntreated for pain. A."), Page(2, f"{line}\ntreated for pain. B.\nend")]
    assert clean_pages(pages).count(line) == 2


def test_text_file_pages_are_found_by_their_page_numbers():
    notice = "CONFIDENTIAL: This document contains protected health information"
    text = clean_pages([Page(1, f"first page\n{notice}\n- 1 -\nIMR Case Number: CM16-0012345\nsecond page\n{notice}\n- 2 -\n"
                                f"IMR Case Number: CM16-0012345\nthird")])
    assert notice not in text and "- 1 -" not in text
    assert text.count("CM16-0012345") == 1


def test_characters_and_hyphenated_line_breaks():
    text = clean_pages([Page(1, "The \ufb01rst \u201cquoted\u201d word is medi-\ncally necessary \u2013 yes")])
    assert text == 'The first "quoted" word is medically necessary - yes'
