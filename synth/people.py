"""Who is in a letter: the injured worker (age, sex, body parts, diagnoses) and the reviewer."""
from __future__ import annotations

from dataclasses import dataclass
from random import Random

from synth.phrasing import pick, weighted

SEX_WORDS = {
    "female": ("female", "female", "woman", "lady"),
    "male": ("male", "male", "man", "gentleman"),
}
PRONOUNS = {"female": ("she", "her"), "male": ("he", "his")}

# Natural words for each canonical body part. Sided parts get "right"/"left"/"bilateral" in front.
PART_WORDS: dict[str, tuple[str, ...]] = {
    "head": ("head",),
    "neck": ("neck", "cervical spine"),
    "upper back": ("upper back", "thoracic spine", "mid back"),
    "low back": ("lower back", "low back", "lumbar spine"),
    "shoulder": ("shoulder",),
    "elbow": ("elbow",),
    "wrist": ("wrist",),
    "hand": ("hand",),
    "hip": ("hip",),
    "knee": ("knee",),
    "ankle": ("ankle",),
    "foot": ("foot",),
    "psyche": ("depression", "anxiety", "depression and anxiety"),
}
SIDED = {"shoulder", "elbow", "wrist", "hand", "hip", "knee", "ankle", "foot"}
PLURALS = {"foot": "feet"}

DIAGNOSES: dict[str, tuple[str, ...]] = {
    "head": ("post-concussion syndrome", "post-traumatic headaches"),
    "neck": ("cervicalgia", "cervical radiculopathy", "cervical sprain/strain",
             "cervicobrachial syndrome", "cervical degenerative disc disease"),
    "upper back": ("thoracic sprain/strain", "thoracic spine pain"),
    "low back": ("lumbago", "lumbar radiculopathy", "lumbar disc displacement",
                 "lumbosacral spondylosis without myelopathy", "lumbar sprain/strain"),
    "shoulder": ("rotator cuff syndrome", "shoulder impingement syndrome", "adhesive capsulitis",
                 "rotator cuff tear"),
    "elbow": ("lateral epicondylitis", "medial epicondylitis"),
    "wrist": ("carpal tunnel syndrome", "De Quervain's tenosynovitis", "wrist sprain"),
    "hand": ("trigger finger", "hand contusion"),
    "hip": ("hip osteoarthritis", "trochanteric bursitis"),
    "knee": ("knee osteoarthritis", "internal derangement of the knee", "medial meniscus tear",
             "chondromalacia patellae"),
    "ankle": ("ankle sprain", "ankle instability"),
    "foot": ("plantar fasciitis", "metatarsalgia"),
    "psyche": ("major depressive disorder", "anxiety disorder", "adjustment disorder with mixed anxiety and depressed mood"),
}
GENERAL_DIAGNOSES = ("myalgia and myositis", "chronic pain syndrome", "sleep disturbance")

STATES = (
    "Texas", "New York", "Florida", "Massachusetts", "Ohio", "Arizona", "Washington",
    "Pennsylvania", "Illinois", "Michigan", "Maryland", "Colorado", "Oregon", "Nevada",
    "New Jersey", "Tennessee", "Virginia", "Georgia", "North Carolina", "Connecticut",
    "Wisconsin", "Minnesota", "Missouri", "Kentucky", "Indiana",
)

# Specialty keys -> spellings seen in letters. Weights follow DWC: PM&R, Occupational Medicine,
# orthopaedics, anesthesiology/pain and internal medicine decide most cases.
SPECIALTY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "pmr": ("Physical Medicine & Rehabilitation", "Physical Medicine and Rehabilitation"),
    "occ": ("Occupational Medicine",),
    "ortho": ("Orthopaedic Surgery", "Orthopedic Surgery"),
    "anes": ("Anesthesiology",),
    "pain": ("Pain Management", "Pain Medicine"),
    "im": ("Internal Medicine",),
    "fam": ("Family Practice", "Family Medicine"),
    "psychiatry": ("Psychiatry",),
    "psychology": ("Psychology",),
    "chiro": ("Chiropractic",),
    "acu": ("Acupuncture",),
    "neuro": ("Neurology",),
    "nsurg": ("Neurological Surgery",),
    "sports": ("Sports Medicine",),
    "hand": ("Hand Surgery",),
    "em": ("Emergency Medicine",),
}
GENERAL_SPECIALTIES = (
    ("pmr", 30), ("occ", 18), ("ortho", 14), ("anes", 10), ("im", 8), ("fam", 5),
    ("neuro", 3), ("em", 3), ("sports", 2),
)
# Secondary specialties that commonly accompany a primary one.
SUBSPECIALTIES = {
    "pmr": ("pain", "sports", "occ"), "anes": ("pain",), "ortho": ("sports", "hand"),
    "im": ("occ",), "fam": ("occ", "sports"), "neuro": ("pain",), "psychiatry": ("psychology",),
}


@dataclass(frozen=True)
class Patient:
    age: int
    sex: str
    sex_word: str
    parts: tuple[str, ...]  # canonical, in order of first mention
    part_words: dict[str, str]  # canonical -> the words this letter uses for it
    diagnoses: tuple[str, ...]

    @property
    def subject(self) -> str:
        return PRONOUNS[self.sex][0]

    @property
    def possessive(self) -> str:
        return PRONOUNS[self.sex][1]


@dataclass(frozen=True)
class Reviewer:
    states: tuple[str, ...]
    specialties: tuple[str, ...]  # as written in this letter


def part_phrase(rng: Random, part: str) -> str:
    base = pick(rng, PART_WORDS[part])
    if part not in SIDED:
        return base
    side = weighted(rng, [("right", 5), ("left", 4), ("bilateral", 1)])
    return f"bilateral {PLURALS.get(base, base + 's')}" if side == "bilateral" else f"{side} {base}"


def make_patient(rng: Random, parts: list[str]) -> Patient:
    """A worker with the given body parts (psyche, when present, is mentioned last)."""
    ordered = [p for p in parts if p != "psyche"]
    rng.shuffle(ordered)
    if "psyche" in parts:
        ordered.append("psyche")
    sex = pick(rng, ("female", "male"))
    diagnoses: list[str] = []
    for part in ordered:
        count = 1 if rng.random() < 0.7 else 2
        for diagnosis in rng.sample(DIAGNOSES[part], min(count, len(DIAGNOSES[part]))):
            diagnoses.append(diagnosis)
    if rng.random() < 0.25:
        diagnoses.insert(rng.randrange(len(diagnoses) + 1), pick(rng, GENERAL_DIAGNOSES))
    return Patient(
        age=rng.randint(24, 71),
        sex=sex,
        sex_word=pick(rng, SEX_WORDS[sex]),
        parts=tuple(ordered),
        part_words={p: part_phrase(rng, p) for p in ordered},
        diagnoses=tuple(diagnoses[:4]),
    )


def make_reviewer(rng: Random, primary: str, count: int) -> Reviewer:
    keys = [primary]
    for _ in range(count - 1):
        options = [k for k in SUBSPECIALTIES.get(keys[0], ("pain", "occ")) if k not in keys]
        if options:
            keys.append(pick(rng, options))
    states = ["California"] if rng.random() < 0.7 else []
    while len(states) < weighted(rng, [(1, 6), (2, 3), (3, 1)]):
        state = pick(rng, STATES)
        if state not in states:
            states.append(state)
    return Reviewer(tuple(states), tuple(pick(rng, SPECIALTY_SPELLINGS[k]) for k in keys))
