"""Literal text a regular expression cannot match without: a test by `str.__contains__`, which costs a
fraction of a failed search, before the search. Most reason patterns fail on most sentences, so testing
first for "exceed" or "recommend" skips most searches (benchmarks/bench_parse_against.py measures it).

The pattern's parse tree (Python's own `re` parser) is walked: a run of literal characters is required
where it stands; an alternation requires one of its branches' requirements; a group or a repeat of at
least one requires what its body requires. Anything else (a class, an optional part, a lookaround)
requires nothing, so the answer is only ever weaker than the pattern, never wrong."""
from __future__ import annotations

import re

try:  # Python 3.11+: the parser is re._parser; before, sre_parse
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

Needs = frozenset[str]  # one of these strings occurs in every match
_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)}


def required_text(pattern: re.Pattern[str]) -> Needs | None:
    """Strings one of which every match of `pattern` contains, lower case if the pattern ignores case;
    None when no such set is found (then the search has to run)."""
    needs = _sequence(_sre_parse.parse(pattern.pattern, pattern.flags & ~re.UNICODE))
    if needs is None:
        return None
    if pattern.flags & re.IGNORECASE:
        needs = frozenset(n.lower() for n in needs)
    # "benefit " holds "benefit": a text with the longer string has the shorter, which is enough to test.
    return frozenset(n for n in needs if not any(other != n and other in n for other in needs))


def may_match(needs: Needs | None, text: str) -> bool:
    """False only when `text` lacks every required string: then the pattern cannot match it."""
    return needs is None or any(map(text.__contains__, needs))


def _sequence(items) -> Needs | None:
    """The most selective requirement among a sequence's parts: the one whose shortest string is longest."""
    found: list[Needs] = []
    run: list[str] = []
    for op, value in items:
        if op is _sre.LITERAL:
            run.append(chr(value))
            continue
        if run:
            found.append(frozenset({"".join(run)}))
            run = []
        needs = _item(op, value)
        if needs is not None:
            found.append(needs)
    if run:
        found.append(frozenset({"".join(run)}))
    return max(found, key=lambda n: (min(map(len, n)), -len(n)), default=None)


def _item(op, value) -> Needs | None:
    if op is _sre.SUBPATTERN:
        add_flags = value[1]
        return None if add_flags & re.IGNORECASE else _sequence(value[-1])  # (?i:...) would need lower-casing
    if op is _sre.BRANCH:
        branches = [_sequence(branch) for branch in value[1]]
        if any(b is None for b in branches):
            return None
        return frozenset().union(*branches)
    if op in _REPEATS and value[0] >= 1:
        return _sequence(value[2])
    return None
