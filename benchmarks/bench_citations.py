"""Time matching 10,000 citations drawn from the labeled set (repeated, as letters repeat their
guideline lines) on one core, after timing each distinct text once cold. Takes about 2 s.

Run: python benchmarks/bench_citations.py   (target: under 2 s for the 10,000)
"""
from __future__ import annotations

import csv
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from imr.citations import load_catalogue, match_citation

LABELED = Path(__file__).resolve().parent.parent / "tests" / "data" / "citations_labeled.csv"
COUNT = 10_000
TARGET_SECONDS = 2.0


def main() -> None:
    with LABELED.open(newline="", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    load_catalogue()  # the one-off catalogue load is not part of matching
    # Cold: each distinct text the first time (what a corpus of new wordings costs).
    start = time.perf_counter()
    for text in texts:
        match_citation(text)
    cold = time.perf_counter() - start
    print(f"first reading of {len(texts)} distinct citations: {cold:.3f} s = {cold / len(texts) * 1000:.2f} ms each")
    workload = list(itertools.islice(itertools.cycle(texts), COUNT))
    start = time.perf_counter()
    for text in workload:
        match_citation(text)
    elapsed = time.perf_counter() - start
    verdict = "OK" if elapsed < TARGET_SECONDS else "SLOWER THAN TARGET"
    print(f"matched {COUNT} citations ({len(texts)} distinct) in {elapsed:.3f} s = {COUNT / elapsed:,.0f}/s "
          f"[target < {TARGET_SECONDS} s: {verdict}]")


if __name__ == "__main__":
    main()
