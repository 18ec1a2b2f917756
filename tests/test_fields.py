"""The shared field finders on the label and prose variants letters use."""
import pytest

from imr.fields import (
    find_age, find_diagnoses, find_label_column, find_label_rows, find_labeled_date, find_prose_credentials, find_sex, outcome_from_necessity,
    parse_date, split_specialties, split_states,
)


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


def test_credentials_in_prose_and_lists():
    specialties, states = find_prose_credentials(
        "The reviewer is Board Certified in Physical Medicine and Rehabilitation, has a subspecialty in Pain Medicine "
        "and is licensed to practice in California and Texas. He/she has")
    assert [s.value for s in specialties] == ["Physical Medicine and Rehabilitation", "Pain Medicine"]
    assert [s.value for s in states] == ["California", "Texas"]
    assert split_specialties("Anesthesiology and Pain Medicine") == ["Anesthesiology", "Pain Medicine"]
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
