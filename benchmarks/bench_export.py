"""Export speed: the decisions table of the demo letters, repeated to --rows rows, written as CSV,
Excel (with its filters sheet) and JSON, best of --repeat runs each.

    .venv/bin/python benchmarks/bench_export.py [--rows 10000] [--repeat 3]

About 20 seconds with the defaults.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from imr import corpus, demo, export  # noqa: E402


def decisions_table(rows: int) -> pd.DataFrame:
    """The demo's decisions as the Decisions view exports them, repeated to `rows` rows."""
    records = [letter.to_dict() for letter in demo.load_demo()]
    frames = corpus.build_frames(records)
    table = export.export_frame(frames.decisions, "human")
    repeats = -(-rows // len(table))
    return pd.concat([table] * repeats, ignore_index=True).head(rows)


def best_seconds(make, repeat: int) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        size = len(make())
        best = min(best, time.perf_counter() - started)
    return best, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    table = decisions_table(args.rows)
    print(f"{len(table):,} rows x {len(table.columns)} columns")
    filters = [("Outcome", "upheld"), ("Category", "Pharmaceuticals")]
    for name, make in (("CSV", lambda: export.to_csv(table)),
                       ("Excel", lambda: export.to_excel({"decisions": table}, filters=filters, sources="demo")),
                       ("JSON", lambda: export.to_json(table))):
        seconds, size = best_seconds(make, args.repeat)
        print(f"{name:<6} {seconds:6.2f} s  {size / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
