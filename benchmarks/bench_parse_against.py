"""Parsing speed of this checkout against an earlier commit, for claims like "within 10% of before":
both trees parse the same generated PDFs through the whole CLI, in turns (so load on the machine hits
both alike), and the best and the median run of each are compared by CPU time and by wall time.

    .venv/bin/python benchmarks/bench_parse_against.py REV [--letters 300] [--repeat 4] [--workers 1] [--folder DIR]

About 1 minute with the defaults. REV is checked out in a temporary git worktree, removed afterwards.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import synth  # noqa: E402


def timed_parse(tree: Path, letters: Path, workers: int) -> tuple[float, float]:
    """(CPU s of the CLI and its workers, wall s) for one `imr parse` run of `tree` over `letters`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "imr", "parse", "--workers", str(workers), "--format", "jsonl", str(letters)],
                   cwd=tree, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rev", help="the commit to compare with")
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--folder", type=Path, help="parse these letters (e.g. ../shared/real-letters) instead of generated ones")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        letters, before = Path(scratch) / "letters", Path(scratch) / "before"
        if args.folder:
            letters = args.folder.resolve()
            args.letters = sum(1 for path in letters.iterdir() if path.suffix.lower() in (".pdf", ".txt"))
        else:
            letters.mkdir()
            for letter in synth.generate(args.letters, seed=4242):
                (letters / f"{letter.name}.pdf").write_bytes(letter.pdf_bytes())
        subprocess.run(["git", "worktree", "add", "--detach", str(before), args.rev], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            runs: dict[str, list[tuple[float, float]]] = {args.rev: [], "this checkout": []}
            for _ in range(args.repeat):
                runs[args.rev].append(timed_parse(before, letters, args.workers))
                runs["this checkout"].append(timed_parse(ROOT, letters, args.workers))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT, check=False)
    best = {name: (min(cpu for cpu, _ in found), min(wall for _, wall in found)) for name, found in runs.items()}
    middle = {name: (statistics.median(cpu for cpu, _ in found), statistics.median(wall for _, wall in found)) for name, found in runs.items()}
    print(f"{args.letters} {'letters of ' + str(args.folder) if args.folder else 'generated PDFs'}, {args.workers} worker(s), "
          f"{args.repeat} runs each in turns")
    for name, (cpu, wall) in best.items():
        print(f"  {name:<16} best CPU {cpu:6.2f} s  wall {wall:6.2f} s  {args.letters / cpu:6.1f} letters/CPU-s; "
              f"median CPU {middle[name][0]:6.2f} s  wall {middle[name][1]:6.2f} s")
    # On a shared machine a best run can be a lucky one: the median says the same or it is noise.
    for label, figures in (("best", best), ("median", middle)):
        (old_cpu, old_wall), (new_cpu, new_wall) = figures[args.rev], figures["this checkout"]
        print(f"  throughput change ({label}): {old_cpu / new_cpu - 1:+.1%} by CPU, {old_wall / new_wall - 1:+.1%} by wall time")


if __name__ == "__main__":
    main()
