"""The guideline limit, the prior quantity and over_limit (imr.guideline_limits) on rationales written
for these tests, each a variant of a family of wordings reviewers use (none is a letter's sentence):
an initial trial and a total course, several conditions' limits with none applied, "N visits total",
prior counts said in many ways, numbers in words, counts of another therapy, guideline text in quotes
and tables, a post-operative initial course, what only says when an effect shows."""
from __future__ import annotations

import pytest

from imr.guideline_limits import find_limit, measure
from imr.models import GuidelineLimit
from imr.prior_quantity import find_prior_quantity

REHAB = "Rehabilitation"


def limit_of(rationale: str, category: str = REHAB, outcome: str | None = None, quantity: int | None = None,
             treatment: str = "") -> tuple[float, str] | None:
    limit = measure(rationale, category, outcome, quantity, treatment)[0]
    return (limit.value, limit.unit) if limit else None


# --- an initial trial and a total course: the request is measured against the step it reaches ---

STEPS = ("Manipulation is supported as a trial of 4 visits over 2 weeks and, when the trial brings objective "
         "gains, a total of up to 12 visits over 6 weeks.")


def test_a_first_request_over_the_trial_is_measured_against_the_trial():
    assert limit_of(STEPS, outcome="upheld", quantity=8) == (4, "visits")


def test_a_first_request_within_the_trial_is_measured_against_the_trial():
    assert limit_of(STEPS, outcome="overturned", quantity=4) == (4, "visits")


def test_a_request_after_visits_already_had_is_measured_against_the_total():
    rationale = STEPS + " The injured worker has completed ten visits and asks for 4 more."
    assert limit_of(rationale, outcome="upheld", quantity=4) == (12, "visits")
    assert measure(rationale, REHAB, "upheld", 4)[2] is True  # 10 had reach past the total with 4 more


def test_improvement_from_earlier_treatment_puts_a_request_past_the_trial():
    rationale = STEPS + " The notes record that her lifting improved after the previous chiropractic sessions."
    assert limit_of(rationale, outcome="overturned", quantity=4) == (12, "visits")


def test_more_of_a_treatment_already_given_is_past_the_trial():
    assert limit_of(STEPS, outcome="upheld", treatment="Continued chiropractic 2 times a week for 3 weeks") == (12, "visits")


# --- several limits quoted ---

SEVERAL = ("For myalgia the guideline allows 9-10 visits over 8 weeks, for neuritis 8-10 visits over 4 weeks, "
           "and for complex regional pain 24 visits over 16 weeks.")


def test_several_conditions_limits_none_applied_give_no_limit():
    assert limit_of(SEVERAL + " The therapist's notes show no change in grip strength.", outcome="upheld", quantity=12) is None


def test_the_limit_the_reviewer_repeats_for_this_worker_is_the_limit():
    rationale = SEVERAL + " This claimant's neuritis allows her 8-10 visits over 4 weeks, and she asks for 12."
    assert limit_of(rationale, outcome="upheld", quantity=12) == (10, "visits")


def test_several_limits_with_one_top_count_when_the_request_is_measured_against_them():
    rationale = ("The guideline gives 9-10 visits over 8 weeks for myalgia and 8-10 visits over 4 weeks for neuritis. "
                 "Fourteen sessions are well beyond this.")
    assert limit_of(rationale, outcome="upheld", quantity=14) == (10, "visits")
    unmeasured = ("The guideline gives 9-10 visits over 8 weeks for myalgia and 8-10 visits over 4 weeks for neuritis. "
                  "The examination shows no deficit.")
    assert limit_of(unmeasured, outcome="upheld", quantity=14) is None


TWO_GUIDELINES = ("The MTUS supports an initial trial of 4 psychotherapy visits over 2 weeks and, with objective gains, a "
                  "total of up to 10 visits over 6 weeks. The ODG, unlike the MTUS, allows 13-20 visits for major depression.")


def test_two_guidelines_recommendations_with_neither_named_by_the_reviewer_give_no_limit():
    rationale = TWO_GUIDELINES + " The worker scores in the severe range and has never had therapy."
    assert limit_of(rationale, "Behavioral and mental health", "overturned", 8) is None


def test_the_guideline_the_reviewer_measures_the_request_against_by_name():
    rationale = TWO_GUIDELINES + " Twelve sessions stay within the ODG range for depression."
    assert limit_of(rationale, "Behavioral and mental health", "overturned", 12) == (20, "visits")


def test_the_guideline_a_sentence_says_is_cited_is_the_one_it_quotes():
    rationale = ("The MTUS cites the ODG physical therapy guidelines: 9-10 visits over 8 weeks for myalgia. The MTUS also "
                 "allows up to 12 visits over 6 weeks after a fracture. The 14 sessions asked are more than the ODG allows.")
    assert limit_of(rationale, outcome="upheld", quantity=14) == (10, "visits")


def test_two_settings_said_in_one_breath_are_two_limits():
    rationale = ("A stay of up to 8 to 14 days in a nursing facility or 5 to 14 days in an inpatient rehabilitation "
                 "unit may follow a joint replacement. The worker already received two weeks of inpatient care.")
    assert limit_of(rationale, outcome="upheld") is None


def test_of_one_limit_per_condition_the_one_for_the_workers_condition():
    quoted = ("The ODG allows 9-10 visits over 8 weeks for myalgia, 24 visits over 16 weeks for reflex sympathetic "
              "dystrophy, and 7 visits over 6 weeks for plantar fasciitis. ")
    assert limit_of(quoted + "Her diagnoses include left plantar fasciitis. Eight visits have not helped.",
                    outcome="upheld", quantity=6) == (7, "visits")
    # a condition named only to be ruled out, or only in the guideline's text, is not the worker's
    assert limit_of(quoted + "There is no diagnosis of reflex sympathetic dystrophy. Eight visits have not helped.",
                    outcome="upheld", quantity=6) is None


def test_a_guideline_table_is_not_the_reviewers_finding():
    rationale = ("The ODG lists for the neck: Cervicalgia = 9 visits over 8 weeks. Sprains and strains of neck = 10 visits "
                 "over 8 weeks. The treating notes describe pain but no measured loss of motion.")
    assert limit_of(rationale, outcome="upheld", quantity=6) is None


def test_guideline_text_quoted_over_several_sentences_is_not_the_reviewers_finding():
    rationale = ('The ODG states: "Tendinitis of the wrist: 9 visits over 8 weeks. After release: 14 visits over 12 weeks. '
                 'Fade the frequency." The worker has not had surgery and her grip has not improved.')
    assert limit_of(rationale, outcome="upheld", quantity=12) is None


def test_a_stray_quotation_mark_does_not_make_the_rest_guideline_text():
    rationale = ('The worker is 5\'6" tall. She had a fall. Her knee hurt. It swelled. She rested. It improved. She returned. '
                 'The guidelines list 9-10 visits over 8 weeks for myalgia and 24 visits over 16 weeks for CRPS. '
                 'Her CRPS allows her 24 visits over 16 weeks, and 12 are asked.')
    assert limit_of(rationale, outcome="overturned", quantity=12) == (24, "visits")


def test_the_guideline_the_reviewer_applies_as_stated_above():
    rationale = ("The guidelines list 9-10 visits over 8 weeks for myalgia and 8-10 visits over 4 weeks for neuritis. "
                 "Per the guidelines as noted above, she should manage at home within 8-10 visits total.")
    assert limit_of(rationale, outcome="upheld", quantity=6) == (10, "visits")


# --- how limits are written ---

@pytest.mark.parametrize("rationale, category, expected", [
    ("The guideline expects a course of 12 visits total for this diagnosis.", REHAB, (12, "visits")),
    ("Up to twelve supervised physical therapy visits over eight weeks are allowed for this sprain.", REHAB, (12, "visits")),
    ("Psychotherapy may continue for twenty-four sessions in all when progress is documented.",
     "Behavioral and mental health", (24, "sessions")),
    ("The ODG sets a best practice target of 2 days for this procedure without complications.", "Other", (2, "days")),
    ("Muscle relaxants are advised for no more than two to three weeks.", "Pharmaceuticals", (3, "weeks")),
    ("Guidelines suggest a 1-month home-based trial of the unit before any purchase.", "DMEPOS", (1, "months")),
    ("Supervised therapy for this strain is not to exceed 8 visits over 4 weeks.", REHAB, (8, "visits")),
    ("The ODG allows 10 visits maximum for a lumbar sprain.", REHAB, (10, "visits")),
    ("For a wrist sprain the ODG recommends 9 sessions, fading to a home program.", REHAB, (9, "sessions")),
    ("Guidelines allow for 8 treatments when the first ones helped.", REHAB, (8, "treatments")),
    ("For an ankle sprain, nine visits are recommended.", REHAB, (9, "visits")),
    # what the request is measured against, after words about the request
    ("The eight treatments requested exceed the recommendation of an initial trial of 6 visits.", REHAB, (6, "visits")),
])
def test_limit_wordings(rationale, category, expected):
    assert limit_of(rationale, category) == expected


@pytest.mark.parametrize("rationale", [
    # when an effect should show is not a maximum, even after "within"
    "The time to produce an effect is 3 to 6 treatments at 1 to 3 visits a week.",
    "The time to produce functional improvement of a first course falls within 3 to 6 treatments.",
    # a course the worker had, a count of the request, a wait before a change
    "An initial trial of 6 visits was completed in March.",
    "She had 6 visits total before the flare.",
    "If there is no progress after 3-4 weeks, the plan should change.",
    "Once back at work, 1-2 visits every 3-5 months are recommended for flares.",  # how often, not how long
    # the treating physician's recommendation is the request, not the guideline's
    "The treating physician recommends 12 sessions for the shoulder.",
    "Twelve visits are recommended by the treating surgeon.",
])
def test_numbers_that_are_not_limits(rationale):
    assert find_limit(rationale, REHAB) is None


def test_a_postoperative_initial_course_counts_only_for_a_request_over_it():
    rationale = ("After this repair the Postsurgical Treatment Guidelines allow 20 visits over 10 weeks, with an initial "
                 "course of one half of that number, that is 10 visits.")
    assert limit_of(rationale, outcome="upheld", quantity=20) == (10, "visits")
    assert limit_of(rationale, outcome="overturned", quantity=10) == (20, "visits")
    written_otherwise = ("The Postsurgical Treatment Guidelines allow 20 visits over 10 weeks after this repair and direct "
                         "that the initial course be one half of the general course, which for this operation is 10 visits.")
    assert limit_of(written_otherwise, outcome="upheld", quantity=20) == (10, "visits")


def test_visits_asked_as_a_course_in_an_evaluation_item_are_measured_like_therapy():
    rationale = "The guidelines allow up to 10 visits for this sprain. No functional gains are described."
    assert limit_of(rationale, "Evaluation and management", "upheld", None, "Office visits 2 times 6") == (10, "visits")
    assert limit_of(rationale, "Evaluation and management", "upheld", None, "Office visit") is None


# --- prior quantity ---

@pytest.mark.parametrize("rationale, prior", [
    ("Records show she has had 14 sessions of therapy this year.", 14),
    ("To date, 9 sessions have been completed with little change.", 9),
    ("Six sessions were authorized in October and attended.", 6),
    ("The worker was previously approved for 10 visits of aquatic therapy.", 10),
    ("He was authorized for a 6-session trial in May.", 6),
    ("The claimant completed 5 of the 8 authorized sessions before moving.", 5),
    ("Pain eased after 4/6 treatments, the note says.", 4),
    ("She attended 3 out of 6 scheduled visits.", 3),
    ("The claimant has attended twenty-four sessions of psychotherapy.", 24),
    ("He is status post 12 visits of therapy for the knee.", 12),
    ("Some 16 visits so far have not restored his grip.", 16),
    ("Eighteen prior visits brought only brief relief.", 18),
    ("The notes say the worker did receive 7 visits of therapy last spring.", 7),
    ("Treatment to date has included physical therapy (at least 5 visits) and naproxen.", 5),
    ("Treatment to date has included 11 sessions of physical therapy.", 11),
    ("Nine sessions of aquatic therapy have been completed.", 9),
    ("She has been treated with 7 therapy visits since the fall.", 7),
    ("He had 15 visits of chiropractic care so far.", 15),
    # not a prior count
    ("The initial trial of 3 to 6 treatments was completed.", None),  # a range: how many is not said
    ("The requested therapy with 6 sessions was previously authorized, so this request duplicates it.", None),
    ("The guidelines allow up to 10 visits.", None),
    ("Eight further sessions are requested.", None),
])
def test_prior_wordings(rationale, prior):
    assert find_prior_quantity(rationale) == prior


def test_a_count_of_another_therapy_is_not_the_prior_count():
    rationale = "The claimant has had 12 chiropractic visits but no acupuncture, so this would be a first trial."
    assert find_prior_quantity(rationale, REHAB, "Acupuncture 2 times a week for 3 weeks") is None
    assert find_prior_quantity(rationale, REHAB, "Chiropractic manipulation x6") == 12
    # physical and occupational therapists' courses are counted together
    assert find_prior_quantity("He improved with the first 6 visits of occupational therapy.", REHAB,
                               "Physical therapy x8") == 6


def test_a_test_counts_tests_and_a_therapy_visits():
    rationale = "This patient has had four consistent drug tests in a year and has attended 20 physical therapy visits."
    assert find_prior_quantity(rationale, "Diagnostic testing") == 4
    assert find_prior_quantity(rationale, REHAB) == 20
    assert find_prior_quantity(rationale, "Surgery") is None


# --- over the limit ---

def test_over_limit_counts_the_request_with_what_was_had_when_the_rationale_adds_them():
    rationale = "Up to 20 visits are allowed. She has completed 16 visits; 8 more would bring the total to 24."
    limit, prior, over = measure(rationale, REHAB, "upheld", 8)
    assert (limit, prior, over) == (GuidelineLimit(20, "visits", "Up to 20 visits"), 16, True)
    within = "Up to 20 visits are allowed. She has completed 10 visits and asks for 8 more."
    assert measure(within, REHAB, "upheld", 8)[2] is False


def test_over_limit_is_unknown_for_a_time_limit():
    assert measure("Use beyond 2-3 weeks is not recommended.", "Pharmaceuticals", "upheld", 90)[2] is None


# --- the whole measure on paraphrases: (category, treatment, quantity, outcome, rationale, limit, prior) ---

PARAPHRASES = [
    (REHAB, "Physical therapy", 12, "upheld", "The MTUS allows for 9-10 visits over 8 weeks for myalgia. The request for "
     "12 visits exceeds this.", (10, "visits"), None),
    (REHAB, "Chiropractic", 8, "upheld", "Guidelines support a trial of 6 visits over 2 weeks. She has had 12 chiropractic "
     "treatments with no documented improvement.", (6, "visits"), 12),
    (REHAB, "Acupuncture", 6, "upheld", "The initial trial is 3 to 6 treatments. Twelve acupuncture sessions have been "
     "completed to date.", (6, "treatments"), 12),
    (REHAB, "Physical therapy", 6, "overturned", "ODG recommends 10 visits over 8 weeks for lumbar sprain. He has attended "
     "four sessions so far, and six more stays within the recommendation.", (10, "visits"), 4),
    ("Pharmaceuticals", "Cyclobenzaprine", None, "upheld", "Muscle relaxants are recommended for short-term use, no longer "
     "than 2 to 3 weeks. She has used it for months.", (3, "weeks"), None),
    ("Pharmaceuticals", "Zolpidem", None, "upheld", "The ODG limits zolpidem to a period of 7 to 10 days. Use since 2015 "
     "is documented.", (10, "days"), None),
    ("Pharmaceuticals", "Soma 350mg", None, "upheld", "Carisoprodol is not indicated for longer than a 2 to 3 week period.",
     (3, "weeks"), None),
    ("DMEPOS", "Cold therapy unit 14 day rental", None, "upheld", "Continuous-flow cryotherapy is recommended for up to "
     "seven days after surgery.", (7, "days"), None),
    (REHAB, "Post-operative physical therapy", 12, "upheld", "The postsurgical guidelines allow 24 visits over 14 weeks "
     "after rotator cuff repair. He has completed 24 visits.", (24, "visits"), 24),
    (REHAB, "Physical therapy", 8, "upheld", "For radiculitis 8-10 visits over 4 weeks are recommended, and for myalgia "
     "9-10 visits over 8 weeks. The records do not document improvement.", None, None),
    (REHAB, "Massage therapy", 6, "upheld", "Massage should be limited to 4-6 visits in most cases.", (6, "visits"), None),
    (REHAB, "Physical therapy", 10, "upheld", "Per MTUS, the recommended number of visits for neuritis is eight to ten over "
     "four weeks. Ten more visits would bring her total to 22.", (10, "visits"), None),
    (REHAB, "Physical therapy", 12, "upheld", "Twelve sessions were asked for. The guideline ceiling for this condition is "
     "ten sessions.", (10, "sessions"), None),
    (REHAB, "Physical therapy", 6, "upheld", "The patient has received eighteen physical therapy visits since surgery.", None, 18),
    (REHAB, "Physical therapy", 6, "upheld", "She was authorized 12 sessions in June and has completed 8 of them.", None, 8),
    (REHAB, "Physical therapy", 6, "upheld", "The number of prior physical therapy sessions is not documented.", None, None),
]


@pytest.mark.parametrize("category, treatment, quantity, outcome, rationale, limit, prior", PARAPHRASES)
def test_paraphrases_of_limits_and_prior_counts(category, treatment, quantity, outcome, rationale, limit, prior):
    found, had, _ = measure(rationale, category, outcome, quantity, treatment)
    assert ((found.value, found.unit) if found else None, had) == (limit, prior)
