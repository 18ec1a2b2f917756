"""The shared field finders on the label and prose variants letters use."""
import json
from pathlib import Path

import pytest

import imr
from imr.clean import ascii_lower
from imr.fields import (
    find_age, find_body_parts, find_diagnoses, find_injured_parts, find_label_column, find_label_rows, find_labeled_date, find_prose_credentials, find_sex,
    outcome_from_necessity, parse_date, split_specialties, split_states,
)
from imr.vocab import body_part_patterns
from real_accuracy import MISSING_REASON, REAL_LETTERS, available, score_derived, truths

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("written, iso", [
    ("9/26/2013", "2013-09-26"), ("09/06/2013", "2013-09-06"), ("February 16, 2000", "2000-02-16"),
    ("Sept. 3, 2013", "2013-09-03"), ("Jan 5th, 2016", "2016-01-05"), ("01-05-2016", "2016-01-05"),
    ("1/5/16", "2016-01-05"), ("2016-01-05", "2016-01-05"), ("2/30/2015", None),
])
def test_parse_date(written, iso):
    assert parse_date(written) == iso


def test_labeled_dates_two_per_line_and_prose_is_not_a_label():
    text = ("Case Number: CM15-0000001 Date Assigned: 3/1/2015\nUR Decision Date: 2/2/2015 Decision Date 4/4/2015\n"
            "the application dated 5/5/2015 was received")
    assert find_labeled_date(text, ("Decision Date",)).value == "2015-04-04"
    assert find_labeled_date(text, ("Date Assigned",)).value == "2015-03-01"
    assert find_labeled_date(text, ("Dated",)) is None
    # Two columns read as one line can glue a label to the value before it.
    assert find_labeled_date("Date of injury: December 12, 2007Decision Date: March 11, 2017", ("Decision Date",)).value == "2017-03-11"


def test_label_column_pairs_labels_with_values_by_position():
    text = "Case Number\nDate of Injury\nPriority\nCM16-0012345\n08-30-2014\nStandard\n"
    found = find_label_column(text, {"case_number": ("Case Number",), "date_of_injury": ("Date of Injury",), "priority": ("Priority",)})
    assert {k: v.value for k, v in found.items()} == {"case_number": "CM16-0012345", "date_of_injury": "08-30-2014", "priority": "Standard"}


@pytest.mark.parametrize("sentence, age, sex", [
    ("The injured worker is a 59 year old female who", 59, "female"),
    ("a 43 year-old man", 43, "male"),
    ("This 61-year-old gentleman reports", 61, "male"),
    ("a male forklift operator aged 62", 62, "male"),
    ("She is 15 years status post injury. She is now 50 years old.", 50, "female"),
])
def test_age_and_sex(sentence, age, sex):
    assert (find_age(sentence).value, find_sex(sentence).value) == (age, sex)


def test_sex_from_pronouns_ignores_he_she_boilerplate():
    assert find_sex("He/she reviewed it. She has pain and her knee hurts.").value == "female"


def test_diagnoses_keep_compound_names():
    found = find_diagnoses("She was diagnosed with cervicobrachial syndrome, myalgia and myositis and lumbago. Next")
    assert [f.value for f in found] == ["cervicobrachial syndrome", "myalgia and myositis", "lumbago"]


@pytest.mark.parametrize("sentence", [
    "The diagnoses have included lumbar strain and sciatica. Next",
    "The current diagnoses are documented as lumbar strain and sciatica. Next",
    "Diagnoses were listed as lumbar strain and sciatica. Next",
])
def test_diagnoses_after_the_ways_letters_introduce_them(sentence):
    assert [f.value for f in find_diagnoses(sentence)] == ["lumbar strain", "sciatica"]


def test_credentials_in_prose_and_lists():
    specialties, states = find_prose_credentials(
        "The reviewer is Board Certified in Physical Medicine and Rehabilitation, has a subspecialty in Pain Medicine "
        "and is licensed to practice in California and Texas. He/she has")
    assert [s.value for s in specialties] == ["Physical Medicine and Rehabilitation", "Pain Medicine"]
    assert [s.value for s in states] == ["California", "Texas"]
    assert split_specialties("Anesthesiology and Pain Medicine") == ["Anesthesiology", "Pain Medicine"]
    # a word broken at a line end is made whole only when that makes a known specialty
    assert split_specialties("Anesthesi\nology, Pain Medicine") == ["Anesthesiology", "Pain Medicine"]
    assert split_specialties("Sports Medi cine Fellowship") == ["Sports Medi cine Fellowship"]
    assert split_states("California, New York and Nevada") == ["California", "New York", "Nevada"]


@pytest.mark.parametrize("rationale, outcome", [
    ("Not recommended by ODG. However, here the request is medically necessary.", "overturned"),
    ("The request for acupuncture is not medically necessary and appropriate.", "upheld"),
])
def test_outcome_from_the_concluding_statement(rationale, outcome):
    assert outcome_from_necessity(rationale, last=True).value == outcome


def test_label_rows_pair_a_line_of_labels_with_the_line_of_values_below():
    text = "Case Number: Date Assigned:\nCM16-0112408 06/09/2016\nDate of Injury: Decision Date:\n10/14/2014 July 21, 2016\n"
    found = find_label_rows(text, {"case_number": ("Case Number",), "date_assigned": ("Date Assigned",),
                                   "date_of_injury": ("Date of Injury",), "decision_date": ("Decision Date",)})
    assert {k: v.value for k, v in found.items()} == {
        "case_number": "CM16-0112408", "date_assigned": "06/09/2016", "date_of_injury": "10/14/2014", "decision_date": "July 21, 2016"}


# Summaries written for these tests, one idea each: which sentences say what the industrial injury was.
@pytest.mark.parametrize("summary, parts", [
    # the injury statement counts, a later passing complaint does not
    ("The worker, 40, was struck on the head by a falling box on 1/2/2015. She now reports knee pain on stairs.", ["head"]),
    ("This 52 year old cook slipped on a wet floor, landing on her right hip. She reports some wrist stiffness.", ["hip"]),
    ("The clerk developed tingling in her fingers from repetitive typing at work. She takes ibuprofen.", ["hand"]),
    # requested and past treatments and imaging name other parts
    ("He sustained an injury to his right shoulder at work. The provider requested an MRI of the lumbar spine.", ["shoulder"]),
    ("He sustained an injury to the left knee and a request was made for a cervical pillow.", ["knee"]),
    ("She was injured lifting boxes. Treatment to date has included a wrist splint. Diagnoses: lumbar strain.", ["low back"]),
    # another, earlier injury; the injury named only as a date or in a form's title
    ("She injured her lower back lifting a crate. She had a prior left ankle fracture in 2001 that healed.", ["low back"]),
    ("He injured his left shoulder in a fall at work; he previously had a right knee replacement.", ["shoulder"]),
    ("He has chronic knee pain from a 2004 injury unrelated to work.", []),
    ("He injured his knee at work in 2015, aggravating a pre-existing ankle condition.", ["knee"]),
    ("He injured his neck on 2/2/2016. He reports elbow stiffness since the injury.", ["neck"]),
    ("She sustained an injury to her knee. Her Doctor's First Report of Occupational Injury lists hip pain.", ["knee"]),
    # a body part named by a psychiatric diagnosis (DSM "psychological factors affecting ...") is not injured
    ("She is treated for major depressive disorder and a stress-related physiological response affecting headaches.", ["psyche"]),
    # a distance is not the foot
    ("He fell six feet from a scaffold and fractured his left wrist.", ["wrist"]),
    # diagnoses count wherever they stand, a bulleted list included
    ("He was hurt at work.\nDiagnoses include\n- right knee meniscus tear\n- depression\nThe physician recommended surgery.", ["knee", "psyche"]),
    # a quoted report is read on its own, not as part of the sentence that quotes it
    ('The reviewer quoted the Utilization Review report: "This worker sustained a lumbar injury when a chair broke."', ["low back"]),
    # a bare "back" is the back regions the complaints name, the lower back when they name none
    ("She hurt her back lifting a patient. She rates her pain 6/10.", ["low back"]),
    ("He is treated for neck and back pain after a fall. He complains of thoracic and lumbar pain.", ["neck", "upper back", "low back"]),
    ("He is treated for neck and back pain after a fall. He complains of thoracic pain.", ["neck", "upper back"]),
    # the opening sentence names the complaint the claim is about; an onset after a stretch of work counts
    ("The patient is a 33-year-old clerk with numbness and tingling in both hands. Diagnoses: carpal tunnel syndrome.",
     ["hand", "wrist"]),
    ("She developed pain and numbness in the right hand after a period of heavy data entry.", ["hand"]),
    # a pain that came later from an altered gait is a consequence, not the injury
    ("She felt a pop in her knee at work. She later developed pain in the right hip from an altered gait. "
     "Diagnoses: knee meniscus tear.", ["knee"]),
    # the back of the head is the head; a femoral neck is the hip
    ("He was struck on the back of the head by a falling crate.", ["head"]),
    ("He fell from a dock and sustained a femoral neck fracture.", ["hip"]),
])
def test_injured_parts(summary, parts):
    found = find_injured_parts(summary)
    assert sorted(f.value for f in found) == sorted(parts)
    assert all(0 <= f.start < f.end <= len(summary) for f in found)


def test_injured_parts_point_at_their_words():
    summary = "The injured worker sustained an industrial injury to the right\nshoulder on 1/1/2016. Diagnoses: cervical strain."
    assert [(f.value, summary[f.start:f.end]) for f in find_injured_parts(summary)] == [("shoulder", "shoulder"), ("neck", "cervical")]


REQUIRED_BODY_PARTS = 0.97  # the bar: exactly the right parts on 97% of letters


def test_injured_parts_on_hand_written_letters():
    pairs = []
    for path in sorted(FIXTURES.glob("*/*.truth.json")):
        stem = path.name.removesuffix(".truth.json")
        letter = next(p for p in (path.with_name(f"{stem}.txt"), path.with_name(f"{stem}.pdf")) if p.exists())
        pairs.append((imr.parse_file(letter).to_dict(), {**json.loads(path.read_text()), "file": letter.name}))
    scores = score_derived(pairs)
    assert scores.accuracy("body_parts") >= REQUIRED_BODY_PARTS, scores.misses["body_parts"]


def _every_part_longest_first(text: str) -> list[tuple[str, int, int]]:
    """The rule find_body_parts implements in one pass, written the plain way: every part's every
    mention, the earliest first and of those the longest, overlapping ones dropped."""
    lowered = ascii_lower(text)
    mentions = sorted((m.start(), -(m.end() - m.start()), m.end(), part)
                      for part, pattern in body_part_patterns() for m in pattern.finditer(lowered))
    first: dict[str, tuple[str, int, int]] = {}
    taken_until = -1
    for start, _, end, part in mentions:
        if start >= taken_until:
            taken_until = end
            first.setdefault(part, (part, start, end))
    return sorted(first.values(), key=lambda found: found[1])


def test_body_parts_in_one_pass_are_those_of_every_part_tried():
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*/*.txt"))]
    sentences = [sentence for text in texts for sentence in text.split(". ")]
    for text in texts + sentences:
        assert [(f.value, f.start, f.end) for f in find_body_parts(text)] == _every_part_longest_first(text), text[:80]


@pytest.mark.skipif(not available(), reason=MISSING_REASON)
def test_injured_parts_on_real_letters():
    scores = score_derived([(imr.parse_file(REAL_LETTERS / truth["file"]).to_dict(), truth) for truth in truths()])
    assert scores.accuracy("body_parts") >= REQUIRED_BODY_PARTS, scores.misses["body_parts"]
