"""Guideline citations written the loose ways letters write them (MTUS, ACOEM, ODG, others)."""
from __future__ import annotations

from dataclasses import dataclass
from random import Random

from synth.phrasing import pick

# ACOEM 2nd edition (2004) chapters and ODG chapters, by canonical body part.
ACOEM_CHAPTERS: dict[str, tuple[int, str, str]] = {
    "neck": (8, "Neck and Upper Back Complaints", "177-179"),
    "upper back": (8, "Neck and Upper Back Complaints", "181-183"),
    "shoulder": (9, "Shoulder Complaints", "207-209"),
    "elbow": (10, "Elbow Disorders", "33-34"),
    "wrist": (11, "Forearm, Wrist, and Hand Complaints", "268-269"),
    "hand": (11, "Forearm, Wrist, and Hand Complaints", "270-272"),
    "low back": (12, "Low Back Complaints", "303-305"),
    "knee": (13, "Knee Complaints", "341-343"),
    "ankle": (14, "Ankle and Foot Complaints", "372-374"),
    "foot": (14, "Ankle and Foot Complaints", "374-376"),
    "psyche": (15, "Stress Related Conditions", "398-404"),
}
ODG_CHAPTERS: dict[str, str] = {
    "head": "Head",
    "neck": "Neck and Upper Back (Acute & Chronic)",
    "upper back": "Neck and Upper Back (Acute & Chronic)",
    "low back": "Low Back - Lumbar & Thoracic (Acute & Chronic)",
    "shoulder": "Shoulder (Acute & Chronic)",
    "elbow": "Elbow (Acute & Chronic)",
    "wrist": "Forearm, Wrist, & Hand (Acute & Chronic)",
    "hand": "Forearm, Wrist, & Hand (Acute & Chronic)",
    "hip": "Hip & Pelvis (Acute & Chronic)",
    "knee": "Knee & Leg (Acute & Chronic)",
    "ankle": "Ankle & Foot (Acute & Chronic)",
    "foot": "Ankle & Foot (Acute & Chronic)",
    "psyche": "Mental Illness & Stress",
}
ODG_SHORT = {"Pain (Chronic)": "Pain", "Mental Illness & Stress": "Mental Illness"}


@dataclass(frozen=True)
class Source:
    """One guideline a treatment can be judged by. kind: cpmtg | acoem | odg | other.

    For acoem/odg an empty chapter means 'the chapter of the treated body part'.
    """

    kind: str
    topic: str = ""
    pages: str = ""
    chapter: str = ""


def cpmtg(topic: str, pages: str) -> Source:
    return Source("cpmtg", topic, pages)


def odg(topic: str, chapter: str = "") -> Source:
    return Source("odg", topic, chapter=chapter)


def acoem(topic: str = "", pages: str = "") -> Source:
    return Source("acoem", topic, pages)


def other(text: str) -> Source:
    return Source("other", text)


def _pages(rng: Random, pages: str) -> str:
    first = pages.split("-")[0]
    return pick(rng, (
        f"Page(s): {pages}", f"pages {pages}", f"pp. {pages}", f"p{first} Page(s): {pages}",
        f"page {first}", f"pg. {pages}",
    ))


def _cpmtg(rng: Random, source: Source, old_style: bool) -> str:
    topic, pages = source.topic, source.pages
    if old_style:
        return pick(rng, (
            f"the Chronic Pain Medical Treatment Guidelines, {topic}, pages {pages}, which is part of the MTUS",
            f"the Chronic Pain Medical Treatment Guidelines (2009), {topic}, {_pages(rng, pages)}, which are part of the MTUS",
            f"the MTUS Chronic Pain Medical Treatment Guidelines, {topic} section, {_pages(rng, pages)}",
        ))
    return pick(rng, (
        f"MTUS Chronic Pain Treatment Guidelines {topic} {_pages(rng, pages)}",
        f"MTUS Chronic Pain Medical Treatment Guidelines, {topic}, {_pages(rng, pages)}",
        f"MTUS (Chronic Pain Medical Treatment Guidelines) {topic}",
        f"CA MTUS Chronic Pain Medical Treatment Guidelines {topic} {_pages(rng, pages)}",
    ))


def _acoem(rng: Random, source: Source, part: str | None, old_style: bool) -> str:
    number, title, pages = ACOEM_CHAPTERS.get(part or "low back", ACOEM_CHAPTERS["low back"])
    pages = source.pages or pages
    topic = f", {source.topic}" if source.topic and rng.random() < 0.5 else ""
    if old_style:
        return pick(rng, (
            f"the American College of Occupational and Environmental Medicine (ACOEM), 2nd Edition, (2004), Chapter {number}, {title}, pages {pages}, which is part of the MTUS",
            f"the ACOEM Practice Guidelines, 2nd Edition (2004), Chapter {number}, {title}{topic}, {_pages(rng, pages)}",
        ))
    return pick(rng, (
        f"ACOEM Practice Guidelines, 2nd Edition (2004), Chapter {number}, {title}, pages {pages}",
        f"MTUS ACOEM Chapter {number} {title}",
        f"MTUS/ACOEM Practice Guidelines, {title}{topic}, {_pages(rng, pages)}",
        f"ACOEM, Chapter {number}, {title}, {_pages(rng, pages)}",
    ))


def _odg(rng: Random, source: Source, part: str | None, old_style: bool) -> str:
    chapter = source.chapter or ODG_CHAPTERS.get(part or "", "Pain (Chronic)")
    short = ODG_SHORT.get(chapter, chapter.split(" (")[0])
    if old_style:
        return pick(rng, (
            f"the Official Disability Guidelines (ODG), {chapter}, {source.topic}, which is not part of the MTUS",
            f"the Official Disability Guidelines (ODG), {short} Chapter, {source.topic}, which is a medical treatment guideline that is not part of the MTUS",
        ))
    return pick(rng, (
        f"Non-MTUS Official Disability Guidelines (ODG) {chapter}, {source.topic}",
        f"Non-MTUS Official Disability Guidelines (ODG), {short} Chapter, {source.topic}",
        f"Official Disability Guidelines (ODG), {short}, {source.topic}",
        f"ODG {short}, {source.topic}",
    ))


# The sections of an ACOEM 2nd-edition chapter that determination letters list.
ACOEM_SECTIONS = ("Special Studies", "Initial Care", "Physical Methods", "Summary", "Diagnostic Criteria", "Surgical Considerations")


def _structured(rng: Random, source: Source, part: str | None) -> str:
    """The form of 2016-2017 determination letters: a guideline, its edition year, its sections."""
    if source.kind == "cpmtg":
        return f"MTUS Chronic Pain Medical Treatment {pick(rng, ('2009', '2016'))}, Section(s): {source.topic}"
    if source.kind == "acoem":
        _, title, _ = ACOEM_CHAPTERS.get(part or "low back", ACOEM_CHAPTERS["low back"])
        title = title.replace("Elbow Disorders", "Elbow Complaints")
        sections = ", ".join(rng.sample(ACOEM_SECTIONS, rng.choice((1, 1, 2))))
        return f"MTUS {title} {'2007' if title.startswith('Elbow') else '2004'}, Section(s): {sections}"
    chapter = source.chapter or ODG_CHAPTERS.get(part or "", "Pain (Chronic)")
    short = ODG_SHORT.get(chapter, chapter.split(" (")[0])
    return f"Non-MTUS Citation Official Disability Guidelines (ODG), {pick(rng, (chapter, short + ' Chapter'))}, {source.topic}"


def write_citation(rng: Random, source: Source, part: str | None, year: int) -> str:
    """The citation text a letter of `year` would give for `source` (2013 letters are wordier, and
    from 2016 most name each guideline's edition year and sections)."""
    old_style = year <= 2013 or (year == 2014 and rng.random() < 0.5)
    if year >= 2016 and source.kind in ("cpmtg", "acoem", "odg") and rng.random() < 0.6:
        return _structured(rng, source, part)
    if source.kind == "cpmtg":
        return _cpmtg(rng, source, old_style)
    if source.kind == "acoem":
        return _acoem(rng, source, part, old_style)
    if source.kind == "odg":
        return _odg(rng, source, part, old_style)
    return source.topic
