"""The app on a Parquet corpus of 1,000,000 decisions: first render, a filter change on Overview and on
Decisions, the Charts view, a search, and the app process's peak memory.

The corpus is built, not parsed: 200 generated letters are ingested (`imr ingest`), then their rows
are replicated with new sha256 keys, written straight to part files with pyarrow, until the decisions
reach the target. The corpus's index (imr/corpus_sql.py: its rows materialised in a DuckDB file, made
at the first open of each state of a corpus) is built in one child process, then the app runs in
another (AppTest with IMR_CORPUS), so each peak memory (ru_maxrss) is that step's alone.
Run: .venv/bin/python benchmarks/bench_corpus_app.py [--decisions N] (2-3 minutes on 2 cores for 1,000,000)
Targets (issue 9): first render < 3 s, filter change < 0.5 s, Charts < 1.5 s, search < 2 s, memory < 2 GB.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

SEED_LETTERS = 200
PART_LETTERS = 50_000  # letters a replicated part file holds


def seed_corpus(folder: Path) -> Path:
    """SEED_LETTERS generated letters (as text), ingested."""
    import synth
    from imr.ingest import ingest

    letters = folder / "letters"
    letters.mkdir()
    for letter in synth.generate(SEED_LETTERS, seed=3):
        (letters / f"{letter.name}.txt").write_text(letter.text(), encoding="utf-8")
    ingest([str(letters)], str(folder / "seed"), workers=2, quiet=True)
    return folder / "seed"


def replicate(seed: Path, target: Path, decisions: int) -> int:
    """Copies of the seed corpus's rows under new keys (sha256 of "copy-key") until `decisions` are
    reached; returns the letters written."""
    tables = {name: pq.read_table(seed / name) for name in ("letters", "decisions", "citations")}
    per_copy = tables["decisions"].num_rows
    copies = -(-decisions // per_copy)
    for name in tables:
        (target / name).mkdir(parents=True)
    seed_keys = tables["letters"].column("sha256").to_pylist()
    copies_per_part = max(1, PART_LETTERS // len(seed_keys))
    for first in range(0, copies, copies_per_part):
        batch = range(first, min(copies, first + copies_per_part))
        new_key = {(copy, key): hashlib.sha256(f"{copy}-{key}".encode()).hexdigest() for copy in batch for key in seed_keys}
        for name, table in tables.items():
            keys = table.column("sha256").to_pylist()
            parts = []
            for copy in batch:
                column = pa.array([new_key[copy, key] for key in keys], pa.string())
                parts.append(table.set_column(table.schema.get_field_index("sha256"), table.schema.field("sha256"), column))
            pq.write_table(pa.concat_tables(parts), target / name / f"part-{first:06d}.parquet", compression="zstd")
    return copies * len(seed_keys)


def build_index(corpus: Path) -> dict[str, float]:
    """In this (child) process: the first open of the corpus, which builds its index."""
    from imr.corpus_sql import CorpusDatabase

    start = time.perf_counter()
    CorpusDatabase(str(corpus))
    return {"index build (first open of the corpus)": time.perf_counter() - start,
            "index build peak memory (MB)": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure_app(corpus: Path) -> dict[str, float]:
    """In this (child) process: the app's timings and peak memory."""
    from streamlit.testing.v1 import AppTest

    os.environ["IMR_CORPUS"] = str(corpus)
    found: dict[str, float] = {}

    def timed(label: str, action) -> None:
        start = time.perf_counter()
        app = action()
        assert not app.exception, [e.value for e in app.exception]
        found[label] = time.perf_counter() - start

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    timed("first render (Overview)", app.run)
    # Each change asks for filters not asked before (nothing cached); the median of three is printed.
    for value in ("overturned", "upheld", "unknown"):
        timed(f"filter change, Overview (outcome {value})", lambda: app.multiselect(key="f_outcome").set_value([value]).run())
    app.multiselect(key="f_outcome").set_value([]).run()
    app.button_group(key="view").set_value("Decisions").run()
    categories = [option.rsplit(" (", 1)[0] for option in app.multiselect(key="f_category").options[:3]]
    for category in categories:
        timed(f"filter change, Decisions (category {category})",
              lambda: app.multiselect(key="f_category").set_value([category]).run())
    app.multiselect(key="f_category").set_value([]).run()
    timed("Charts view", lambda: app.button_group(key="view").set_value("Charts").run())
    app.button_group(key="view").set_value("Overview").run()
    timed("search, Overview (\"physical therapy\" back)", lambda: app.text_input(key="f_text").set_value('"physical therapy" back').run())
    found["peak memory (MB)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--step", choices=("index", "app"), help=argparse.SUPPRESS)  # a child process's step
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps((build_index if args.step == "index" else measure_app)(Path(args.corpus))))
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        start = time.perf_counter()
        letters = replicate(seed_corpus(folder), folder / "corpus", args.decisions)
        print(f"corpus: {letters:,} letters, >= {args.decisions:,} decisions, built in {time.perf_counter() - start:.1f} s")
        figures: dict[str, float] = {}
        for step in ("index", "app"):
            child = subprocess.run([sys.executable, __file__, "--step", step, "--corpus", str(folder / "corpus")],
                                   capture_output=True, text=True, check=True, env=os.environ | {"IMR_CACHE": str(folder / "cache")})
            figures |= json.loads(child.stdout.strip().splitlines()[-1])
        targets = {"first render": 3, "filter change, Overview": 0.5, "filter change, Decisions": 0.5, "Charts view": 1.5,
                   "search": 2, "peak memory": 2048}
        for label, value in figures.items():
            unit = "MB" if "MB" in label else "s"
            target = next((f"(target < {limit} {unit})" for start, limit in targets.items() if label.startswith(start)),
                          "(once per state of the corpus)")
            print(f"{label:<58} {value:9.2f} {unit}   {target}")

if __name__ == "__main__":
    main()
