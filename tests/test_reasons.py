"""Why each item was decided: reason tags on the sentences that give them (imr.reasons), the guideline
limit, the prior quantity and over_limit (imr.guideline_limits). Unit cases on short invented
sentences, then the score on the labelled letters (tests/reason_accuracy.py)."""
import re

import pytest

import imr
import real_accuracy
import reason_accuracy
from imr.guideline_limits import find_limit, is_over_limit, measure
from imr.models import REASON_TAGS, GuidelineLimit
from imr.prior_quantity import find_prior_quantity
from imr.reasons import find_reasons, is_applied, item_words, phrases
from imr.sentences import sentence_spans


def tags(rationale: str, outcome: str = "upheld", category: str = "Pharmaceuticals", subcategory: str = "other",
         words: frozenset[str] = frozenset()) -> list[str]:
    return [reason.tag for reason in find_reasons(rationale, outcome, category, subcategory, words=words)]


def test_sentences_are_offsets_into_the_text():
    text = "Per Dr. Lee, e.g. an MRI helps. The worker had 12 visits since Dec. 1, 2015.  Nothing else was tried"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["Per Dr. Lee, e.g. an MRI helps.", "The worker had 12 visits since Dec. 1, 2015.",
                                             "Nothing else was tried"]


@pytest.mark.parametrize("sentence, applied", [
    ("The ODG states that massage is not recommended beyond 6 visits.", False),
    ("According to the MTUS, chiropractic care is recommended for a trial of 6 visits.", False),
    ('"Topical agents are largely experimental."', False),
    ("In this case, the worker has had no relief from the cream.", True),
    ("There is no documentation of a home exercise program.", True),
    ("The requested quantity exceeds what the guideline allows.", True),
])
def test_applied_sentences_are_the_reviewers_own(sentence, applied):
    assert is_applied(sentence.lower()) is applied


def test_a_guideline_quote_is_background_not_a_reason():
    rationale = ("ODG states that knee braces are not recommended for chronic pain. "
                 "In this case the records describe no instability on examination. The request is not medically necessary.")
    assert tags(rationale) == ["indications_not_documented"]


@pytest.mark.parametrize("category, rationale, expected", [
    ("Rehabilitation", "The worker has had eight sessions already. The notes show no objective functional improvement from them.",
     ["no_functional_improvement"]),
    ("Rehabilitation", "Guidelines allow up to 10 visits. The 16 visits requested exceed the guideline recommendation.",
     ["exceeds_guideline_quantity"]),
    ("Pharmaceuticals", "Muscle relaxants are recommended for short-term use of 2 to 3 weeks. She has taken it daily since March 2015.",
     ["duration_exceeded"]),
    ("DMEPOS", "Cold therapy is recommended for up to 7 days. The 30 days requested exceed the guideline recommendation.",
     ["duration_exceeded"]),
    ("DMEPOS", "This device is not recommended by the guidelines, and no exceptional factors are described.",
     ["not_recommended"]),
    ("Diagnostic testing", "There are no red flags and the neurologic examination is normal.", ["indications_not_documented"]),
    ("Rehabilitation", "The request does not specify the frequency or the body part to be treated.", ["request_incomplete"]),
    ("DMEPOS", "As the shoulder surgery was found not medically necessary, the associated post-operative sling is not necessary either.",
     ["depends_on_denied_item"]),
    ("Behavioral and mental health", "As further psychotherapy is not medically necessary, biofeedback would stand alone.",
     ["depends_on_denied_item"]),
    # a test has no earlier use to show a gain; no exceptional factors after an excess speak of the excess
    ("Diagnostic testing", "The prior study showed no improvement. There are no red flags.", ["indications_not_documented"]),
    ("Rehabilitation", "The 16 visits requested exceed the guideline. No exceptional factors are documented.",
     ["exceeds_guideline_quantity"]),
    # whose statement it is, and about what
    # "no evidence to support" a finding is about the records; of a treatment's use, about the evidence
    ("Diagnostic testing", "Examination revealed no evidence to support nerve compromise.", ["indications_not_documented"]),
    ("Diagnostic testing", "There is insufficient evidence to support the routine use of thermography.", ["not_recommended"]),
    # no exceptional factors for more visits speak of the amount, not of the treatment
    ("Rehabilitation", "There are no extenuating factors which would require an additional 12 sessions of therapy.",
     ["indications_not_documented"]),
    ("Pharmaceuticals", "Given that the requested item is an ointment, its usage is not supported.", ["not_recommended"]),
    ("Rehabilitation", "A trial of 6 sessions was approved. Additional treatment is contingent upon the patient's response to treatment.",
     ["no_functional_improvement"]),
    ("Rehabilitation", "The patient was previously approved for 8 sessions of physical therapy.", ["indications_not_documented"]),
    # a program of functional restoration is a requirement, not a gain prior use should have brought
    ("DMEPOS", "Additionally, there is no proposed program of functional restoration with the TENS unit.", ["indications_not_documented"]),
    # what studies have not shown of a treatment is evidence against it, not this worker's lack of gain
    ("DMEPOS", "Lumbar supports have not been shown to have any lasting benefit beyond the acute phase.", ["not_recommended"]),
    ("Rehabilitation", "However, an additional 6 sessions would surpass the upper limit recommended by the guidelines.",
     ["exceeds_guideline_quantity"]),
    # the guideline silent or neutral on the treatment, the evidence no better than nothing
    ("Rehabilitation", "The guidelines reviewed give no recommendation for massage of the ankle.", ["not_recommended"]),
    ("Rehabilitation", "ACOEM does not list cupping among the recommended treatments for tendinitis.", ["not_recommended"]),
    ("Pharmaceuticals", "This medication has the least evidence of effectiveness in its class.", ["not_recommended"]),
    ("Rehabilitation", "The worker has had 24 visits; further visits would be maintenance care.", ["not_recommended"]),
    ("Injections", "The imaging shows a tear, for which the injection is not indicated.", ["not_recommended"]),
    # a condition the rationale names as the only way the item is needed
    ("Diagnostic testing", "The study is not medically necessary unless a rare myelopathy is suspected.",
     ["indications_not_documented"]),
    ("DMEPOS", "She is not in a program of functional restoration that the unit would support.", ["indications_not_documented"]),
    # "failed to provide" is the provider's omission, not a failed treatment
    ("Rehabilitation", "The provider failed to provide any rationale. The 12 visits requested exceed the guideline maximum.",
     ["exceeds_guideline_quantity"]),
    # reasons the vocabulary has no tag for
    ("Diagnostic testing", "There was a prior lumbar MRI in March of this year.", ["other"]),
    ("Pharmaceuticals", "She reports dizziness at work, a safety concern for a driver.", ["other"]),
    ("DMEPOS", "The worker was authorized a one month rental; more is contingent upon reassessment.", ["other"]),
    ("Evaluation and management", "Asking for six visits at once does not allow for changes in care.", ["other"]),
    ("Rehabilitation", "Maintenance sessions are being requested for a condition years old.", ["not_recommended"]),
    ("Rehabilitation", "In this case she is already performing a home exercise program.", ["other"]),
])
def test_each_family_on_an_invented_rationale(category, rationale, expected):
    assert tags(rationale, category=category) == expected


def test_near_words_that_are_not_the_reason():
    # continued use not supported is about the time it has been used, not a treatment the guideline is against
    assert "not_recommended" not in tags("Without evidence of benefit, the continued use of this medication is not supported.")
    # a study done before that the reviewer only reads is not a repeat
    assert "other" not in tags("The prior MRI showed no nerve root compression.", category="Diagnostic testing")


@pytest.mark.parametrize("category, treatment, rationale, expected", [
    # an item that serves an operation falls with it, however the reviewer words it
    ("Pharmaceuticals", "Oxycodone 5mg", "With the fusion not approved, this post-operative prescription has lost its purpose.",
     ["depends_on_denied_item"]),
    ("Surgery", "Assistant surgeon", "The arthroplasty has not been found medically necessary, so no assistant is needed.",
     ["depends_on_denied_item"]),
    ("Other", "Two-day inpatient stay", "An admission is needed only if the operation takes place.", ["depends_on_denied_item"]),
    # ... but the operation's own rationale saying it is not necessary is no dependency
    ("Surgery", "Right shoulder arthroscopy", "The arthroscopy is not medically necessary without a trial of injections.",
     ["indications_not_documented"]),
    # a request without what it asks for
    ("Pharmaceuticals", "Tramadol", "The request lists tramadol with no strength and no number of tablets.", ["request_incomplete"]),
    ("Rehabilitation", "Physical therapy", "The note does not say which part of the body is to be treated.", ["request_incomplete"]),
    ("Pharmaceuticals", "Compounded cream", "Neither the order nor the note names the ingredients of the cream.", ["request_incomplete"]),
    # a neuropathic component not found is a missing indication, not a missing part of the request
    ("Pharmaceuticals", "Lidocaine patch", "In this case a neuropathic component has not been identified.", ["indications_not_documented"]),
    # reasons outside the vocabulary
    ("Diagnostic testing", "X-rays of the knee", "The x-rays have already been taken and reported at that visit.", ["other"]),
    ("Pharmaceuticals", "Gabapentin 600mg", "Her physician discontinued it in May for dizziness.", ["other"]),
    ("DMEPOS", "TENS unit purchase", "She already owns a TENS unit bought in 2012.", ["other"]),
    # several times the guideline's course or period
    ("Rehabilitation", "Post-operative therapy, 24 visits", "This request is for twice the initial course.", ["exceeds_guideline_quantity"]),
    ("DMEPOS", "Cold therapy unit, 30-day rental", "The 30-day rental requested is four times the period the guideline supports.", ["duration_exceeded"]),
    ("Pharmaceuticals", "Nortriptyline", "Most double-blind trials have been of short duration.", ["indications_not_documented"]),
    # no more than two weeks is a limit, not a missing finding
    ("Pharmaceuticals", "Carisoprodol", "Relaxants are for no more than two weeks of an acute exacerbation; she has used it since 2012.",
     ["duration_exceeded"]),
])
def test_wordings_found_on_letters_written_blind(category, treatment, rationale, expected):
    words = item_words(treatment)
    assert [r.tag for r in find_reasons(rationale, "upheld", category, words=words)] == expected


# Each reason said the ways reviewers say it: (tag, category, subcategory, treatment, rationale); a
# trailing number in the treatment is its quantity. The whole pipeline: limit, then tags.
PARAPHRASES = [
# (tag, category, subcategory, treatment, rationale)
("no_functional_improvement", "Rehabilitation", "physical therapy", "PT 8 visits", "The claimant has attended 12 sessions to date. Progress notes do not demonstrate any objective gains in strength or range of motion."),
("no_functional_improvement", "Pharmaceuticals", "opioids", "Norco", "The records do not quantify pain relief or describe increased activities of daily living attributable to Norco."),
("no_functional_improvement", "Pharmaceuticals", "nsaids", "Naproxen", "There is no mention of how much the naproxen helps or whether it has allowed her to do more."),
("no_functional_improvement", "Rehabilitation", "acupuncture", "Acupuncture x6", "After six acupuncture sessions her work restrictions and medication use are the same."),
("no_functional_improvement", "Injections", "epidural", "Repeat ESI", "The prior block provided only 20% relief for one week."),
("no_functional_improvement", "Pharmaceuticals", "muscle relaxants", "Flexeril", "He reports the medication does not help his spasms."),
("exceeds_guideline_quantity", "Rehabilitation", "chiropractic", "Chiro 12", "Twelve visits were requested, whereas the guideline supports a trial of six."),
("exceeds_guideline_quantity", "Rehabilitation", "physical therapy", "PT 12", "With the 10 sessions already completed, the 12 additional requested would total 22, well above the 10 recommended."),
("exceeds_guideline_quantity", "Rehabilitation", "physical therapy", "PT 8", "The requested 8 sessions surpass the number allowed for this diagnosis."),
("exceeds_guideline_quantity", "Behavioral and mental health", "psychotherapy", "CBT 12", "The request for 12 sessions is more than the initial trial of 4 the guideline supports."),
("duration_exceeded", "Pharmaceuticals", "muscle relaxants", "Cyclobenzaprine", "The claimant has been on cyclobenzaprine for over a year, far beyond the short course recommended."),
("duration_exceeded", "Pharmaceuticals", "sleep aids", "Ambien", "Zolpidem is meant for two to six weeks; she has taken it every night since 2014."),
("duration_exceeded", "Pharmaceuticals", "benzodiazepines", "Xanax", "Benzodiazepines are limited to 4 weeks, and this patient has used alprazolam chronically."),
("not_recommended", "Diagnostic testing", "other", "Surface EMG", "Surface EMG is not recommended by ODG for diagnosing low back conditions."),
("not_recommended", "Pharmaceuticals", "topical analgesics", "Ketoprofen cream", "Ketoprofen is not FDA approved for topical use."),
("not_recommended", "DMEPOS", "other", "Interferential unit", "The guidelines do not support interferential stimulation as an isolated intervention, and there is no evidence it is effective."),
("not_recommended", "Injections", "other", "Prolotherapy", "Prolotherapy is considered experimental and is not supported."),
("not_recommended", "Rehabilitation", "other", "Hot packs", "Passive modalities such as hot packs are not recommended in the chronic phase."),
("indications_not_documented", "Diagnostic testing", "mri", "MRI lumbar", "There are no objective neurological deficits on examination and no red flags."),
("indications_not_documented", "Injections", "epidural", "ESI", "Radiculopathy is not corroborated by imaging or electrodiagnostic studies."),
("indications_not_documented", "Pharmaceuticals", "ppi", "Omeprazole", "The patient has no history of GI bleeding, ulcer or other gastrointestinal risk factor."),
("indications_not_documented", "Surgery", "knee", "Knee arthroscopy", "The MRI does not show a meniscal tear and he has not tried physical therapy."),
("indications_not_documented", "Pharmaceuticals", "anticonvulsants", "Gabapentin", "She does not have neuropathic pain; her complaints are mechanical low back pain."),
("opioid_monitoring", "Pharmaceuticals", "opioids", "Oxycodone", "No urine drug screen is on file, and there is no signed opioid agreement."),
("opioid_monitoring", "Pharmaceuticals", "opioids", "Norco", "The physician has not documented screening for aberrant drug-taking behavior or a CURES review."),
("opioid_monitoring", "Pharmaceuticals", "opioids", "Tramadol", "Ongoing monitoring of analgesia, activities, adverse effects and aberrant behaviors is not evident."),
("request_incomplete", "Rehabilitation", "physical therapy", "Physical therapy", "The number of sessions requested is not stated."),
("request_incomplete", "Pharmaceuticals", "topical analgesics", "Compound cream", "The compound's ingredients are unknown."),
("request_incomplete", "DMEPOS", "other", "Brace", "It is unclear which body part the brace is for."),
("depends_on_denied_item", "DMEPOS", "other", "Post-op sling", "Because the shoulder surgery is not certified, the sling is not needed."),
("depends_on_denied_item", "Evaluation and management", "consultation/referral", "Pre-operative clearance", "The proposed surgery being non-certified, pre-operative clearance is not necessary."),
("depends_on_denied_item", "Rehabilitation", "physical therapy", "Post-op PT 12", "Post-operative therapy is moot since the knee surgery was denied."),
("no_functional_improvement", "Rehabilitation", "chiropractic", "Chiropractic 6", "Objective measures of improvement following the prior chiropractic care were not provided."),
("no_functional_improvement", "Pharmaceuticals", "opioids", "Percocet", "The claimant continues to report 8/10 pain despite Percocet."),
("no_functional_improvement", "Rehabilitation", "physical therapy", "PT 6", "Prior physical therapy failed to produce lasting benefit."),
("no_functional_improvement", "Pharmaceuticals", "topical analgesics", "Lidoderm", "Efficacy of the patches has not been established in this patient."),
("no_functional_improvement", "Behavioral and mental health", "psychotherapy", "CBT 6", "The six prior sessions produced no measurable change in her Beck Depression Inventory score."),
("exceeds_guideline_quantity", "Rehabilitation", "physical therapy", "PT 18", "The request for 18 visits is in excess of the 9-10 visits recommended."),
("exceeds_guideline_quantity", "Rehabilitation", "acupuncture", "Acupuncture 12", "Guidelines support 3 to 6 treatments initially; 12 treatments are requested."),
("exceeds_guideline_quantity", "Rehabilitation", "physical therapy", "PT 8", "She has already completed 24 post-operative visits, the full course allowed."),
("duration_exceeded", "DMEPOS", "other", "Cold therapy unit purchase", "In this case a purchase is not warranted: cryotherapy units are supported for 7 days of post-operative use."),
("duration_exceeded", "Pharmaceuticals", "muscle relaxants", "Soma", "Soma has been prescribed since at least March 2015, well past the 2-3 week window."),
("not_recommended", "Pharmaceuticals", "topical analgesics", "Gabapentin cream", "Topical gabapentin is not recommended as there is no peer-reviewed literature to support its use."),
("not_recommended", "Diagnostic testing", "other", "Discogram", "ODG states discography is not recommended."),
("not_recommended", "DMEPOS", "other", "Lumbar support", "Lumbar supports have not been shown to provide lasting benefit beyond the acute phase."),
("indications_not_documented", "Injections", "facet", "Facet injection", "There is no documentation of facet-mediated pain on examination."),
("indications_not_documented", "Diagnostic testing", "emg", "EMG/NCV", "Findings suggestive of peripheral neuropathy or radiculopathy were not described."),
("indications_not_documented", "Surgery", "hand/wrist/elbow", "Carpal tunnel release", "Electrodiagnostic confirmation of carpal tunnel syndrome is absent."),
("indications_not_documented", "Pharmaceuticals", "sleep aids", "Trazodone", "The records do not describe her sleep pattern or an attempt at sleep hygiene."),
("indications_not_documented", "Programs", "other", "Functional restoration program", "A psychological evaluation has not been completed and negative predictors of success were not addressed."),
("opioid_monitoring", "Pharmaceuticals", "opioids", "Oxycontin", "There is no evidence of an updated pain contract or recent toxicology."),
("opioid_monitoring", "Pharmaceuticals", "opioids", "Methadone", "The MED exceeds 120 and no taper has been attempted."),
("request_incomplete", "Pharmaceuticals", "other", "Medication refills", "The request does not include the dosage or the number of refills."),
("request_incomplete", "Rehabilitation", "physical therapy", "Aquatic therapy", "The duration and frequency of the aquatic therapy are not specified."),
("depends_on_denied_item", "Surgery", "other", "Assistant surgeon", "As the associated lumbar fusion is not supported, an assistant surgeon is not needed."),
("depends_on_denied_item", "DMEPOS", "other", "Walker", "Since the requested hip replacement has been deemed not medically necessary, the walker is also not necessary."),
("other", "Rehabilitation", "physical therapy", "PT 6", "She should be able to continue with an independent home exercise program at this point."),
("other", "Diagnostic testing", "mri", "MRI", "A lumbar MRI was performed two months ago and no change since then is documented."),
("other", "Pharmaceuticals", "nsaids", "Celebrex", "She is already taking ibuprofen, and two NSAIDs together are not appropriate."),
# wordings met in letters_j..m, each said here in other words
("depends_on_denied_item", "DMEPOS", "other", "Knee brace", "The brace was ordered for the knee replacement, which this review has not found medically necessary."),
("depends_on_denied_item", "Rehabilitation", "physical therapy", "Post-op PT 12", "The rotator cuff repair this therapy was meant to follow was found not medically necessary."),
("depends_on_denied_item", "Behavioral and mental health", "biofeedback", "Biofeedback 6", "The pain program it would be part of was not certified in this review."),
("opioid_monitoring", "Pharmaceuticals", "opioids", "Tramadol", "Three years of tramadol. No urine screen and no agreement in the chart."),
("no_functional_improvement", "Rehabilitation", "chiropractic", "Chiropractic 6", "Twelve visits so far. Pain the same as in March."),
("no_functional_improvement", "Injections", "epidural", "Repeat ESI", "The last injection gave relief for three days only."),
("no_functional_improvement", "DMEPOS", "TENS/electrical stimulation units", "TENS unit", "She used a TENS unit in therapy without any documented change in her pain."),
("no_functional_improvement", "Pharmaceuticals", "topical/compounded", "Lidoderm patch", "He has used the patches for a year and nothing in the notes says what they changed."),
("indications_not_documented", "DMEPOS", "home medical equipment", "Hospital bed", "The guideline lists when a hospital bed is needed. None of those conditions applies to this worker."),
("exceeds_guideline_quantity", "Rehabilitation", "psychotherapy/CBT", "CBT 8", "She has had 16 sessions and eight more would put the total at 24, past the 20 the guideline allows."),
("exceeds_guideline_quantity", "Behavioral and mental health", "biofeedback", "Biofeedback 8", "This is a first course, and 8 visits is more than that trial allows."),
("other", "DMEPOS", "braces/orthotics/supports", "Wrist splint", "She was issued a prefabricated wrist splint last year and still wears it."),
]


@pytest.mark.parametrize("tag, category, subcategory, treatment, rationale", PARAPHRASES)
def test_paraphrases_of_each_reason(tag, category, subcategory, treatment, rationale):
    quantity = re.search(r"(\d+)$", treatment)
    limit, _, over = measure(rationale, category, "upheld", int(quantity.group(1)) if quantity else None, treatment)
    found = find_reasons(rationale, "upheld", category, subcategory, limit=limit, over_limit=over, words=item_words(treatment))
    assert tag in [reason.tag for reason in found]


# Sentences near a reason's words that do not give it: (tag, category, subcategory, treatment, rationale).
NOT_THESE = [
("no_functional_improvement", "Diagnostic testing", "mri", "MRI lumbar", "The prior MRI showed a disc bulge. There are no red flags."),
("exceeds_guideline_quantity", "Rehabilitation", "physical therapy", "PT 6", "Guidelines allow up to 10 visits. The patient has had 2 visits and the 6 requested are within the guideline. However, there is no documentation of functional improvement."),
("duration_exceeded", "Pharmaceuticals", "nsaids", "Naproxen", "NSAIDs are recommended at the lowest dose for the shortest period. There is no documentation of GI risk assessment."),
("not_recommended", "Pharmaceuticals", "opioids", "Norco", "Opioids are not recommended as first-line therapy. The records show no urine drug screen."),
("request_incomplete", "Rehabilitation", "physical therapy", "PT", "It is unclear how many sessions she has completed. No functional improvement is documented."),
("depends_on_denied_item", "Surgery", "knee", "Knee arthroscopy", "The knee arthroscopy is not medically necessary because there is no mechanical symptom."),
("other", "Diagnostic testing", "mri", "MRI", "The prior MRI showed no nerve root compression and the exam is unchanged."),
("opioid_monitoring", "Pharmaceuticals", "nsaids", "Ibuprofen", "There is no urine drug screen in the records."),
("indications_not_documented", "Rehabilitation", "physical therapy", "PT 12", "The 12 visits requested exceed the guideline recommendation of 10 visits."),
("not_recommended", "Rehabilitation", "physical therapy", "PT 12", "The guidelines do not recommend more than 10 visits for this condition. The 12 visits requested exceed that."),
("duration_exceeded", "Rehabilitation", "physical therapy", "PT 12", "She has had therapy for more than a year without improvement."),
("exceeds_guideline_quantity", "Pharmaceuticals", "opioids", "Norco 120", "The morphine equivalent dose is more than 120 mg per day."),
("depends_on_denied_item", "DMEPOS", "other", "Knee brace", "The knee replacement, which was done in 2015, went well; there is no instability on examination."),
("no_functional_improvement", "Diagnostic testing", "MRI", "MRI knee", "The MRI was done without contrast."),
("opioid_monitoring", "Pharmaceuticals", "nsaids", "Naproxen", "No urine screen and no agreement are in the chart."),
]


@pytest.mark.parametrize("tag, category, subcategory, treatment, rationale", NOT_THESE)
def test_near_misses_give_no_such_reason(tag, category, subcategory, treatment, rationale):
    quantity = re.search(r"(\d+)$", treatment)
    limit, _, over = measure(rationale, category, "upheld", int(quantity.group(1)) if quantity else None, treatment)
    found = find_reasons(rationale, "upheld", category, subcategory, limit=limit, over_limit=over, words=item_words(treatment))
    assert tag not in [reason.tag for reason in found]


def test_a_home_program_after_a_course_past_the_limit_is_part_of_the_excess():
    rationale = "Guidelines allow up to 10 visits. He has completed 12 visits and is performing a home exercise program."
    limit, prior, over = measure(rationale, "Rehabilitation", "upheld", 6)
    reasons = find_reasons(rationale, "upheld", "Rehabilitation", limit=limit, over_limit=over)
    assert [r.tag for r in reasons] == ["exceeds_guideline_quantity"]


def test_a_guideline_rule_that_applies_by_its_own_terms_counts_in_background():
    rationale = ("The guidelines state that any compounded product that contains at least one drug that is not recommended "
                 "is not recommended. There is no documentation of neuropathic pain.")
    reasons = find_reasons(rationale, "upheld", "Pharmaceuticals", "topical analgesics")
    assert [r.tag for r in reasons] == ["not_recommended", "indications_not_documented"]
    assert rationale[reasons[0].start:reasons[0].end].startswith("The guidelines state that any compounded")


def test_a_guideline_sentence_naming_the_item_as_not_recommended_applies_to_it():
    words = item_words("Lumbar discogram L3-S1")
    rationale = "Discograms are not recommended. The records show no red flags. The request is not medically necessary."
    assert tags(rationale, category="Diagnostic testing", words=words) == ["not_recommended", "indications_not_documented"]
    # conditional ("unless ...") or about another treatment: background only
    conditional = "Discograms are not recommended unless fusion is planned. The records show no red flags."
    assert tags(conditional, category="Diagnostic testing", words=words) == ["indications_not_documented"]
    other = "Opioids are not recommended for this. The records show no red flags."
    assert tags(other, category="Diagnostic testing", words=words) == ["indications_not_documented"]
    # the subject is what comes before the first verb of its clause
    traction = "For chronic neck pain, home traction is no better than sham and is not recommended. There are no red flags."
    assert tags(traction, category="DMEPOS", words=item_words("Cervical traction unit")) == ["not_recommended", "indications_not_documented"]
    # the guideline's object a pronoun: the item the rationale speaks of
    assert tags("Discography is used before fusion. The ODG does not recommend it.", category="Diagnostic testing",
                words=words) == ["not_recommended"]
    # a condition counts in the guideline's own clause, or opening the sentence, not in a later clause
    later = "Per the MTUS, discograms are not recommended, and patients taking them together with opioids need care."
    assert tags(later, category="Diagnostic testing", words=words) == ["not_recommended"]
    opening = "Unless fusion is planned, discograms are not recommended. The records show no red flags."
    assert tags(opening, category="Diagnostic testing", words=words) == ["indications_not_documented"]


def test_the_conclusion_in_the_guidelines_words_is_not_a_reason():
    rationale = "There is no documented neuropathic pain. Therefore, the request for the patch is not recommended."
    assert tags(rationale) == ["indications_not_documented"]
    # the item's own words in a conclusion that only restates the outcome give no tag
    rationale = ("There is no documented functional improvement from the prior unit. "
                 "The request for a TENS unit purchase for the lumbar spine is determined to not be medically necessary.")
    assert tags(rationale, category="DMEPOS") == ["no_functional_improvement"]
    rationale = "There are no red flags. Therefore, the request would not be supported by the guidelines."
    assert tags(rationale, category="Diagnostic testing") == ["indications_not_documented"]


def test_opioid_monitoring_only_for_an_opioid():
    rationale = "The records contain no urine drug screen and no opioid agreement."
    assert tags(rationale, subcategory="opioids") == ["opioid_monitoring"]
    assert "opioid_monitoring" not in tags(rationale, subcategory="nsaids")


def test_an_overturned_item_met_the_criteria_on_its_conclusion():
    rationale = "Guidelines support a trial. The worker has radicular findings. The request is medically necessary."
    reasons = find_reasons(rationale, "overturned")
    assert [r.tag for r in reasons] == ["criteria_met"]
    assert rationale[reasons[0].start:reasons[0].end] == "The request is medically necessary."


def test_an_upheld_item_always_has_a_reason_and_spans_are_its_sentences():
    rationale = "The guidelines recommend it for some patients. The request is not medically necessary."
    reasons = find_reasons(rationale, "upheld")
    assert len(reasons) == 1 and reasons[0].tag != "criteria_met"
    rationale = "ODG supports it. However, there was a lack of documented functional improvement from prior therapy. It is denied."
    reason = find_reasons(rationale, "upheld", "Rehabilitation")[0]
    assert rationale[reason.start:reason.end].startswith("However, there was a lack")
    assert find_reasons(None, "upheld") == [] and find_reasons("", "overturned") == []


def test_phrase_vocabulary_names_only_known_tags():
    assert {family.tag for family in phrases().families} <= set(REASON_TAGS)
    assert "criteria_met" not in {family.tag for family in phrases().families}  # said by the outcome


@pytest.mark.parametrize("rationale, category, expected", [
    ("The MTUS recommends 9-10 visits over 8 weeks for myalgia. The worker has had none.", "Rehabilitation",
     GuidelineLimit(10, "visits", "9-10 visits over 8 weeks")),
    ("Zolpidem is approved for short-term use of up to 2 weeks. She has used it for a year.", "Pharmaceuticals",
     GuidelineLimit(2, "weeks", "up to 2 weeks")),
    ("Cold therapy is recommended after surgery for up to 7 days.", "DMEPOS", GuidelineLimit(7, "days", "up to 7 days")),
    # several conditions' limits quoted, none applied
    ("Guidelines allow 9-10 visits over 8 weeks for myalgia and 8-10 visits over 4 weeks for neuritis. "
     "The records show no deficits.", "Rehabilitation", None),
    # waiting weeks before imaging are not a limit of use
    ("Imaging is not needed until after a 4 to 6 week period of conservative care.", "Diagnostic testing", None),
    ("She has taken it for more than six months.", "Pharmaceuticals", None),
    # a frequency of visits, a wait before re-evaluation, a course given, a study's length: not limits of use
    ("If return to work is achieved, then 1-2 visits every 4-6 months is recommended.", "Rehabilitation", None),
    ("However, if there is no improvement after 2-3 weeks, the therapy should be modified.", "Rehabilitation", None),
    ("A trial of 6 sessions was approved by a prior reviewer.", "Rehabilitation", None),
    ("Most trials have been of short duration (6-12 weeks).", "Pharmaceuticals", None),
    ("Topical NSAIDs are recommended for short-term use of 4-12 weeks.", "Pharmaceuticals", GuidelineLimit(12, "weeks", "4-12 weeks")),
    # what the request is measured against, after words about the request
    ("The number of visits requested is above the 8-10 visits the guidelines allow.", "Rehabilitation",
     GuidelineLimit(10, "visits", "8-10 visits")),
])
def test_guideline_limit(rationale, category, expected):
    assert find_limit(rationale, category) == expected


def test_the_limit_a_request_reaches_when_a_trial_and_a_total_are_quoted():
    rationale = "An initial trial of 6 visits over 6 weeks is recommended, and with improvement a total of up to 13-20 visits."
    assert find_limit(rationale, "Behavioral and mental health", "upheld", 12, None).value == 6
    assert find_limit(rationale, "Behavioral and mental health", "overturned", 6, None).value == 6
    assert find_limit(rationale, "Behavioral and mental health", "upheld", 8, 20).value == 20
    # more of a treatment already given, how many unknown: past the trial, the total applies
    assert find_limit(rationale, "Behavioral and mental health", "overturned", 6, None, continued=True).value == 20
    assert measure(rationale, "Rehabilitation", "upheld", None, "Additional therapy 3 times a week for 2 weeks")[0].value == 20


@pytest.mark.parametrize("rationale, prior", [
    ("The worker has completed 24 sessions of physical therapy.", 24),
    ("She has already had twelve chiropractic visits.", 12),
    ("The 8 prior acupuncture treatments brought no relief.", 8),
    ("Eight sessions are requested.", None),
    ("Guidelines allow 10 visits.", None),
])
def test_prior_quantity(rationale, prior):
    assert find_prior_quantity(rationale) == prior


def test_over_limit():
    ten = GuidelineLimit(10, "visits", "up to 10 visits")
    assert is_over_limit(12, None, ten, False) is True
    assert is_over_limit(6, 8, ten, True) is True
    assert is_over_limit(6, 8, ten, False) is False
    assert is_over_limit(None, 8, ten, True) is None
    assert is_over_limit(60, None, GuidelineLimit(3, "weeks", "2-3 weeks"), False) is None
    limit, prior, over = measure("Guidelines allow up to 10 visits. He has completed 8 visits; 6 more would bring the total to 14.",
                                 "Rehabilitation", "upheld", 6)
    assert (limit.value, prior, over) == (10, 8, True)


def test_the_record_carries_reasons_and_limits():
    text = (reason_accuracy.FIXTURES / "letters" / "determination_a.txt")
    record = imr.parse_file(text).to_dict()
    for decision in record["decisions"]:
        assert decision["reasons"] and all(r["tag"] in REASON_TAGS for r in decision["reasons"])
        for reason in decision["reasons"]:
            assert 0 <= reason["start"] < reason["end"] <= len(decision["rationale"])
        assert decision["guideline_limit"] is None or set(decision["guideline_limit"]) == {"value", "unit", "text"}


# Issue 14's targets are micro-F1 0.90, precision 0.85 per tag used 10 times, 95% exact limits and
# priors. What is asserted is what the parser reaches today (benchmarks/bench_accuracy.py prints it),
# so that a change that loses accuracy fails.
def assert_scores(scores: reason_accuracy.ReasonScores, f1: float, precision: float, limit: float, prior: float) -> None:
    report = "\n".join(scores.report())
    assert scores.f1 >= f1, report
    for tag in REASON_TAGS:
        if scores.used(tag) >= 10:
            assert scores.tag_precision(tag) >= precision, f"{tag}\n{report}"
    assert scores.exactness("guideline_limit") >= limit, report
    assert scores.exactness("prior_quantity") >= prior, report


def test_hand_written_letters_against_their_labels():
    # letters_j..m, first scored blind (F1 0.80 and 0.72), now tuned on, hold these floors down.
    assert_scores(reason_accuracy.score(reason_accuracy.fixture_pairs()), f1=0.89, precision=0.69, limit=0.96, prior=0.99)


@pytest.mark.skipif(not real_accuracy.available(), reason=real_accuracy.MISSING_REASON)
def test_all_labelled_letters_reach_the_issues_targets():
    """Issue 14's bar over every decision labelled by reading: the real letters and the hand-written ones."""
    pairs = reason_accuracy.real_pairs() + reason_accuracy.fixture_pairs()
    assert_scores(reason_accuracy.score(pairs), f1=0.90, precision=0.85, limit=0.97, prior=0.995)


@pytest.mark.skipif(not real_accuracy.available(), reason=real_accuracy.MISSING_REASON)
def test_real_letters_against_their_labels():
    assert_scores(reason_accuracy.score(reason_accuracy.real_pairs()), f1=0.93, precision=0.89, limit=0.99, prior=0.995)
