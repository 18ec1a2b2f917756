"""The four published layouts. Each turns a Case into blocks plus the truth that the blocks show."""
from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import Any, Callable

from synth import prose
from synth.blocks import Block, Pair, heading, labels, para
from synth.case import Case, Item
from synth.phrasing import DATE_STYLES, format_date, label, pick

LETTERHEAD = Block("letterhead", "MAXIMUS FEDERAL SERVICES, INC.\nIndependent Medical Review\nP.O. Box 138009\nSacramento, CA 95813-8009\nFax: (916) 605-4270")
ADDRESSEE = "[REDACTED]\n[REDACTED]\n[REDACTED], CA [REDACTED]"
FINAL_WORDS = {"upheld": "UPHOLD", "overturned": "OVERTURN", "partially overturned": "PARTIAL OVERTURN"}
FINAL_MEANING = {
    "upheld": ("This means we decided that none of the disputed items/services are medically necessary and appropriate.",
               "This means that none of the treatments in dispute were found medically necessary."),
    "overturned": ("This means we decided that all of the disputed items/services are medically necessary and appropriate.",
                   "This means that all of the treatments in dispute were found medically necessary."),
    "partially overturned": ("This means we decided that some of the disputed items/services are medically necessary and appropriate.",
                             "This means that some, but not all, of the treatments in dispute were found medically necessary."),
}


@dataclass(frozen=True)
class Written:
    """A layout's output: what is printed and the truth fields it makes readable."""

    blocks: list[Block]
    truth: dict[str, Any]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _decision(item: Item, quantity: int | None, rationale: str, ca_guideline: str | None) -> dict[str, Any]:
    """`ca_guideline`: the claims administrator's citation, or its statement that it cited nothing."""
    return {
        "treatment": item.treatment, "quantity": quantity, "outcome": item.outcome,
        "category": item.category, "claims_administrator_guideline": ca_guideline,
        "reviewer_guideline": item.reviewer_citation, "rationale": " ".join(rationale.split()),
    }


def _truth(case: Case, decisions: list[dict[str, Any]], *, assigned: bool, decided: bool,
           priority: bool) -> dict[str, Any]:
    return {
        "layout": case.layout, "case_number": case.case_number,
        "date_of_injury": _iso(case.date_of_injury), "ur_denial_date": _iso(case.ur_denial_date),
        "application_received": _iso(case.application_received),
        "date_assigned": _iso(case.date_assigned) if assigned else None,
        "decision_date": _iso(case.decision_date) if decided else None,
        "priority": case.priority.lower() if priority else None,
        "reviewer_licensure": list(case.reviewer.states),
        "reviewer_specialties": list(case.reviewer.specialties),
        "patient_age": case.patient.age, "patient_sex": case.patient.sex,
        "body_parts": list(case.patient.parts), "diagnoses": list(case.patient.diagnoses),
        "overall_outcome": case.overall_outcome, "decisions": decisions,
    }


def _prose_items(rng: Random, case: Case) -> list[tuple[Item, str, int | None]]:
    style = pick(rng, ("x", "sessions"))
    return [(item, *prose.item_with_quantity(item.treatment, item.quantity, item.unit, style)) for item in case.items]


def _rationale(rng: Random, item: Item, item_text: str) -> str:
    return " ".join((*item.reasons, prose.conclusion(rng, item_text, item.outcome)))


NOTHING_CITED = ("The Claims Administrator did not cite any evidence-based guidelines for its decision.",
                 "The Claims Administrator did not cite any medical evidence for its decision.")


def _ca_sentence(rng: Random, item: Item) -> tuple[str, str]:
    """The claims administrator's sentence as written, and the guideline text the parser should keep."""
    if item.ca_citation is None:
        sentence = pick(rng, NOTHING_CITED)
        return sentence, sentence
    return f"The Claims Administrator based its decision on {item.ca_citation}.", item.ca_citation


def _wrap(rng: Random, text: str) -> str:
    """Long headings sometimes break over two lines in the PDF."""
    words = text.split()
    if len(words) < 6 or rng.random() < 0.5:
        return text
    cut = rng.randint(3, len(words) - 2)
    return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])


def _dated(rng: Random, case: Case, style: str) -> Block:
    return para(f"{pick(rng, ('Dated:', 'Dated:', 'Date:'))} {format_date(case.decision_date, style)}")


def notice_2013(rng: Random, case: Case) -> Written:
    label_style, prose_style = pick(rng, DATE_STYLES), pick(rng, DATE_STYLES)
    date = lambda d: format_date(d, label_style)  # noqa: E731
    items = _prose_items(rng, case)
    pairs: list[Pair] = [
        (label(rng, "Employee"), "[REDACTED]"), (label(rng, "Claim Number"), "[REDACTED]"),
        (label(rng, "Date of UR Decision"), date(case.ur_denial_date)),
        (label(rng, pick(rng, ("Date of Injury", "Date of injury"))), date(case.date_of_injury)),
        (label(rng, "IMR Application Received"), date(case.application_received)),
        (label(rng, "MAXIMUS Case Number"), case.case_number),
    ]
    app, ur, noa = (format_date(d, prose_style) for d in (case.application_received, case.ur_denial_date, case.date_assigned))
    timeline = pick(rng, (
        f"The application for Independent Medical Review (IMR) was filed on {app}. A Utilization Review (UR) denial was issued on {ur}. The Notice of Assignment was provided on {noa}.",
        f"Dispute concerns the UR denial dated {ur}. The IMR application was filed on {app}, and MAXIMUS Federal Services, Inc. provided the Notice of Assignment on {noa}.",
        f"The IMR application was received on {app} regarding the Utilization Review decision dated {ur}. A Notice of Assignment and Request for Information was provided on {noa}.",
    ))
    findings = "\n".join(
        f"{n}) MAXIMUS Federal Services, Inc. has determined the request for {text} is {'not ' if item.outcome == 'upheld' else ''}medically necessary and appropriate."
        for n, (item, text, _) in enumerate(items, start=1))
    blocks = [LETTERHEAD, Block("title", "Notice of Independent Medical Review Determination"),
              _dated(rng, case, label_style), para(ADDRESSEE), labels(pairs, 1),
              para(pick(rng, ("Dear [REDACTED]:", "Dear Mr./Ms. [REDACTED]:"))),
              para(pick(rng, ("MAXIMUS Federal Services, Inc. has completed the Independent Medical Review of the above workers' compensation case. This letter provides you with the IMR Final Determination and explains how the determination was made.",
                              "The Independent Medical Review (IMR) of the above case is complete. This letter tells you the Final Determination and how it was reached.",
                              "We have completed the Independent Medical Review in the case listed above. This letter gives the Final Determination and explains how it was made."))),
              heading(f"Final Determination: {FINAL_WORDS[case.overall_outcome]}"),
              para(pick(rng, FINAL_MEANING[case.overall_outcome])),
              para(pick(rng, prose.BINDING)),
              heading("INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE"), para(timeline), para(findings),
              heading("Medical Qualifications of the Expert Reviewer:"),
              para(prose.credentials_prose(rng, case.reviewer, pick(rng, ("The Expert Reviewer", "The physician reviewer", "The reviewer")))
                   + " " + pick(rng, prose.EXPERIENCE)),
              heading("Expert Reviewer Case Summary:")]
    blocks += [para(p) for p in prose.case_summary(rng, case.patient, case.date_of_injury, prose_style,
                                                    [t for _, t, _ in items], case.ur_denial_date, rng.random() < 0.4)]
    blocks += [heading("Documents Reviewed for Determination:"),
               para(prose.documents_reviewed(rng, case.ur_denial_date, case.application_received, label_style))]
    decisions = []
    for n, (item, text, quantity) in enumerate(items, start=1):
        rationale = _rationale(rng, item, text)
        ca_written, ca_guideline = _ca_sentence(rng, item)
        blocks += [heading(f"{n}) Regarding the request for {text}:"),
                   heading("Medical Treatment Guideline(s) Relied Upon by the Expert Reviewer:"),
                   para(f"{ca_written} The Expert Reviewer based his/her decision on {item.reviewer_citation}."),
                   heading("Rationale for the Decision:"), para(rationale)]
        decisions.append(_decision(item, quantity, rationale, ca_guideline))
    blocks.append(para("cc: Department of Industrial Relations, Division of Workers' Compensation"))
    return Written(blocks, _truth(case, decisions, assigned=True, decided=True, priority=False))


def _label_table(rng: Random, case: Case, style: str, case_label: str) -> list[Pair]:
    date = lambda d: format_date(d, style)  # noqa: E731
    return [
        (label(rng, case_label), case.case_number), (label(rng, "Date Assigned"), date(case.date_assigned)),
        (label(rng, pick(rng, ("Date of Injury", "Date of injury"))), date(case.date_of_injury)),
        (label(rng, "Decision Date"), date(case.decision_date)),
        (label(rng, "UR Denial Date"), date(case.ur_denial_date)), (label(rng, "Priority"), case.priority),
        (label(rng, "Application Received"), date(case.application_received)),
    ]


def professional_review(rng: Random, case: Case) -> Written:
    label_style, prose_style = pick(rng, DATE_STYLES), pick(rng, DATE_STYLES)
    items = _prose_items(rng, case)
    case_label = pick(rng, ("Case Number", "IMR Case Number", "Case Number"))
    blocks = [labels(_label_table(rng, case, label_style, case_label), pick(rng, (1, 2))),
              Block("title", "MEDICAL PROFESSIONAL REVIEW"),
              para(pick(rng, prose.INDEPENDENCE) + " " + pick(rng, prose.SELECTION)),
              heading("ISSUE AT DISPUTE:"),
              para("\n".join(pick(rng, (f"{n}. Is the request for {t} medically necessary and appropriate?", f"{n}. {t}"))
                             for n, (_, t, _) in enumerate(items, start=1))),
              heading("CASE SUMMARY:")]
    blocks += [para(p) for p in prose.case_summary(rng, case.patient, case.date_of_injury, prose_style,
                                                    [t for _, t, _ in items], case.ur_denial_date, rng.random() < 0.3)]
    blocks += [heading("DOCUMENTS REVIEWED FOR DETERMINATION:"),
               para(prose.documents_reviewed(rng, case.ur_denial_date, case.application_received, label_style))]
    decisions = []
    reviewer_word = pick(rng, ("Professional Reviewer", "Expert Reviewer"))
    for n, (item, text, quantity) in enumerate(items, start=1):
        rationale = _rationale(rng, item, text)
        ca_written, ca_guideline = _ca_sentence(rng, item)
        blocks += [heading(f"{n}) Regarding the request for {text}:"),
                   heading(_wrap(rng, "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:")),
                   para(f"{ca_written} The {reviewer_word} based his/her decision on {item.reviewer_citation}."),
                   heading(_wrap(rng, "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:")),
                   para(rationale)]
        decisions.append(_decision(item, quantity, rationale, ca_guideline))
    blocks += [heading("MEDICAL REVIEWER QUALIFICATIONS:"),
               para(prose.credentials_prose(rng, case.reviewer, pick(rng, ("The physician reviewer", "The Professional Reviewer")))
                    + " " + pick(rng, prose.EXPERIENCE))]
    return Written(blocks, _truth(case, decisions, assigned=True, decided=True, priority=True))


def maximus_2014(rng: Random, case: Case) -> Written:
    label_style, prose_style = pick(rng, DATE_STYLES), pick(rng, DATE_STYLES)
    date = lambda d: format_date(d, label_style)  # noqa: E731
    items = _prose_items(rng, case)
    pairs: list[Pair] = [
        (label(rng, pick(rng, ("IMR Case Number", "MAXIMUS Case Number", "Case Number"))), case.case_number),
        (label(rng, "Claim Number"), "[REDACTED]"),
        (label(rng, pick(rng, ("Date of Injury", "Date of injury"))), date(case.date_of_injury)),
        (label(rng, "UR Denial Date"), date(case.ur_denial_date)), (label(rng, "Priority"), case.priority),
        (label(rng, "Application Received"), date(case.application_received)),
        (label(rng, "Employee"), "[REDACTED]"),
    ]
    reviewer_word = pick(rng, ("Physician Reviewer", "Expert Reviewer"))
    blocks = [LETTERHEAD, _dated(rng, case, label_style), para(ADDRESSEE), labels(pairs, pick(rng, (1, 2))),
              para(pick(rng, ("Dear [REDACTED]:", "Dear [REDACTED],"))),
              para(pick(rng, ("MAXIMUS Federal Services has completed an Independent Medical Review (IMR) of the treatment(s) in dispute. This letter explains the Final Determination.",
                              "The Independent Medical Review (IMR) of your case is complete. This letter gives you the Final Determination and explains how it was made.",
                              "An Independent Medical Review of the disputed medical treatment has been completed. The results are explained below."))),
              heading("Treatment(s) in Dispute Listed on IMR Application:"),
              para("\n".join(t for _, t, _ in items)),
              heading(f"Final Determination: {FINAL_WORDS[case.overall_outcome]}"),
              para(pick(rng, FINAL_MEANING[case.overall_outcome]) + " " + pick(rng, prose.BINDING)),
              heading("HOW THE IMR FINAL DETERMINATION WAS MADE"),
              para(pick(rng, prose.INDEPENDENCE) + " "
                   + prose.credentials_prose(rng, case.reviewer, f"The {reviewer_word} who reviewed this case")
                   + " " + pick(rng, prose.EXPERIENCE)),
              heading("DOCUMENTS REVIEWED"),
              para(prose.documents_reviewed(rng, case.ur_denial_date, case.application_received, label_style)),
              heading("CLINICAL CASE SUMMARY")]
    blocks += [para(p) for p in prose.case_summary(rng, case.patient, case.date_of_injury, prose_style,
                                                    [t for _, t, _ in items], case.ur_denial_date, rng.random() < 0.3)]
    blocks.append(heading("IMR DECISION(S) AND RATIONALE(S)"))
    decisions = []
    for n, (item, text, quantity) in enumerate(items, start=1):
        rationale = _rationale(rng, item, text)
        negation = "not " if item.outcome == "upheld" else ""
        ca_written, ca_guideline = _ca_sentence(rng, item)
        blocks += [heading(f"{n}. {text} is {negation}medically necessary and appropriate."),
                   para(ca_written),
                   para(f"The {reviewer_word} based his/her decision on {item.reviewer_citation}."),
                   para(f"The {reviewer_word}'s decision rationale:"), para(rationale)]
        decisions.append(_decision(item, quantity, rationale, ca_guideline))
    blocks.append(para("cc: Department of Industrial Relations, Division of Workers' Compensation"))
    return Written(blocks, _truth(case, decisions, assigned=False, decided=True, priority=True))


def determination(rng: Random, case: Case) -> Written:
    label_style, prose_style = pick(rng, DATE_STYLES), pick(rng, DATE_STYLES)
    case_label = pick(rng, ("Case Number", "Case Number", "IMR Case Number"))
    # Some printings carry a title above the label table; most start with the table itself.
    title = pick(rng, ([], [], [Block("title", "Independent Medical Review Final Determination")],
                       [Block("title", "IMR FINAL DETERMINATION")]))
    blocks = [*title, labels(_label_table(rng, case, label_style, case_label), 2),
              heading("HOW THE IMR FINAL DETERMINATION WAS MADE"),
              para(pick(rng, prose.INDEPENDENCE) + " " + pick(rng, prose.EXPERIENCE) + " " + pick(rng, prose.SELECTION)),
              para(f"The Expert Reviewer has the following credentials:\nState(s) of Licensure: {', '.join(case.reviewer.states)}\n"
                   f"Certification(s)/Specialty: {', '.join(case.reviewer.specialties)}"),
              heading("CLINICAL CASE SUMMARY"),
              para(pick(rng, ("The expert reviewer developed the following clinical case summary based on a review of the case file, including all medical records:",
                              "The following clinical case summary was developed by the expert reviewer from a review of the case file, including all medical records:")))]
    blocks += [para(p) for p in prose.case_summary(rng, case.patient, case.date_of_injury, prose_style,
                                                    [item.treatment for item in case.items], case.ur_denial_date, rng.random() < 0.5)]
    blocks += [heading("IMR ISSUES, DECISIONS AND RATIONALES"),
               para("The Final Determination was based on decisions for the disputed items/services set forth below:")]
    decisions = []
    for item in case.items:
        quantity_text = f", Qty: {item.quantity}" if item.quantity is not None else ""
        rationale = _rationale(rng, item, item.treatment)
        ca = f"Decision based on {item.ca_citation}." if item.ca_citation else pick(rng, NOTHING_CITED)
        ca_guideline = item.ca_citation or ca
        outcome = f":{pick(rng, (' ', '  '))}{item.outcome.capitalize()}"
        modified = _modified_request(rng, item) if rng.random() < MODIFIED_SHARE else None
        if modified is None:
            blocks.append(heading(f"{item.treatment}{quantity_text}{outcome}"))
            decisions.append(_decision(item, item.quantity, rationale, ca_guideline))
        else:
            written, quantity, original, authorized = modified
            blocks.append(para(f"{written}{outcome}"))
            decisions.append({**_decision(item, quantity, rationale, ca_guideline), "original_request": original, "authorized_portion": authorized})
        blocks += [para(f"Claims Administrator guideline: {ca}"),
                   para(f"MAXIMUS guideline: Decision based on {item.reviewer_citation}."),
                   para(f"Decision rationale: {rationale}")]
    return Written(blocks, _truth(case, decisions, assigned=True, decided=True, priority=True))


# About one real letter in five has an item UR modified rather than denied.
MODIFIED_SHARE = 0.15


def _modified_request(rng: Random, item: Item) -> tuple[str, int | None, str, str]:
    """An item UR modified, written as real letters chain it. Returns the written heading (without the
    outcome), the decided quantity, the original request and the authorized portion as written."""
    if item.quantity is not None and item.quantity >= 2 and item.unit:
        granted = rng.randint(1, item.quantity - 1)
        style = pick(rng, ("x", "sessions"))
        original, authorized, remaining = (prose.item_with_quantity(item.treatment, q, item.unit, style)[0]
                                           for q in (item.quantity, granted, item.quantity - granted))
        written = (f"{original} was the original request. {authorized} was authorized by the Claims Administrator. "
                   f"The remaining IMR eligible portion of the original request, {remaining} is")
        return written, item.quantity - granted, original, authorized
    authorized = pick(rng, ("a one month trial", "a shorter course of the same service", "part of the request"))
    written = (f"{item.treatment} was the original request. The Claims Administrator authorized {authorized}, leaving the "
               f"original request IMR eligible. The original request, {item.treatment} is")
    return written, None, item.treatment, authorized


LAYOUTS: dict[str, Callable[[Random, Case], Written]] = {
    "notice_2013": notice_2013,
    "professional_review": professional_review,
    "maximus_2014": maximus_2014,
    "determination": determination,
}
