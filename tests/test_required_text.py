"""imr.required_text: the literal test before a search may skip only searches that would fail."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import imr
from imr import reasons
from imr.required_text import may_match, required_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize("pattern, needs", [
    (r"\bexceed(?:s|ed)?\b[^.;]{0,60}?\b(?:short[- ]term|duration)", {"exceed"}),
    (r"\b(?:is|are) not (?:\w+ )?recommended\b|xy", {"recommended", "xy"}),
    (r"(?:ab)+c?", {"ab"}),  # a repeat of at least one requires its body
    (r"(?i)ABC\s+DEFG", {"defg"}),  # ignoring case: lower case, for lower-case text
    (r"benefit |benefit", {"benefit"}),  # the longer string holds the shorter
    (r"a|", None),  # a branch that can match nothing requires nothing
    (r"(?:ab)?c*", None),
    (r"(?i:Abc)", None),  # case ignored only inside: not worth the trouble
])
def test_required_text_of_patterns(pattern, needs):
    assert required_text(re.compile(pattern)) == (None if needs is None else frozenset(needs))


def test_may_match_without_a_requirement_always_searches():
    assert may_match(None, "") and may_match(frozenset({"x"}), "a x b") and not may_match(frozenset({"x"}), "abc")


def _rationale_sentences() -> list[str]:
    texts = [imr.parse_file(path) for path in sorted(FIXTURES.glob("letters*/*.txt"))]
    return sorted({s.text for letter in texts for d in letter.decisions for s in reasons.sentences(d.rationale or "")})


def test_no_reason_pattern_is_skipped_on_a_sentence_it_matches():
    """Every phrase family and macro against every sentence of the hand-written letters' rationales."""
    sentences = _rationale_sentences()
    phrases = reasons.phrases()
    patterns = [(f.pattern, f.needs) for f in phrases.families]
    patterns += [(pattern, phrases.macro_needs[name]) for name, pattern in phrases.macros.items()]
    assert len(sentences) > 1000 and sum(needs is not None for _, needs in patterns) > 0.8 * len(patterns)
    skipped = 0
    for pattern, needs in patterns:
        for sentence in sentences:
            if not may_match(needs, sentence):
                skipped += 1
                assert not pattern.search(sentence), (pattern.pattern[:80], sentence)
    assert skipped > len(sentences)  # the test does skip searches
