"""The search box: several words (all must match), "quoted phrases" and case numbers (CM16-0221706).

Search text is user input (and arrives in shared links): it is bounded in length and number of
terms, and its characters are always escaped, never read as regular-expression syntax. Each term
is matched case-insensitively at the start of a word ("arm" finds "arm" and "arms", not
"pharmacy"); a term's parts may be separated by any run of spaces, line breaks or hyphens ("low
back" finds "low-back", and a phrase broken across lines of a letter's text). Matching a Series
runs a literal, vectorised substring test first and the word-start check only on the rows that
passed it.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

MAX_QUERY_CHARS = 500  # longer input is cut (and the description says so)
MAX_TERMS = 16
MAX_SPANS = 5_000  # highlights of one term in one letter
# A case number or the start of one: CM16-0221706, CM16-022, CM16.
CASE_NUMBER = re.compile(r"CM\d{2}(?:-\d{0,7})?", re.IGNORECASE)
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_EDGE_PUNCTUATION = ".,;:!?()[]{}<>'`"
_WORD_START = r"(?:^|[^0-9A-Za-z])"  # as a consuming group: the vectorised engine (RE2) has no look-behind
_NOT_AFTER_WORD = r"(?<![0-9A-Za-z])"
_GAP = "[\\s\u00a0\\-]+"  # between a term's parts: spaces, line breaks, no-break spaces, hyphens
_INNER_GAP = re.compile(r"(?<=[^\s\-])[\s\-]+(?=[^\s\-])")


@dataclass(frozen=True)
class _Term:
    """One word, phrase or case number as the patterns that find it."""

    text: str  # as shown: lower-case words, case numbers in capitals

    @cached_property
    def _pieces(self) -> list[str]:
        """Parts split at inner spaces and hyphens: "low back" finds "low-back" and the reverse."""
        return _INNER_GAP.split(self.text)

    @cached_property
    def needle(self) -> str:
        """A literal the text must contain for the term to match (the longest word of a phrase)."""
        return max(self._pieces, key=len)

    @cached_property
    def body(self) -> str:
        return _GAP.join(re.escape(piece) for piece in self._pieces)

    @cached_property
    def starts_with_word(self) -> bool:
        return self.text[0].isascii() and self.text[0].isalnum()

    @cached_property
    def series_pattern(self) -> str | None:
        """For the vectorised check; None when the literal needle alone decides."""
        if len(self._pieces) == 1 and not self.starts_with_word:
            return None
        return (_WORD_START if self.starts_with_word else "") + self.body

    @cached_property
    def text_pattern(self) -> re.Pattern[str]:
        return re.compile((_NOT_AFTER_WORD if self.starts_with_word else "") + self.body, re.IGNORECASE)


@dataclass(frozen=True)
class Search:
    """A parsed search; every term must be found (in any of the texts or columns given)."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    case_numbers: tuple[str, ...] = ()
    truncated: bool = False  # the input was longer than MAX_QUERY_CHARS or had more than MAX_TERMS terms

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases or self.case_numbers)

    @property
    def query(self) -> str:
        """The search written back canonically (for a URL or the search box)."""
        return " ".join([*self.case_numbers, *self.words, *(f'"{phrase}"' for phrase in self.phrases)])

    @cached_property
    def _terms(self) -> tuple[_Term, ...]:
        return tuple(_Term(text) for text in (*self.case_numbers, *self.words, *self.phrases))

    def describe(self) -> str:
        """E.g. 'case CM16-0221706; 2 words: tramadol, back; 1 phrase: "physical therapy"'. Plain
        text holding user input: show it escaped, never as Markdown or HTML."""
        if self.is_empty:
            return "no search"
        parts = []
        if self.case_numbers:
            parts.append(("case " if len(self.case_numbers) == 1 else "cases ") + ", ".join(self.case_numbers))
        if self.words:
            parts.append(f"{_count(len(self.words), 'word')}: " + ", ".join(self.words))
        if self.phrases:
            parts.append(f"{_count(len(self.phrases), 'phrase')}: " + ", ".join(f'"{p}"' for p in self.phrases))
        if self.truncated:
            parts.append(f"search cut to {MAX_QUERY_CHARS} characters / {MAX_TERMS} terms")
        return "; ".join(parts)

    def matches(self, texts: pd.Series) -> pd.Series:
        """Per text: True when every term (case numbers included, as text) is in it."""
        keep = np.ones(len(texts), dtype=bool)
        prepared = _prepared(texts)
        for term in self._terms:
            keep &= _term_found(prepared, term, keep)
        return pd.Series(keep, index=texts.index)

    def matches_any_column(self, frame: pd.DataFrame, columns: list[str],
                           case_column: str | None = "case_number") -> pd.Series:
        """Per row: True when every term is in at least one of `columns` (list cells such as
        diagnoses count item by item); a case number also matches `case_column` exactly or as its
        start (CM16-022 finds CM16-0221706)."""
        keep = np.ones(len(frame), dtype=bool)
        prepared = [_prepared(frame[column]) for column in columns]
        cases = (frame[case_column].astype("str").fillna("").str.upper()
                 if case_column and case_column in frame else None)
        for term in self._terms:
            found = np.zeros(len(frame), dtype=bool)
            if cases is not None and term.text in self.case_numbers:
                found |= cases.str.startswith(term.text).to_numpy(dtype=bool, na_value=False)
            for texts in prepared:
                found |= _term_found(texts, term, keep & ~found)
            keep &= found
        return pd.Series(keep, index=frame.index)

    def spans(self, text: str | None) -> list[tuple[int, int]]:
        """(start, end) of every match of every term in `text` (at most MAX_SPANS per term), in
        order, overlaps merged."""
        if not text or self.is_empty:
            return []
        found = [match.span() for term in self._terms
                 for match in itertools.islice(term.text_pattern.finditer(text), MAX_SPANS)]
        merged: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _prepared(texts: pd.Series) -> pd.Series:
    """Text cells as one string dtype; list cells (diagnoses) joined by line breaks, missing as ""."""
    present = texts.notna().to_numpy() if texts.dtype == object else None
    # List columns hold lists throughout: the first present cell tells.
    if present is not None and present.any() and isinstance(texts.iloc[present.argmax()], (list, tuple)):
        texts = texts.map(lambda value: "\n".join(map(str, value)) if isinstance(value, (list, tuple)) else value)
    return texts.astype("str").fillna("")


def _term_found(texts: pd.Series, term: _Term, rows: np.ndarray) -> np.ndarray:
    """Where `term` is in `texts`, checked only on `rows` (the others stay False)."""
    found = np.zeros(len(texts), dtype=bool)
    if not rows.any():
        return found
    candidates = texts[rows] if not rows.all() else texts
    literal = candidates.str.contains(term.needle, case=False, regex=False).to_numpy(dtype=bool, na_value=False)
    positions = np.flatnonzero(rows)[literal]
    if term.series_pattern is not None and len(positions):
        confirmed = texts.iloc[positions].str.contains(term.series_pattern, case=False, regex=True)
        positions = positions[confirmed.to_numpy(dtype=bool, na_value=False)]
    found[positions] = True
    return found


def _clean_word(token: str) -> str:
    return token.strip(_EDGE_PUNCTUATION + '"')


def parse_search(text: str | None) -> Search:
    """Words (all must match), "quoted phrases" (an unclosed quote's text counts as words) and
    case numbers, from at most MAX_QUERY_CHARS characters and MAX_TERMS terms."""
    raw = text or ""
    truncated = len(raw) > MAX_QUERY_CHARS
    cleaned = _CONTROLS.sub(" ", unicodedata.normalize("NFKC", raw[:MAX_QUERY_CHARS]).translate(_QUOTES))
    pieces = cleaned.split('"')
    closed = len(pieces) if len(pieces) % 2 else len(pieces) - 1  # pieces after a lone last quote are words
    quoted = [pieces[i] for i in range(1, closed, 2)]
    loose = [piece for i, piece in enumerate(pieces) if i % 2 == 0 or i >= closed]
    words: list[str] = []
    phrases: list[str] = []
    cases: list[str] = []
    for phrase in quoted:
        tokens = [token for token in (_clean_word(t) for t in phrase.split()) if token]
        if len(tokens) > 1:
            phrases.append(_clean_word(" ".join(phrase.lower().split())))
        else:
            loose.extend(tokens)  # a quoted single word is a word
    for token in (_clean_word(t) for piece in loose for t in piece.split()):
        if not token:
            continue
        if CASE_NUMBER.fullmatch(token):
            cases.append(token.upper())
        else:
            words.append(token.lower())
    terms = [("case", t) for t in dict.fromkeys(cases)] + [("word", t) for t in dict.fromkeys(words)] + \
        [("phrase", t) for t in dict.fromkeys(phrases)]
    if len(terms) > MAX_TERMS:
        truncated, terms = True, terms[:MAX_TERMS]
    return Search(words=tuple(t for kind, t in terms if kind == "word"),
                  phrases=tuple(t for kind, t in terms if kind == "phrase"),
                  case_numbers=tuple(t for kind, t in terms if kind == "case"),
                  truncated=truncated)
