"""The forms in which determination letters (2015 on) write their guideline lines, read by structure.

    Decision based on MTUS Low Back Complaints 2004, Section(s): Special Studies, Summary, and
    Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment. Decision based
    on Non-MTUS Citation Official Disability Guidelines (ODG), Knee and Leg Chapter, MRI.

A line is cut into statements ("Decision based on ..."), an MTUS statement into guideline mentions
("<guideline> <year>, Section(s): <list>", joined by ", and"), and a non-MTUS statement is kept whole
for the matcher. Section lists stay unsplit here: names hold commas ("NSAIDs, GI symptoms &
cardiovascular risk"), so only the catalogue can tell where one ends (`imr.citations`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# The MTUS guidelines that letters name by title and edition year, and their catalogue source.
_NAMED_GUIDELINES: tuple[tuple[str, str], ...] = (
    (r"Chronic\s+Pain\s+Medical\s+Treatment(?:\s+Guidelines?)?", "CPMTG"),
    (r"Opioids?\s+Treatment(?:\s+Guidelines?)?", "OPIOID"),
    (r"Post-?\s?surgical\s+Treatment(?:\s+Guidelines?)?", "PSTG"),
    (r"Acupuncture(?:\s+Medical)?\s+Treatment(?:\s+Guidelines?)?", "AMTG"),
    # The ACOEM chapters of the MTUS: "<body part> Complaints", "General Approaches", "Pain,
    # Suffering, and the Restoration of Function", "Stress Related Conditions", ... with a year.
    (r"(?:[A-Z][A-Za-z'/-]*,?\s+(?:(?:and|&|the|of|to)\s+)*){0,6}?(?:Complaints|Disorders|Approaches|Conditions|Function|Prevention)", "ACOEM"),
)
# A mention opens the statement or follows "and": "Section(s): Special Studies, and Knee Complaints".
_MENTION = re.compile(
    r"(?:^|(?<=\band\s)|(?<=&\s))(?P<name>" + "|".join(f"(?P<g{i}>{pattern})" for i, (pattern, _) in enumerate(_NAMED_GUIDELINES)) + r")"
    r"\s*,?\s*\(?(?P<year>(?:19|20)\d\d)\b\)?(?:\s*,?\s*Section\s*\(?s?\)?\s*:\s*)?")
MTUS_2017_YEAR = 2017
_STATEMENT = re.compile(r"\bDecision\s+based\s+on\s*", re.IGNORECASE)
_NON_MTUS = re.compile(r"^\s*(?:Non-?\s?MTUS(?:\s+Citations?)?|Other\s+Medical\s+Treatment\s+Guidelines?)\s*:?\s*", re.IGNORECASE)
_MTUS_LEAD = re.compile(r"^\s*(?:the\s+)?(?:CA\s+|California\s+)?MTUS\b\s*(?:guidelines?\s*)?[,:]?\s*(?:ACOEM(?:\s+Practice)?\s+Guidelines?\s*,?\s*)?",
                        re.IGNORECASE)


@dataclass(frozen=True)
class GuidelineMention:
    """One guideline named in a line: its source, as much as the form tells."""

    text: str  # the mention as written
    source: str | None  # catalogue source the guideline's name says; None for a non-MTUS citation
    year: int | None = None
    chapter: str | None = None  # ACOEM: the chapter as written
    sections: str = ""  # the "Section(s):" list as written, unsplit; "" when none is given
    non_mtus: bool = False  # a "Non-MTUS Citation ...": ODG, another guideline, a book, a web page


def statements(text: str) -> list[str]:
    """'Decision based on X. Decision based on Non-MTUS Citation Y' -> [X, Non-MTUS Citation Y]."""
    pieces = [p.strip(" .;,") for p in _STATEMENT.split(text)]
    return [p for p in pieces if p]


def read_mentions(statement: str) -> list[GuidelineMention] | None:
    """The guidelines an MTUS statement names, or a non-MTUS statement as one mention; None when the
    statement is in neither of the structured forms (older letters' free wording)."""
    non_mtus = _NON_MTUS.match(statement)
    if non_mtus:
        rest = statement[non_mtus.end():].strip(" .")
        return [GuidelineMention(text=rest, source=None, non_mtus=True)] if rest else []
    body = _MTUS_LEAD.sub("", statement, count=1)
    matches = list(_MENTION.finditer(body))
    if not matches or body[: matches[0].start()].strip(" ,;"):
        return None
    mentions = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(body)
        source = next(source for i, (_, source) in enumerate(_NAMED_GUIDELINES) if match.group(f"g{i}"))
        name = " ".join(match.group("name").split())
        sections = _strip_joiner(body[match.end(): end])
        year = int(match.group("year"))
        if source == "ACOEM" and year >= MTUS_2017_YEAR:
            # The ACOEM-based MTUS guidelines of December 2017 are cited by title: the title is the section.
            source, sections = "MTUS-2017", ", ".join(filter(None, (name, sections)))
        mentions.append(GuidelineMention(
            text=_strip_joiner(" ".join(body[match.start(): end].split())),
            source=source,
            year=year,
            chapter=name if source == "ACOEM" else None,
            sections=" ".join(sections.split()),
        ))
    return mentions


def _strip_joiner(text: str) -> str:
    """'Special Studies, and' -> 'Special Studies': what joins a mention to the next one."""
    text = text.rstrip(" \t\n,;.")
    if text[-4:].lower() == " and" or text.lower() == "and":
        text = text[:-3].rstrip(" \t\n,;.")
    return text


_OPIOID_SECTION_START = re.compile(r"(?:^|(?<=[\s,;]))(?=\d(?:\.\d{1,2}){0,3}\.?\s+[A-Z])")


def split_numbered_sections(sections: str) -> list[str]:
    """'3.3.9 Maintenance ..., 3.3.6 Use of Urine Drug Testing' -> one piece per number: the Opioids
    guideline's section titles hold commas, its numbers never do."""
    pieces = [p.strip(" ,;.") for p in _OPIOID_SECTION_START.split(sections)]
    return [p for p in pieces if p]
