"""What every layout parser shares: finding sections by heading, reading a decision's labeled parts
(claims administrator's guideline, reviewer's guideline, rationale), and the template that turns a
letter's text into fields. A layout subclass says only what differs: its cues, its label and
heading variants, and how its decisions are laid out."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from imr.categories import categorize
from imr.clean import ascii_lower, collapse_whitespace, lower_pattern
from imr.fields import (
    Found, find_age, find_case_number, find_date_after, find_diagnoses, find_injured_parts, find_label_column, find_label_rows,
    find_labeled_date, find_labeled_line, find_priority, find_prose_credentials, find_sex, outcome_from_necessity,
    parse_date, priority_word, split_specialties, split_states,
)
from imr.items import parse_item_heading
from imr.models import Decision

# The professional-review headings, which wrap over up to three lines of capitals.
_HEADING_WRAP = r"[^\n:]*(?:\n[A-Z][A-Z/()&, ]*){0,2}:"
GUIDELINE_HEADING = r"MEDICAL\s+TREATMENT\s+GUIDELINE\(?S?\)?\s+RELIED\s+UPON" + _HEADING_WRAP
RATIONALE_HEADING = r"RATIONALE\s+FOR\s+WHY\s+THE\s+REQUESTED" + _HEADING_WRAP
# Every section heading seen in any layout: a section runs until the next of these.
SECTION_HEADINGS = (
    r"HOW\s+THE\s+IMR\s+FINAL\s+DETERMINATION\s+WAS\s+MADE",
    r"(?:CLINICAL\s+|Expert\s+Reviewer\s+)?CASE\s+SUMMARY\s*:?",
    r"DOCUMENTS\s+REVIEWED(?:\s+FOR\s+DETERMINATION)?\s*:?",
    r"IMR\s+ISSUES,?\s+DECISIONS,?\s+AND\s+RATIONALES?",
    r"IMR\s+DECISION\(?S?\)?\s+AND\s+RATIONALE\(?S?\)?\s*:?",
    r"INDEPENDENT\s+MEDICAL\s+REVIEW\s+DECISION\s+AND\s+RATIONALE\s*:?",
    r"ISSUE(?:S|\(S\))?\s+AT\s+DISPUTE\s*:?",
    GUIDELINE_HEADING,
    RATIONALE_HEADING,
    r"(?:MEDICAL\s+)?REVIEWER\s+QUALIFICATIONS\s*:?",
    r"Medical\s+Qualifications\s+of\s+the\s+Expert\s+Reviewer\s*:?",
    r"Treatment\(?s?\)?\s+in\s+Dispute\s+Listed\s+on\s+(?:the\s+)?IMR\s+Application\s*:?",
    r"EXPERT\s+REVIEWER\s+QUALIFICATIONS\s*:?",
)
def heading_line(heading: str) -> str:
    """A heading alone on its line, perhaps numbered ("1. MEDICAL TREATMENT GUIDELINE(S) ...", "IV. ...")."""
    return rf"^[ ]*(?:(?:\d{{1,2}}|[IVX]{{1,4}})[.)][ ]+)?(?:{heading})[ ]*:?[ ]*$"


_ANY_HEADING = re.compile(heading_line("|".join(SECTION_HEADINGS)), re.IGNORECASE | re.MULTILINE)
# A letter's closing: where the last decision's rationale ends.
_CLOSING = re.compile(r"^[ ]*(?:cc:|/[a-z]{1,4}[ ]*$|Sincerely|Respectfully|This\s+determination\s+is\s+final|Right\s+to\s+appeal|APPEAL\s+RIGHTS|"
                      r"Medical\s+Qualifications\s+of\s+the\s+Expert\s+Reviewer|Documents\s+Reviewed)", re.IGNORECASE | re.MULTILINE)


_INJURY_DATE_WINDOW = 40


@dataclass
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start: self.end]


def find_all_sections(text: str, heading: str) -> list[Span]:
    """The text under each occurrence of a heading (a regex), up to the next known heading."""
    spans = []
    for match in re.finditer(heading_line(heading), text, re.IGNORECASE | re.MULTILINE):
        following = _ANY_HEADING.search(text, match.end())
        spans.append(Span(match.end(), following.start() if following else len(text)))
    return spans


def find_section(text: str, heading: str) -> Span | None:
    sections = find_all_sections(text, heading)
    return sections[0] if sections else None


# The labeled parts of one decision, in the wordings of the four layouts.
_PART_LABELS = {
    "claims_administrator": (
        # the long word may be broken across lines without a hyphen ("Claims Administra" / "tor guideline:")
        r"Claims\s+" + r"\s?".join("Administrator") + r"(?:'s)?\s+guidelines?\s*:\s*(?:Decision\s+based\s+on\s*)?",
        r"(?:The\s+)?Claims\s+Administrator\s+(?:based|relied\s+upon|relied\s+on)\s+(?:its|their|the|his/her)?\s*(?:decision|determination)?\s*(?:on|upon)\s+",
    ),
    # "... did not cite any medical evidence for its decision.": kept as the guideline text, no citation.
    "claims_administrator_none": (
        r"(?:The\s+)?(?:Claims\s+Administrator|Utilization\s+Review(?:er)?|UR)\s+(?:did\s+not\s+cite|cited\s+no|provided\s+no|did\s+not\s+provide)"
        r"[^.\n]{0,120}(?:\n[^.\n]{0,120})?\.?",
    ),
    "reviewer": (
        r"(?:MAXIMUS|Expert\s+Reviewer|Physician\s+Reviewer|Professional\s+Reviewer|IMR|Reviewer)(?:'s)?\s+guidelines?\s*:\s*(?:Decision\s+based\s+on\s*)?",
        r"(?:The\s+)?(?:Physician\s+|Expert\s+|Professional\s+|Medical\s+|Independent\s+|Physician/Expert\s+)?Reviewer\s+(?:based|relied\s+upon|relied\s+on)\s+(?:his/her|his|her|their|the|its)?\s*(?:decision|determination)?\s*(?:on|upon)\s+",
    ),
    "reviewer_none": (
        r"(?:The\s+)?(?:Physician\s+|Expert\s+|Professional\s+)?Reviewer\s+(?:did\s+not\s+cite|cited\s+no)[^.\n]{0,120}(?:\n[^.\n]{0,120})?\.?",
    ),
    "rationale": (
        r"Decision\s+rationale\s*:",
        r"Rationale\s+for\s+the\s+Decision\s*:",
        r"(?:The\s+)?(?:Physician|Expert|Professional|Medical|Independent)?\s*Reviewer'?s\s+(?:decision\s+)?rationale\s*:",
        RATIONALE_HEADING,
        r"Rationale\s*:",
    ),
}
# Searched in ascii_lower text: a lower-case pattern there is much faster than IGNORECASE. The
# lookahead lists the letters the labels can start with, so most positions are rejected at once.
_PART_LABEL_RE = re.compile("(?=[cdeimprtu])(?:" + lower_pattern(
    "|".join(f"(?P<{role}>{'|'.join(patterns)})" for role, patterns in _PART_LABELS.items())) + ")")
# "... based their decision on recommendation(s) outside of the MTUS Guidelines. Decision based on
# Non-MTUS Citation X": the guideline is what follows.
_OUTSIDE_MTUS = re.compile(r"\s*recommendations?(?:\(s\))?\s+outside\s+(?:of\s+)?the\s+MTUS(?:\s+guidelines?)?\s*\.?\s*(?:decision\s+based\s+on\s*)?",
                           re.IGNORECASE)


def decision_parts(body: str) -> dict[str, Found[str]]:
    """Claims administrator's guideline, reviewer's guideline and rationale found in one decision's text.
    A guideline is the text after its label: every citation of that side, or its statement that it
    cited nothing; a label with nothing after it ("... guideline:" then "The Claims Administrator
    based their decision on ...") gives way to the next label of the same side."""
    labels = [(m.lastgroup, m) for m in _PART_LABEL_RE.finditer(ascii_lower(body))]
    parts: dict[str, Found[str]] = {}
    for index, (role, match) in enumerate(labels):
        if role.endswith("_none"):
            role = role.removesuffix("_none")
            if role not in parts:
                parts[role] = Found(collapse_whitespace(body[match.start(): match.end()]), match.start(), match.end())
            continue
        if role in parts:
            continue
        end = labels[index + 1][1].start() if index + 1 < len(labels) else len(body)
        value = body[match.end(): end]
        if not value.strip():
            continue
        if role != "rationale":
            value = value[: _citation_end(value)]
            lead = _OUTSIDE_MTUS.match(value)
            if lead:
                parts[role] = Found(collapse_whitespace(value[lead.end():]), match.end() + lead.end(), match.end() + len(value))
                continue
        parts[role] = Found(collapse_whitespace(value), match.end(), match.end() + len(value))
    if "rationale" not in parts and "reviewer" in parts:
        # No rationale label: the reviewer's guideline is its first sentence, the rationale the rest.
        reviewer = parts["reviewer"]
        raw = body[reviewer.start: reviewer.end]
        cut = re.search(r"(?<!\bpp)(?<!\bp)(?<!\bEd)(?<!\bNo)(?<!\bvol)\.[ ]*\n(?=[A-Z])", raw)
        if cut and raw[cut.end():].strip():
            parts["reviewer"] = Found(collapse_whitespace(raw[: cut.start() + 1]), reviewer.start, reviewer.start + cut.start() + 1)
            parts["rationale"] = Found(collapse_whitespace(raw[cut.end():]), reviewer.start + cut.end(), reviewer.end)
    return {role: found for role, found in parts.items() if found.value}


# Where a guideline citation's sentence ends and prose about it begins ("... pages 26-27. These
# guidelines address ..."); abbreviations such as "pp." and "Ed." end no sentence.
_CITATION_END = re.compile(r"(?<!\bpp)(?<!\bp)(?<!\bEd)(?<!\bNo)(?<!\bvol)(?<!\bal)\.\s+(?=(?:The|These|This|It|In|Per|He|She|They|Both|Here)\b)")


def _citation_end(value: str) -> int:
    match = _CITATION_END.search(value)
    return match.start() + 1 if match else len(value)


def cut_at_closing(text: str) -> str:
    match = _CLOSING.search(text)
    return text[: match.start()] if match else text


@dataclass
class DecisionBlock:
    """One decision as a layout locates it: heading text (the treatment, maybe with a quantity),
    the outcome if the heading states it, and the body holding guidelines and rationale."""

    treatment: Found[str]
    outcome: Found[str] | None
    body: Span
    # Where a layout states guidelines in a section apart from the rationale (professional review).
    guidelines: Span | None = None
    # The body is a rationale section with no label inside: all of it is the rationale.
    body_is_rationale: bool = False


@dataclass
class ParsedFields:
    """A layout parser's result, before citations are matched and the record is assembled."""

    values: dict[str, object] = field(default_factory=dict)
    evidence: dict[str, tuple[int, int]] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    # What the letter says against itself (not what it lacks): reported, the record still whole.
    disagreements: list[str] = field(default_factory=list)

    def put(self, name: str, found: Found | list[Found] | None) -> None:
        if isinstance(found, list):
            if found:
                self.values[name] = [f.value for f in found]
                self.evidence[name] = (min(f.start for f in found), max(f.end for f in found))
        elif found is not None:
            self.values[name] = found.value
            self.evidence[name] = (found.start, found.end)


class LayoutParser:
    """The template. Subclasses set the class attributes and implement `decision_blocks`."""

    layout_id: str = ""
    cues: tuple[str, ...] = ()  # regexes; the layout whose cues match most is chosen
    date_labels: dict[str, tuple[str, ...]] = {
        "date_of_injury": ("Date of Injury", "Date of Injury/Illness", "DOI", "Injury Date", "Dt of Injury", "Date of Inj"),
        "ur_denial_date": ("UR Denial Date", "Date of UR Decision", "Date of UR Denial", "UR Decision Date",
                           "Date of Utilization Review Decision", "UR Determination Date", "Utilization Review Date"),
        "application_received": ("Application Received", "IMR Application Received", "Date Application Received",
                                 "Application Received Date", "IMR Application Date", "Date Received", "Received Date",
                                 "Date IMR Application Received"),
        "date_assigned": ("Date Assigned", "Assigned Date", "Assignment Date", "Date of Assignment", "IMR Assignment Date"),
        "decision_date": ("Decision Date", "Date of Decision", "Determination Date", "Date of Determination", "Final Determination Date", "Date of Final Determination",
                          "Dated", "Date of Letter", "Date"),
    }
    # Prose fallbacks: a cue phrase, then the first date after it.
    date_cues: dict[str, tuple[str, ...]] = {
        "date_of_injury": (r"\binjury\s+date\s+(?:of|was|is|on)\b", r"(?:sustained|suffered|reported|incurred|had)\s+an?\s+(?:\w+[\s-]+){0,3}injur(?:y|ies)\b[^.]{0,80}?\bon\b",
                           r"\binjured\b(?!\s+worker)[^.]{0,60}?\bon\b", r"\bdate\s+of\s+injury\s+(?:of|was|is|on)\b",
                           r"injury\s+(?:dated|occurring|that\s+occurred)\s+(?:on\s+)?"),
        "ur_denial_date": (r"\b(?:UR|utilization\s+review)\b[^.]{0,80}?\b(?:dated|on|of)\b",),
        "application_received": (r"\bapplication\b[^.]{0,60}?\b(?:filed|received|submitted)\b[^.]{0,20}?\bon\b",),
        "date_assigned": (r"Notice\s+of\s+Assignment[^.]{0,120}?\b(?:on|dated)\b", r"\bassigned\b[^.]{0,40}?\bon\b"),
        # The notice's title line carries its date: "... Review Determination Dated: 9/26/2013".
        "decision_date": (r"\bDetermination[ \t]+Dated\s*:",),
    }
    summary_headings: tuple[str, ...] = (r"(?:CLINICAL\s+|Expert\s+Reviewer\s+)?CASE\s+SUMMARY\s*:?",)
    # Fields this layout normally carries: a missing one makes the record "partial".
    expected_fields: tuple[str, ...] = ("case_number", "date_of_injury", "ur_denial_date", "application_received")

    def detect(self, lowered: str) -> int:
        """How many of this layout's cues the text holds; `lowered` is the text through ascii_lower."""
        return sum(1 for cue in self._cue_patterns() if cue.search(lowered))

    @classmethod
    def _cue_patterns(cls) -> tuple[re.Pattern[str], ...]:
        if "_compiled_cues" not in cls.__dict__:
            cls._compiled_cues = tuple(re.compile(lower_pattern(cue)) for cue in cls.cues)
        return cls._compiled_cues

    def decision_blocks(self, text: str) -> list[DecisionBlock]:
        raise NotImplementedError

    def parse(self, text: str) -> ParsedFields:
        parsed = ParsedFields()
        parsed.put("case_number", find_case_number(text))
        # A table read column by column pairs labels with values by position; read it first, since a
        # label there is followed by the next label's value.
        self.parse_label_column(text, parsed)
        for name in self.date_labels:
            if name not in parsed.values:
                parsed.put(name, self.find_date_field(text, name))
        if "priority" not in parsed.values:
            parsed.put("priority", find_priority(text))
        self.parse_reviewer(text, parsed)
        summary = self.summary(text)
        summary_text = summary.of(text)
        for name, finder in (("patient_age", find_age), ("patient_sex", find_sex)):
            found = finder(summary_text)
            parsed.put(name, found.shifted(summary.start) if found else None)
        self.check_injury_date(text, summary, parsed)
        for name, list_finder in (("body_parts", find_injured_parts), ("diagnoses", find_diagnoses)):
            parsed.put(name, [f.shifted(summary.start) for f in list_finder(summary_text)])
        for index, block in enumerate(self.decision_blocks(text)):
            parsed.decisions.append(self.build_decision(text, block, index, parsed))
        return parsed

    def check_injury_date(self, text: str, summary: Span, parsed: ParsedFields) -> None:
        """The header's date of injury is the record's; a different one in the case summary is reported."""
        header = parsed.values.get("date_of_injury")
        if header is None or summary.start <= parsed.evidence["date_of_injury"][0] < summary.end:
            return
        summary_text = summary.of(text)
        for cue in self.date_cues["date_of_injury"]:
            # Close to its cue only: a date further on is often another event's.
            found = find_date_after(summary_text, cue, window=_INJURY_DATE_WINDOW)
            if found:
                if found.value != header:
                    parsed.disagreements.append(
                        f"date of injury: the header says {header}, the case summary {found.value}; the header's is kept")
                return

    def parse_label_column(self, text: str, parsed: ParsedFields) -> None:
        """Fields from a label table whose values are not beside their labels: read column by column
        (all labels, then all values) or row by row (a line of labels, then a line of values)."""
        labels = {**self.date_labels, "priority": ("Priority",), "case_number": ("Case Number", "IMR Case Number", "Case #")}
        for name, found in {**find_label_rows(text, labels), **find_label_column(text, labels)}.items():
            if name in parsed.values:
                continue
            value = priority_word(found.value) if name == "priority" else parse_date(found.value) if name in self.date_labels else None
            if value:
                parsed.put(name, Found(value, found.start, found.end))

    def find_date_field(self, text: str, name: str) -> Found[str] | None:
        found = find_labeled_date(text, self.date_labels[name])
        for cue in self.date_cues.get(name, ()):
            if found:
                break
            found = find_date_after(text, cue)
        return found

    def summary(self, text: str) -> Span:
        for heading in self.summary_headings:
            span = find_section(text, heading)
            if span and span.of(text).strip():
                return span
        return Span(0, len(text))

    def parse_reviewer(self, text: str, parsed: ParsedFields) -> None:
        states = find_labeled_line(text, multiline=True, labels=("State(s) of Licensure", "States of Licensure", "State of Licensure", "Licensure"))
        certifications = find_labeled_line(text, multiline=True, labels=(
            "Certification(s)/Specialty", "Certification(s)/Specialties", "Certifications/Specialty", "Certification/Specialty",
            "Certification(s)", "Specialty", "Specialties", "Board Certification(s)"))
        labeled_states = split_states(states.value) if states else []
        labeled_specialties = split_specialties(certifications.value) if certifications else []
        if labeled_states and labeled_specialties:
            parsed.put("reviewer_licensure", [Found(s, states.start, states.end) for s in labeled_states])
            parsed.put("reviewer_specialties", [Found(s, certifications.start, certifications.end) for s in labeled_specialties])
            return
        prose_specialties, prose_states = find_prose_credentials(text)
        parsed.put("reviewer_licensure", [Found(s, states.start, states.end) for s in labeled_states] or prose_states)
        parsed.put("reviewer_specialties", [Found(s, certifications.start, certifications.end) for s in labeled_specialties] or prose_specialties)

    def build_decision(self, text: str, block: DecisionBlock, index: int, parsed: ParsedFields) -> Decision:
        parts = {role: found.shifted(block.body.start) for role, found in decision_parts(block.body.of(text)).items()}
        if block.guidelines is not None:
            parts.update(self.guideline_parts(text, block.guidelines))
        if "rationale" not in parts and block.body_is_rationale:
            parts["rationale"] = Found(collapse_whitespace(block.body.of(text)), block.body.start, block.body.end)
        item = parse_item_heading(block.treatment.value)
        outcome = block.outcome
        rationale = parts.get("rationale")
        if outcome is None and rationale is not None:
            found = outcome_from_necessity(text[rationale.start: rationale.end], last=True)
            outcome = found.shifted(rationale.start) if found else None
        key = f"decisions[{index}]"
        parsed.evidence[f"{key}.treatment"] = (block.treatment.start, block.treatment.end)
        if outcome is not None:
            parsed.evidence[f"{key}.outcome"] = (outcome.start, outcome.end)
        for role, found in parts.items():
            parsed.evidence[f"{key}.{role}"] = (found.start, found.end)
        return Decision(
            treatment=item.treatment,
            quantity=item.quantity,
            original_request=item.original_request,
            authorized_portion=item.authorized_portion,
            outcome=outcome.value if outcome else None,
            category=categorize(item.treatment),
            claims_administrator_guideline=parts["claims_administrator"].value if "claims_administrator" in parts else None,
            reviewer_guideline=parts["reviewer"].value if "reviewer" in parts else None,
            rationale=rationale.value if rationale else None,
        )

    @staticmethod
    def guideline_parts(text: str, span: Span) -> dict[str, Found[str]]:
        """Both sides' guidelines from a guideline section; unlabeled text there is the reviewer's."""
        parts = {role: found.shifted(span.start) for role, found in decision_parts(span.of(text)).items() if role != "rationale"}
        if "reviewer" not in parts:
            section = span.of(text)
            claims = parts.get("claims_administrator")
            rest = section[claims.end - span.start:] if claims else section
            if rest.strip():
                parts["reviewer"] = Found(collapse_whitespace(rest), span.end - len(rest), span.end)
        return parts


def heading_blocks(text: str, headings: list[tuple[Found[str], Found[str] | None, int, int]], end: int) -> list[DecisionBlock]:
    """Decision blocks from located item headings (treatment, outcome, heading start, heading end):
    each body runs from its heading to the next heading, the last one to `end`."""
    blocks = []
    for index, (treatment, outcome, _, heading_end) in enumerate(headings):
        body_end = headings[index + 1][2] if index + 1 < len(headings) else end
        blocks.append(DecisionBlock(treatment, outcome, Span(heading_end, body_end)))
    return blocks


_REQUEST_WORDS = re.compile(r"^(?:(?:the|a|an)\s+)?(?:request(?:ed)?\s+(?:for\s+)?|requests\s+for\s+)?(?:(?:the|a|an)\s+)?", re.IGNORECASE)


def strip_request_words(treatment: str) -> str:
    """'the request for Norco 10/325mg' -> 'Norco 10/325mg'."""
    return _REQUEST_WORDS.sub("", treatment.strip())
