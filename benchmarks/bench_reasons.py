"""What the reasons, limits and prior counts (issue 14) cost a letter: the parse of already-read letters
with and without them, best of 5, the sentence caches cleared before each run. Also prints the fixed
cost of a process: importing imr and parsing one letter (patterns compiled on first use).

    .venv/bin/python benchmarks/bench_reasons.py [--letters 300]

About 30 s. The real letters are included when ../shared/real-letters is beside the checkout.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
import synth  # noqa: E402
from imr import enrich, guideline_limits, prior_quantity, rationale_numbers, reasons  # noqa: E402
from imr.extract import read_document  # noqa: E402
from imr.parse import parse_document  # noqa: E402
from real_accuracy import REAL_LETTERS, available  # noqa: E402

_CACHED = (reasons.sentences, reasons.sentence_families, reasons.is_applied, rationale_numbers.findings,
           guideline_limits._sentence_limits, prior_quantity._sentence_priors)


def best_parse_seconds(documents: list, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        for cached in _CACHED:
            cached.cache_clear()
        started = time.perf_counter()
        for document in documents:
            parse_document(document)
        best = min(best, time.perf_counter() - started)
    return best


def without_reasons(documents: list) -> float:
    measure, find_reasons = enrich.measure, enrich.find_reasons
    enrich.measure, enrich.find_reasons = (lambda *args: (None, None, None)), (lambda *args, **kwargs: [])
    try:
        return best_parse_seconds(documents)
    finally:
        enrich.measure, enrich.find_reasons = measure, find_reasons


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=300)
    args = parser.parse_args()
    sets = [(f"{args.letters} generated letters", [read_document(letter.pdf_bytes(), f"{letter.name}.pdf")
                                                   for letter in synth.generate(args.letters, seed=4242)])]
    if available():
        sets.append(("the real letters", [read_document(path.read_bytes(), path.name) for path in sorted(REAL_LETTERS.glob("*.pdf"))]))
    for name, documents in sets:
        parse_document(documents[0])
        full, bare = best_parse_seconds(documents), without_reasons(documents)
        print(f"{name}: parse {full / len(documents) * 1000:.2f} ms a letter, without reasons and limits "
              f"{bare / len(documents) * 1000:.2f} ms: they cost {(full - bare) / len(documents) * 1000:.2f} ms "
              f"({1 - bare / full:.0%} of the parse after the text is read)")
    fixed = ("import time; started = time.process_time(); import imr; imported = time.process_time(); "
             f"imr.parse_file({str(ROOT / 'tests' / 'fixtures' / 'letters' / 'determination_a.txt')!r}); "
             "print(f'{imported - started:.3f} {time.process_time() - imported:.3f}')")
    runs = sorted(tuple(map(float, subprocess.run([sys.executable, "-c", fixed], cwd=ROOT, capture_output=True, text=True,
                                                   check=True).stdout.split())) for _ in range(5))
    print(f"a new process: import imr {runs[2][0]:.3f} s, first letter {runs[2][1]:.3f} s (median of 5)")


if __name__ == "__main__":
    main()
