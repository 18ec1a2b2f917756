"""Ingest throughput beside `imr parse` on the same files with the same workers, and on a 2-worker
Dask LocalCluster. Each is the whole CLI process (start-up included) on generated three-page letters,
run in turns `--repeat` times; the best run of each counts, since other work on a shared machine only
ever slows a run down. Prints letters/s, CPU per letter (the process and every process under it) and
the ratios the issue sets targets for, by both: ingest within 10% of parse locally, the LocalCluster
within 20% of local ingest. CPU is the steadier figure where other work shares the cores; wall time
is what a dedicated machine shows. About 4 minutes with 800 letters on 2 cores, 1.5 of them writing the letters.

    .venv/bin/python benchmarks/bench_ingest.py [--letters 800] [--workers N] [--repeat 3] [--folder DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_parse import three_page_letters, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=800)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="letters to use instead of generating --letters of them")
    args = parser.parse_args()
    python, workers = sys.executable, str(args.workers)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp) / "letters"
        if args.folder:
            count = sum(1 for path in folder.iterdir() if path.suffix == ".pdf")
        else:
            folder.mkdir()
            count = three_page_letters(args.letters, folder)
        corpus = Path(tmp) / "corpus"
        commands = {
            f"imr parse --workers {workers} (jsonl)": [python, "-m", "imr", "parse", "--workers", workers, "--format", "jsonl", str(folder)],
            f"imr ingest --workers {workers}": [python, "-m", "imr", "ingest", str(folder), "--corpus", str(corpus), "--workers", workers, "--quiet"],
            "imr ingest --dask local:2": [python, "-m", "imr", "ingest", str(folder), "--corpus", str(corpus), "--dask", "local:2", "--quiet"],
        }
        best: dict[str, tuple[float, float]] = {}
        for _ in range(args.repeat):
            for label, command in commands.items():
                shutil.rmtree(corpus, ignore_errors=True)  # every ingest starts from an empty corpus
                wall, cpu = timed(command)
                best[label] = min(best.get(label, (wall, cpu)), (wall, cpu))
    print(f"{count} generated letters of 3 pages each, {os.cpu_count()} cores; whole CLI processes, start-up included; "
          f"best of {args.repeat} runs in turns")
    print(f"{'':40} {'wall s':>8} {'letters/s':>10} {'CPU ms/letter':>14}")
    for label, (wall, cpu) in best.items():
        print(f"{label:40} {wall:8.2f} {count / wall:10.1f} {1000 * cpu / count:14.1f}")
    parse, local, dask = best.values()
    print(f"ingest / parse throughput, local: {parse[0] / local[0]:.2f} by wall, {parse[1] / local[1]:.2f} by CPU (target >= 0.90)")
    print(f"LocalCluster (2 workers) / local ingest throughput: {local[0] / dask[0]:.2f} by wall, "
          f"{local[1] / dask[1]:.2f} by CPU (target >= 0.80)")


if __name__ == "__main__":
    main()
