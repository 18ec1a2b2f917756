"""Time matching 10,000 citations drawn from the labeled set (repeated) on one core.

Run: python benchmarks/bench_citations.py   (target: under 2 s)
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
