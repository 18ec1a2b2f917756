"""Time the search box over 1,000,000 short texts (treatment-like strings made up here, with a
few matches among them) for the query forms the app accepts: words, a phrase, a case number.

Run: python benchmarks/bench_search.py   (target: each query well under 2 s)
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from imr.search import parse_search

COUNT = 1_000_000
TARGET_SECONDS = 2.0
QUERIES = ('tramadol', 'tramadol 50mg', '"physical therapy" knee', 'arm', 'CM16-022', '(.*)+ "unclosed')
_WORDS = ("Tramadol 50mg", "Physical therapy", "MRI lumbar spine", "knee brace", "Norco 10/325mg", "x6 sessions",
          "pharmacy review", "left shoulder", "acupuncture", "home health aide", "arm sling", "CM16-0221706")


def made_up_texts(count: int) -> pd.Series:
    rng = random.Random(12)
    return pd.Series([" ".join(rng.sample(_WORDS, 3)) for _ in range(count)], dtype="str")


def main() -> None:
    texts = made_up_texts(COUNT)
    for query in QUERIES:
        search = parse_search(query)
        start = time.perf_counter()
        found = int(search.matches(texts).sum())
        elapsed = time.perf_counter() - start
        verdict = "OK" if elapsed < TARGET_SECONDS else "SLOWER THAN TARGET"
        print(f"{query!r:28} {found:>9,} of {COUNT:,} match in {elapsed:.3f} s [target < {TARGET_SECONDS} s: {verdict}]")
    search = parse_search('"physical therapy" knee')
    start = time.perf_counter()
    found = int(search.matches(texts.astype(object)).sum())
    print(f"same phrase + word on an object-dtype column (frames built from records): {found:,} in "
          f"{time.perf_counter() - start:.3f} s")
    frame = pd.DataFrame({"case_number": texts.str[-12:], "treatment": texts, "rationale": texts.str.upper()})
    search = parse_search('CM16-022 "physical therapy" knee')
    start = time.perf_counter()
    found = int(search.matches_any_column(frame, ["treatment", "rationale"]).sum())
    elapsed = time.perf_counter() - start
    print(f"3 terms over 2 columns + case column: {found:,} rows in {elapsed:.3f} s")
    letter = " ".join(made_up_texts(2_000))  # about a letter's length of text
    start = time.perf_counter()
    spans = parse_search('tramadol "physical therapy" arm').spans(letter)
    print(f"highlight spans in a {len(letter):,}-character text: {len(spans):,} spans in {(time.perf_counter() - start) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
