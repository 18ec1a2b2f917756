"""How many of the same treatment the worker already had, when the rationale says a number ("has
completed 24 sessions", "was approved for 8 sessions", "4/6 treatments", "12 visits to date"); not the
end of a range, the request itself, or a count of another therapy than the item's."""
from __future__ import annotations

import re
from functools import lru_cache

from imr.rationale_numbers import HAS_NUMBER, NUMBER, NUMBER_WORD, around_units, findings, number

# "4/6 acupuncture treatment" counts in the singular.
_COUNT_WORD = re.compile(r"\b(?:visit|session|treatment)(?:s\b|[- ]trial\b)|\b\d{1,2}/\d{1,2}\s+(?:\w+\s+){0,2}?(?:visit|session|treatment)\b", re.IGNORECASE)


def _prior_pattern(stems: str) -> re.Pattern[str]:
    """How many of a treatment (`stems`: the words its units are counted in, singular) the worker already had,
    in the ways letters say it."""
    units = r"(?:" + stems + r")s"
    def n(name: str) -> str:  # "six (6)" too; not an end of a range ("1 to 2 visits", "3-6 treatments"): no count
        return (r"(?<![\d-])(?<!- )(?<!\bto )(?<!\bor )(?P<" + name + ">" + NUMBER + r")(?:\s*\(\d+\))?"
                r"(?!\s*(?:-|to|or)\s*(?:\d|" + NUMBER_WORD + r")\b)")
    count = r"\s+(?:\w+\s+){0,3}?(?:" + units + r")\b"
    of_what = r"(?:\s+(?:of|with)\s+(?:[\w/-]+\s+){0,3}?[\w/-]+?)?"  # "6 sessions of physical therapy have been completed"
    about = r"(?:at least\s+|approximately\s+|about\s+|over\s+|a total of\s+|the full\s+|all\s+)?"
    given = r"(?:approved|authorized|certified|provided|given|granted)"
    families = (
        # "has completed 24 sessions", "had already had twelve visits", "has been approved for 6 sessions"
        r"\b(?:has|have|had|having)\s+(?:al+ready\s+|previously\s+|now\s+)?(?:had|completed|received|attended|undergone|used|"
        r"finished|participated in|been treated with|been " + given + r"(?: with| for)?)\s+" + about + n("n1") + count,
        # "8 prior visits", "6 previously authorized sessions"
        r"\b" + n("n2") + r"\s+(?:previous|prior|completed|previously " + given + "|" + given + r")" + count,
        # "the prior 12 sessions"
        r"\b(?:the )?(?:prior|previous|last|initial|first)\s+" + n("n3") + count,
        # "6 sessions have been completed", "a trial of 6 sessions was approved"
        r"\b" + n("n4") + count + of_what + r"\s+(?:(?:have|had|has)\s+(?:al+ready\s+)?been|was|were)\s+(?:al+ready\s+|previously\s+|initially\s+)?"
        r"(?:completed|attended|done|" + given + r")\b",
        # "after 6 sessions"
        r"\bafter\s+" + n("n5") + count,
        # "completed all 12 visits", "treatment to date has included 12 sessions of physical therapy"
        r"\b(?:completed|attended|underwent|finished|received|included|including|had|did (?:receive|complete|attend))\s+"
        r"(?:at least\s+|the full\s+|all\s+|approximately\s+|about\s+)?" + n("n6") + count,
        # "treatment to date has included physical therapy (at least 4 visits)"
        r"\b(?:included|including|has had|had|received|tried|undergone)\s+(?:[\w-]+\s+){0,4}?\((?:at least\s+|approximately\s+|about\s+)?"
        + n("n11") + count + r"\)",
        # "was previously approved for 8 sessions", "was authorized for a 6 session trial"
        r"\b(?:was|were|been)\s+(?:previously\s+|initially\s+|al+ready\s+)?" + given + r"\s+(?:for|with)\s+(?:an?\s+|a total of\s+)?"
        + n("n7") + r"[- ]?(?:\w+\s+){0,3}?(?:" + units + r"|(?:" + stems + r")[- ]trial)\b",
        # "4/6 treatments", "4 of the 6 sessions", "4 out of 6 visits": the first is what was had
        r"\b" + n("n8") + r"\s*(?:/|(?:out\s+)?of\s+(?:the\s+)?)\s*" + NUMBER + r"\s+(?:\w+\s+){0,3}?(?:" + stems + r")s?\b",
        # "12 sessions done since 05/2016", "18 sessions already completed", "the 12 sessions he already had"
        r"\b" + n("n13") + count + of_what + r"\s+(?:al+ready\s+|previously\s+)?(?:done|completed|attended|received)\b",
        r"\b" + n("n14") + count + r"\s+(?:he|she|they|the (?:patient|claimant|worker|injured worker|employee))\s+"
        r"(?:has\s+|had\s+)?(?:al+ready\s+|previously\s+)?(?:had|received|completed|attended|undergone|underwent)\b",
        # "12 sessions to date", "status post 12 visits"
        r"\b" + n("n9") + count + of_what + r"\s+(?:to date|so far|thus far)\b",
        r"\b(?:status post|s/p)\s+" + n("n10") + count,
        # "was authorized 12 sessions and has completed 8 of them"
        r"\b" + units + r"\b[^.;]{0,60}?\b(?:completed|attended|had|received|used)\s+" + n("n12") + r"\s+of\s+(?:them|these|those)\b",
    )
    return re.compile("|".join(families), re.IGNORECASE)


# One pattern counts every kind of unit (a compile costs ~15 ms: one, not one a category). What an item's
# category counts is the unit word its own word pattern finds, which the match must hold (around_units):
# a test's or an injection's rationale counts tests or injections; visits it counts are another treatment's.
_PRIOR = _prior_pattern("visit|session|treatment|test|screen|screening|injection|block|epidural|shot|round")
_PRIOR_WORD = {"Diagnostic testing": re.compile(r"\b(?:test|screen|screening)s\b", re.IGNORECASE),
               "Injections": re.compile(r"\b(?:injection|block|epidural|shot|round)s\b", re.IGNORECASE)}


# Kinds of therapy counted in visits: a count of one kind is not a prior count of another.
_THERAPIES = {kind: re.compile(pattern, re.IGNORECASE) for kind, pattern in {
    "chiropractic": r"\bchiro\w*|\bmanipulat\w+|\bmanual therapy\b",
    "acupuncture": r"\b(?:electro-?)?acupuncture\b",
    # physical and occupational therapists' courses are counted together
    "physical therapy": r"\bphysical therapy\b|\bphysiotherapy\b|\bpt\b|\btherapeutic exercise|\boccupational therapy\b|\bot\b",
    "aquatic therapy": r"\baqua\w* therapy\b|\bpool therapy\b",
    "massage": r"\bmassage\b",
    "psychotherapy": r"\bpsychotherap\w+|\bcognitive behavio\w+|\bcbt\b|\bcounsel\w+|\bbiofeedback\b",
}.items()}
_COUNT_OF = re.compile(r"\s+(?:of|with)\s+(?:[\w-]+\s+){0,2}[\w-]+", re.IGNORECASE)
# "the requested evaluation and treatment with 6 sessions was previously authorized": the request itself, a
# duplicate, not a course the worker had.
_REQUEST_AS_SUBJECT = re.compile(r"\b(?:the|this) (?:requested|request)\b[^.;,]{0,80}$", re.IGNORECASE)


def find_prior_quantity(rationale: str | None, category: str = "Rehabilitation", treatment: str = "") -> int | float | None:
    """How many of the same treatment the worker already had, when the rationale says a number. Visits
    counted in the rationale of a test, an operation or a drug are another treatment's, and so are
    those of another therapy than the item's ("12 chiropractic visits" for an acupuncture item)."""
    words = _PRIOR_WORD.get(category, _COUNT_WORD)
    if not rationale or category in ("Surgery", "Evaluation and management", "Pharmaceuticals") or not words.search(rationale):
        return None  # a cheap test first: most rationales count no visits, tests or injections
    own = {kind for kind, named in _THERAPIES.items() if named.search(treatment)}
    for _, sentence, _ in findings(rationale):
        for value, kinds in _sentence_priors(sentence, category):
            if not (own and kinds and not kinds & own):
                return value
    return None


@lru_cache(maxsize=4096)
def _sentence_priors(sentence: str, category: str) -> tuple[tuple[int | float, frozenset[str]], ...]:
    """The prior counts one sentence states, each with the kinds of therapy it names."""
    if not HAS_NUMBER.search(sentence):
        return ()
    words = _PRIOR_WORD.get(category, _COUNT_WORD)
    found: list[tuple[int | float, frozenset[str]]] = []
    for match in around_units(_PRIOR, sentence, 0, len(sentence), words):
        if _REQUEST_AS_SUBJECT.search(sentence, 0, match.start()):
            continue
        after = _COUNT_OF.match(sentence, match.end())  # "12 sessions of chiropractic care"
        counted = match.group(0) + (after.group(0) if after else "")
        kinds = frozenset(kind for kind, named in _THERAPIES.items() if named.search(counted))
        found.append((number(next(group for group in match.groups() if group)), kinds))
    return tuple(found)
