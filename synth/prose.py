"""Sentences shared by the layouts, each with several wordings: a parser must not key on one."""
from __future__ import annotations

import datetime as dt
from random import Random

from synth.people import Patient, Reviewer
from synth.phrasing import cap_first, format_date, join_words, pick
from synth.treatments import FAMILY_TEXT

TREATMENT_HISTORY = (
    "medications", "physical therapy", "chiropractic care", "acupuncture", "a home exercise program",
    "activity modification", "injections", "diagnostic imaging", "psychological counseling",
    "a transcutaneous electrical nerve stimulation (TENS) unit", "work restrictions",
)
MECHANISMS = (
    "The mechanism of injury was lifting a heavy box.",
    "{Subj} was injured when {subj} slipped and fell at work.",
    "The injury occurred during the course of {pos} usual duties as a warehouse worker.",
    "{Subj} was employed by [REDACTED] as a cook.",
    "The injury was attributed to repetitive work activities.",
    "{Subj} was involved in a motor vehicle accident while driving for work.",
)
REASON_LEADS = ("In this case, ", "Here, ", "Based on the records reviewed, ", "", "In the case at hand, ")


def age_phrase(rng: Random, patient: Patient) -> str:
    """'a 59 year old female', 'a 59-year-old man', 'a 59 year-old gentleman'."""
    age = pick(rng, (f"{patient.age} year old", f"{patient.age}-year-old", f"{patient.age} year-old"))
    return f"a {age} {patient.sex_word}"


def _part_phrases(patient: Patient, rng: Random, article: str) -> str:
    physical = [patient.part_words[p] for p in patient.parts if p != "psyche"]
    text = f"{article} {join_words(physical, rng)}" if physical else ""
    if "psyche" not in patient.parts:
        return text
    psyche = patient.part_words["psyche"]
    return f"{text}, with a psychiatric claim for {psyche}" if text else f"the {psyche}"


def case_summary(rng: Random, patient: Patient, injury: dt.date, date_style: str,
                 items_text: list[str], ur_date: dt.date, quote_ur: bool) -> list[str]:
    """Paragraphs of a clinical case summary. Body parts are named in the first sentence only."""
    doi = format_date(injury, date_style)
    subj, pos = patient.subject, patient.possessive
    who = age_phrase(rng, patient)
    opening = pick(rng, (
        f"The injured worker is {who} who sustained a work related injury on {doi}, incurring injuries to {_part_phrases(patient, rng, pos)}.",
        f"The patient is {who} who reported an industrial injury on {doi} to {_part_phrases(patient, rng, 'the')}.",
        f"This is {who} with a date of injury of {doi}. The accepted body parts are {_part_phrases(patient, rng, 'the')}.",
        f"According to the records, the applicant is {who} who was injured at work on {doi}, involving {_part_phrases(patient, rng, pos)}.",
    ))
    sentences = [opening]
    if rng.random() < 0.5:
        sentences.append(pick(rng, MECHANISMS).format(Subj=cap_first(subj), subj=subj, pos=pos))
    history = rng.sample(TREATMENT_HISTORY, rng.randint(2, 4))
    sentences.append(pick(rng, ("Treatment to date has included", "Prior treatment included",
                                "{Subj} has been treated with".format(Subj=cap_first(subj)))) + f" {join_words(history, rng)}.")
    diagnoses = join_words(list(patient.diagnoses), rng)
    sentences.append(pick(rng, (
        f"{cap_first(subj)} was diagnosed with {diagnoses}.", f"Diagnoses include {diagnoses}.",
        f"The diagnoses are {diagnoses}.", f"Current diagnoses included {diagnoses}.",
    )))
    visit = format_date(ur_date - dt.timedelta(days=rng.randint(10, 60)), date_style)
    sentences.append(pick(rng, (
        f"On {visit}, the injured worker complained of ongoing pain rated {rng.randint(4, 9)}/10.",
        f"A progress report by Dr. [REDACTED] dated {visit} noted persistent pain and limited activity tolerance.",
        f"Currently, {subj} complains of constant pain that worsens with prolonged activity.",
        f"At the visit of {visit}, examination showed tenderness and restricted range of motion.",
    )))
    requested = join_words(items_text, rng)
    plan = pick(rng, (
        f"The treatment plan included a request for {requested}.",
        f"The provider requested authorization for {requested}.",
        f"A request for authorization was submitted for {requested}.",
    ))
    paragraphs = [" ".join(sentences), plan]
    if quote_ur:
        paragraphs.append(pick(rng, (
            f"The utilization review dated {format_date(ur_date, date_style)} non-certified the request, citing a lack of documented functional improvement.",
            f"Utilization review on {format_date(ur_date, date_style)} denied the request.",
        )))
    return paragraphs


def rationale_reasons(rng: Random, family: str, outcome: str, patient: Patient, part: str | None,
                      years: int) -> tuple[str, ...]:
    guide, deny, allow = FAMILY_TEXT[family]
    area = patient.part_words[part] if part and part != "psyche" else None
    context = pick(rng, (
        f"The claimant is more than {max(years, 1)} years status post work-related injury and continues to be treated for chronic pain.",
        f"The injured worker has ongoing complaints of {area} pain." if area else "The injured worker has ongoing complaints related to the industrial injury.",
        "The medical records were reviewed in detail.",
        f"Per the most recent progress report, the patient continues to report pain rated {rng.randint(5, 9)}/10.",
    ))
    reason = pick(rng, deny if outcome == "upheld" else allow)
    lead = pick(rng, REASON_LEADS)
    reason = lead + (reason[0].lower() + reason[1:] if lead else reason)
    return (context, pick(rng, guide), reason)


def conclusion(rng: Random, item_text: str, outcome: str) -> str:
    negation = "not " if outcome == "upheld" else ""
    return pick(rng, (
        f"The request for {item_text} is {negation}medically necessary.",
        f"Therefore, the request for {item_text} is {negation}medically necessary.",
        f"As such, the requested {item_text} is {negation}medically necessary and appropriate.",
        f"Consequently, the request for {item_text} is {negation}medically necessary and appropriate.",
    ))


def credentials_prose(rng: Random, reviewer: Reviewer, title: str) -> str:
    """'The physician reviewer is Board Certified in X, has a subspecialty in Y and is licensed to practice in Z.'"""
    first, *more = reviewer.specialties
    board = f"Board Certified in {first}"
    if more:
        board += f", has a subspecialty in {join_words(more, rng)}"
    states = join_words(list(reviewer.states), rng)
    licence = pick(rng, (f"is licensed to practice in {states}", f"holds a license to practice in {states}",
                         f"is licensed in {states}"))
    return f"{title} is {board} and {licence}."


EXPERIENCE = (
    "He/she has been in active clinical practice for more than five years and is currently working at least 24 hours a week in active practice.",
    "The reviewer has been in active clinical practice for more than five years and currently works at least 24 hours a week in active practice.",
    "He or she has been in active practice for more than five years and is currently working at least 24 hours per week in active practice.",
)
INDEPENDENCE = (
    "MAXIMUS Federal Services sent the complete case file to an expert reviewer. He/she has no affiliation with the employer, employee, providers or the claims administrator.",
    "The complete case file was sent to a physician reviewer who has no affiliation with the employer, employee, providers or the claims administrator.",
    "MAXIMUS Federal Services forwarded the case file to an independent expert reviewer with no affiliation with any of the parties to this dispute.",
)
SELECTION = (
    "The expert reviewer was selected based on his/her clinical experience, education, background, and expertise in the same or similar specialties that evaluate and/or treat the medical condition and disputed items/Service. He/she is familiar with governing laws and regulations, including the strength of evidence hierarchy that applies to Independent Medical Review determinations.",
    "The reviewer was chosen for clinical experience, education, background and expertise in the same or a similar specialty that evaluates or treats the medical condition and disputed items/services, and is familiar with the governing laws and regulations.",
    "The reviewer's expertise is in a specialty that evaluates and treats the condition at issue, and the reviewer is familiar with the strength of evidence hierarchy that applies to Independent Medical Review.",
)
BINDING = (
    "The determination of MAXIMUS Federal Services, Inc. is deemed to be the determination of the Administrative Director and is binding on all parties. A determination of the Administrative Director may be reviewed only if a verified appeal is filed with the Workers' Compensation Appeals Board within 30 days of the date of mailing of this determination letter.",
    "This Final Determination is the determination of the Administrative Director of the Division of Workers' Compensation and is binding on all parties. An appeal may be filed with the Workers' Compensation Appeals Board within 30 days of the mailing of this letter.",
    "Our decision is final and binding on all parties. If you disagree, you may file a verified appeal with the Workers' Compensation Appeals Board within 30 days of the date this letter was mailed.",
)


def documents_reviewed(rng: Random, ur: dt.date, received: dt.date, date_style: str) -> str:
    docs = [
        f"Application of Independent Medical Review, dated {format_date(received, date_style)}",
        f"Utilization Review Determination from [REDACTED] dated {format_date(ur, date_style)}",
        "Employee/Employee Representative Correspondence",
        "Claims Administrator Correspondence",
        f"Medical Records from [REDACTED] (dates of service {format_date(ur - dt.timedelta(days=rng.randint(120, 400)), date_style)} - {format_date(ur - dt.timedelta(days=rng.randint(5, 60)), date_style)})",
        "Doctor's First Report of Occupational Injury or Illness",
        "Primary Treating Physician's Progress Reports",
    ]
    return "\n".join(f"{n}. {doc}" for n, doc in enumerate(docs[: rng.randint(3, len(docs))], start=1))


def item_with_quantity(treatment: str, quantity: int | None, unit: str, style: str) -> tuple[str, int | None]:
    """The item as prose layouts write it ('Norco 10/325mg #120', 'Acupuncture x 6', '... (6 sessions)').

    Returns the text and the quantity it shows (None when the unit cannot be written in prose).
    """
    if quantity is None or unit == "":
        return treatment, None
    if unit == "pills":
        return f"{treatment} #{quantity}", quantity
    if style == "x":
        return f"{treatment} x {quantity}", quantity
    return f"{treatment} ({quantity} sessions)", quantity
