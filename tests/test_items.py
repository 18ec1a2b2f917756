"""Item headings: the item decided, its quantity in every written form, and modified requests."""
import pytest

from imr.items import continues_modified_request, parse_item_heading, split_quantity


@pytest.mark.parametrize("written, name, quantity", [
    ("Myofascial Therapy for Neck, Qty: 6", "Myofascial Therapy for Neck", 6),
    ("Meloxicam 15mg, Qty: 30.00", "Meloxicam 15mg", 30),
    ("Norco 10/325mg #120", "Norco 10/325mg", 120),
    ("Norco 10/325mg #60 with 2 refills", "Norco 10/325mg #60 with 2 refills", 60),
    ("Lidoderm patch #1 box with 1 refill", "Lidoderm patch #1 box with 1 refill", 1),
    ("Acupuncture (6 sessions)", "Acupuncture", 6),
    ("Physical therapy (8)", "Physical therapy", 8),
    ("Chiropractic treatment x8", "Chiropractic treatment", 8),
    ("Electrocardiogram times 3", "Electrocardiogram", 3),
    ("Physical therapy, 12 visits", "Physical therapy", 12),
    ("Toradol injection, 2", "Toradol injection", 2),
    ("Chiropractic care for the low back; six sessions", "Chiropractic care for the low back", 6),
    ("Physical therapy 12-18 sessions", "Physical therapy 12-18 sessions", 18),
    ("Wound care nurse, 1-2 visits to evaluate the incision", "Wound care nurse, 1-2 visits to evaluate the incision", 2),
    ("Eight (8) physical therapy sessions", "Eight (8) physical therapy sessions", 8),
    ("Twelve physical therapy sessions, three times weekly", "Twelve physical therapy sessions, three times weekly", 12),
    ("Physical therapy 2 times a week for 6 weeks (12 sessions) to the elbow", "Physical therapy 2 times a week for 6 weeks (12 sessions) to the elbow", 12),
    ("Compound cream 240 grams", "Compound cream 240 grams", 240),
    ("Oral suspension 25mg/ml 420ml", "Oral suspension 25mg/ml 420ml", 420),
    ("Lidocaine ointment 5% 106.32gm", "Lidocaine ointment 5% 106.32gm", 106.32),
    ("Diclofenac sodium 3% 300mg/g", "Diclofenac sodium 3% 300mg/g", None),
    ("Acupuncture (unspecified quantity)", "Acupuncture", None),
    ("Urine drug screen (unknown quantity)", "Urine drug screen", None),
    ("Physical exam 2 times 8", "Physical exam 2 times 8", None),
    ("Physical therapy 2x week x 6 weeks", "Physical therapy 2x week x 6 weeks", None),
    ("Home health care 4 hours per day", "Home health care 4 hours per day", None),
    ("Three months coverage of Viagra 50mg", "Three months coverage of Viagra 50mg", None),
])
def test_split_quantity(written, name, quantity):
    assert split_quantity(written) == (name, quantity)


def test_remaining_portion_is_the_item_decided():
    item = parse_item_heading(
        "Tramadol 50mg #90 was the original request. Tramadol 50mg #60 was authorized by the Claims Administrator. "
        "The remaining IMR eligible portion of the original request, Tramadol 50mg #30 is")
    assert (item.treatment, item.quantity) == ("Tramadol 50mg", 30)
    assert (item.original_request, item.authorized_portion) == ("Tramadol 50mg #90", "Tramadol 50mg #60")


def test_original_request_left_eligible_is_the_item_decided():
    item = parse_item_heading(
        "Rental of a shower chair for 2 months was the original request. The Claims Administrator authorized a shower chair "
        "for 1 month, leaving the original request IMR eligible. The original request, rental of a shower chair for 2 months is")
    assert (item.treatment, item.quantity) == ("rental of a shower chair for 2 months", None)
    assert item.original_request == "Rental of a shower chair for 2 months"
    assert item.authorized_portion == "a shower chair for 1 month"


def test_plain_heading_has_no_modification():
    item = parse_item_heading("Gabapentin 300mg #90")
    assert (item.treatment, item.quantity, item.original_request, item.authorized_portion) == ("Gabapentin 300mg", 90, None, None)


@pytest.mark.parametrize("text, inside", [
    ("Tramadol 50mg #60 was authorized by the Claims Administrator. The remaining IMR eligible portion", True),
    ("The remaining IMR eligible portion of the original request, Tramadol 50mg #30 is", True),
    ("Tramadol 50mg #90 was the original request. Tramadol 50mg #60 was authorized", False),
    ("MRI of the lumbar spine", False),
])
def test_continues_modified_request(text, inside):
    assert continues_modified_request(text) is inside
