"""Why an item was decided: reason tags (models.REASON_TAGS), each on the rationale sentence that gives it.

A rationale mixes what the guideline says in general with what the reviewer found in this case; only
the reviewer's own findings count ("ODG states X is not recommended for ..." is background). So the
rationale is split into sentences, each sentence is judged applied or background by cue phrases, and
the applied sentences are tagged by phrase families. Cues and families are data:
data/vocab/reason_phrases.csv (its columns and provenance in data/vocab/README.md)."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from imr.models import REASON_TAGS, GuidelineLimit, Reason
from imr.required_text import Needs, may_match, required_text
from imr.sentences import sentence_spans
from imr.vocab import VOCAB_DIR

CRITERIA_MET, FALLBACK, EXCEEDS = "criteria_met", "indications_not_documented", "exceeds_guideline_quantity"
NOT_RECOMMENDED = "not_recommended"
_MACRO = re.compile(r"\{([A-Z_]+)\}")
# Where a reported statement's subject starts: after "states that", a comma, a colon.
_SUBJECT_START = re.compile(r"[,:;]|\bthat\b|\bstates?\b")
_PRONOUN = re.compile(r"\s*(?:it|them|its use|their use)\s*$")
_EXAMPLES = re.compile(r"\b(?:such as|including|like)\b")
_FIRST_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|remains?|should|may|can|does|do)\b")
_STEM = 6  # letters two words share to name the same thing ("discog-raphy", "discog-ram")
_CLAUSE_END = re.compile(r"[,;:]|\.(?:\s|$)")
_OPENING_CHARS = 12  # enough for "unless", "except when", "if", "for patients"
# Where the object of "does not recommend X" ends.
_OBJECT_END = re.compile(r"[,:;.]|\b(?:for|in|as|because|since|when|if|unless|due)\b")


@dataclass(frozen=True)
class Family:
    """Phrases that give a tag, with what must hold besides: sentence gates are macros that must occur
    in the same sentence (NEGATION: something is said to be missing); item gates are facts of the
    item (`opioid`: its category and subcategory) or contexts some sentence of its rationale shows
    (`time_limit`); `!tag` gates need the decision not to carry that tag ("no exceptional factors" after
    an excess is about the excess)."""

    tag: str
    pattern: re.Pattern[str]
    sentence_gates: tuple[str, ...]
    item_gates: frozenset[str]
    unless: frozenset[str]  # tags that, found too, make this family's evidence mean something else
    needs: Needs | None  # text the pattern cannot match without (imr.required_text)


@dataclass(frozen=True)
class Phrases:
    applied: re.Pattern[str]
    attribution: re.Pattern[str]
    general: re.Pattern[str]
    macros: dict[str, re.Pattern[str]]
    macro_needs: dict[str, Needs | None]
    families: tuple[Family, ...]
    contexts: dict[str, re.Pattern[str]]  # name -> what a rationale says somewhere (a time limit, ...)
    items: dict[str, re.Pattern[str]]  # name -> "category/subcategory" of the items it holds for
    blocks: dict[str, re.Pattern[str]]  # tag ("*" for all) -> sentences that never give it
    background_families: tuple[Family, ...]  # families searched in guideline sentences (gate `background`)


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets into the rationale
    end: int
    text: str  # lower case, spaces folded
    applied: bool  # the reviewer's own finding, not guideline background


def _alternatives(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@lru_cache(maxsize=None)
def phrases() -> Phrases:
    with open(VOCAB_DIR / "reason_phrases.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    macros: dict[str, str] = {}
    cues: dict[str, list[str]] = {"applied": [], "attribution": [], "general": []}
    # Rows of one tag with the same gates are searched as one pattern (a search per row costs more).
    grouped: dict[tuple[str, tuple[str, ...], frozenset[str], frozenset[str]], list[str]] = {}
    blocks: dict[str, list[str]] = {}
    contexts, items = {}, {}
    for row in rows:
        if None in row:  # a comma in an unquoted pattern split it into more columns
            raise ValueError(f"reason_phrases.csv: row {row['kind']},{row['name']} has more columns than the header")
        kind, name = row["kind"], row["name"]
        pattern = _MACRO.sub(lambda m: macros[m.group(1)], row["pattern"])
        if kind == "macro":
            macros[name] = pattern
        elif kind == "cue":
            cues[name].append(pattern)
        elif kind == "tag":
            if name not in REASON_TAGS:
                raise ValueError(f"reason_phrases.csv: unknown tag {name!r}")
            gates = [word for word in row["requires"].split(";") if word]
            unless = frozenset(g[1:] for g in gates if g.startswith("!"))
            gates = [g for g in gates if not g.startswith("!")]
            key = (name, tuple(g for g in gates if g.isupper()), frozenset(g for g in gates if not g.isupper()), unless)
            grouped.setdefault(key, []).append(pattern)
        elif kind == "context":
            contexts[name] = re.compile(pattern)
        elif kind == "item":
            items[name] = re.compile(pattern)
        elif kind == "block":
            blocks.setdefault(name, []).append(pattern)
    families = []
    for (tag, sentence_gates, item_gates, unless), patterns in grouped.items():
        pattern = _alternatives(patterns)
        families.append(Family(tag, pattern, sentence_gates, item_gates, unless, required_text(pattern)))
    for family in families:  # a gate misspelt, or a pattern's comma read as a column, fails here
        unknown = family.item_gates - set(contexts) - set(items) - {"background"} | set(family.sentence_gates) - set(macros)
        if unknown:
            raise ValueError(f"reason_phrases.csv: {family.tag} row with unknown gates {sorted(unknown)}")
    compiled_macros = {name: re.compile(pattern) for name, pattern in macros.items()}
    return Phrases(
        applied=_alternatives(cues["applied"]),
        attribution=_alternatives(cues["attribution"]),
        general=_alternatives(cues["general"]),
        macros=compiled_macros,
        macro_needs={name: required_text(pattern) for name, pattern in compiled_macros.items()},
        families=tuple(families),
        contexts=contexts,
        items=items,
        blocks={name: _alternatives(patterns) for name, patterns in blocks.items()},
        background_families=tuple(f for f in families if f.item_gates == {"background"}),
    )


@lru_cache(maxsize=4096)
def is_applied(sentence: str) -> bool:
    """The reviewer's own finding about this worker or this request, not the guideline's general text:
    a sentence that does not open by citing the guideline and either speaks of this case or has none
    of the general words guideline text uses. `sentence` is lower case."""
    p = phrases()
    if p.attribution.search(sentence):
        return False
    return not p.general.search(sentence) or bool(p.applied.search(sentence))


@lru_cache(maxsize=64)
def sentences(rationale: str) -> tuple[Sentence, ...]:
    """The rationale's sentences, judged once for both the reason tags and the guideline limit."""
    found = []
    for start, end in sentence_spans(rationale):
        text = " ".join(rationale[start:end].lower().split())
        found.append(Sentence(start, end, text, is_applied(text)))
    return tuple(found)


# Letters repeat sentences (the conclusion, a rationale shared by several items of a letter, a
# reviewer's stock wording: a quarter of the real letters' sentences occur more than once), so a
# sentence is judged once per process. Bounded: a batch of thousands of letters stays small.
@lru_cache(maxsize=4096)
def sentence_families(sentence: str, facts: frozenset[str] = frozenset()) -> tuple[Family, ...]:
    """The families that match an applied sentence (lower case); `facts`: the item gates that hold
    (`opioid`, the contexts of its rationale)."""
    p = phrases()
    if "*" in p.blocks and p.blocks["*"].search(sentence):
        return ()
    gates: dict[str, bool] = {}
    found = []
    for family in p.families:
        if not family.item_gates <= facts:
            continue
        if not may_match(family.needs, sentence):
            continue
        if not all(gates.setdefault(g, may_match(p.macro_needs[g], sentence) and bool(p.macros[g].search(sentence)))
                   for g in family.sentence_gates):
            continue
        if not family.pattern.search(sentence):
            continue
        block = p.blocks.get(family.tag)  # searched after the family: families rarely match, blocks are long
        if not (block and block.search(sentence)):
            found.append(family)
    return tuple(found)


def item_words(treatment: str, drug: str | None = None) -> frozenset[str]:
    """Words that name an item (and its drug's generic names), without the generic ones ("left", "therapy")."""
    generic = phrases().macros["GENERIC_ITEM_WORD"]
    words = re.findall(r"[a-z]{4,}", f"{treatment} {drug or ''}".lower())
    return frozenset(_singular(w) for w in words if not generic.fullmatch(w))


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") else word


def names_item_unrecommended(sentence: str, words: frozenset[str]) -> bool:
    """A guideline sentence saying, without conditions, that the item itself is not recommended: its
    subject (the words before "not recommended", after "states that") is mostly the item's words
    ("Discography is not recommended"; not "Manipulation under anesthesia is not recommended" for
    spinal manipulation)."""
    p = phrases()
    match = p.macros["AGAINST"].search(sentence)
    if not match or p.macros["CONDITIONAL"].search(_clause(sentence, match.start(), match.end())):
        return False
    if match.group(0).endswith(("recommend", "support")):  # "ODG does not recommend discography for ..."
        subject = _OBJECT_END.split(sentence[match.end():], maxsplit=1)[0]
        if _PRONOUN.match(subject):  # "The ODG does not recommend it": the item the rationale is about
            return True
    else:
        subject = _SUBJECT_START.split(sentence[:match.start()])[-1]
        subject = _EXAMPLES.split(subject)[-1]  # "passive modalities such as hot packs": the example named
        subject = _FIRST_VERB.split(subject, maxsplit=1)[0]  # "X is not superior to Y and is not recommended": X
    generic = p.macros["GENERIC_ITEM_WORD"]
    named = [_singular(w) for w in re.findall(r"[a-z]{4,}", subject) if not generic.fullmatch(w)]
    return bool(named) and 2 * sum(_names(w, words) for w in named) >= len(named)


def _clause(sentence: str, start: int, end: int) -> str:
    """The clause around sentence[start:end], between the punctuation before and after it; with the
    sentence's opening words, which can make all of it conditional ("Unless ..., X is not recommended")."""
    before = max(sentence.rfind(mark, 0, start) for mark in ",;:")
    after = _CLAUSE_END.search(sentence, end)
    opening = sentence[:_OPENING_CHARS]
    return opening + " " + sentence[before + 1: after.start() if after else len(sentence)]


def _names(word: str, words: frozenset[str]) -> bool:
    """The word is one of the item's, or shares its stem ("discography" for a "discogram")."""
    return word in words or len(word) >= _STEM and any(w[:_STEM] == word[:_STEM] for w in words)


def find_reasons(rationale: str | None, outcome: str | None, category: str = "Other", subcategory: str = "other",
                 limit: GuidelineLimit | None = None, over_limit: bool | None = None,
                 words: frozenset[str] = frozenset(), fallback: bool = True) -> list[Reason]:
    """Reason tags of a decision, each on the first sentence that gives it, in REASON_TAGS order.
    `fallback`: an upheld item no phrase gives a reason gets `indications_not_documented` (False: no
    tag, to count how often that happens).
    `limit` and `over_limit` (imr.guideline_limits): an upheld request counted above the guideline's
    limit exceeds the guideline quantity, on the sentence that quotes the limit. `words` (item_words):
    a background sentence that names the item as not recommended, unconditionally, applies to it."""
    if not rationale:
        return []
    parts = sentences(rationale)
    if not parts:
        return []
    if outcome == "overturned":
        # An overturned item met the guideline's criteria: the reviewer's conclusion says so.
        last = ([s for s in parts if s.applied] or list(parts))[-1]
        return [Reason(CRITERIA_MET, last.start, last.end)]
    p = phrases()
    item = f"{category}/{subcategory}|{' '.join(sorted(words))}"
    whole = " ".join(s.text for s in parts)  # contexts are searched once, not sentence by sentence
    facts = frozenset(name for name, pattern in p.contexts.items() if pattern.search(whole))
    facts |= {name for name, pattern in p.items.items() if pattern.search(item)}
    applied = [s for s in parts if s.applied]
    hits = [(family, sentence) for sentence in applied for family in sentence_families(sentence.text, facts)]
    # A guideline rule that, quoted, applies by its own terms ("any compounded product that contains a
    # drug that is not recommended is not recommended"): its family is gated `background`.
    hits += [(family, sentence) for sentence in parts if not sentence.applied
             for family in p.background_families if may_match(family.needs, sentence.text) and family.pattern.search(sentence.text)]
    over = outcome == "upheld" and bool(over_limit and limit)
    tags = {family.tag for family, _ in hits if not family.unless} | ({EXCEEDS} if over else set())
    first: dict[str, Sentence] = {}
    for family, sentence in hits:
        if not family.unless & tags:
            first.setdefault(family.tag, sentence)
    if NOT_RECOMMENDED not in first and words:
        naming = [s for s in parts if not s.applied and names_item_unrecommended(s.text, words)]
        if naming:
            first[NOT_RECOMMENDED] = naming[0]
    if over:
        quoting = [s for s in parts if limit.text in rationale[s.start:s.end]]
        first.setdefault(EXCEEDS, (quoting or applied or list(parts))[0])
    if outcome == "upheld" and not first and fallback:
        # An upheld item always has a reason; unnamed, it is a requirement the records do not show.
        first[FALLBACK] = (applied or list(parts))[-1]
    return [Reason(tag, first[tag].start, first[tag].end) for tag in REASON_TAGS if tag in first]
