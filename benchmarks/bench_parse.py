"""Parser throughput, whole CLI process included, beside plain pdfplumber text extraction on the same
files. Prints letters/s for `python -m imr parse` on one core and on all cores, for pdfplumber's
`page.extract_text()` on one core, and the ratio.

    .venv/bin/python benchmarks/bench_parse.py [--letters 400]
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import synth  # noqa: E402

PDFPLUMBER_BASELINE = """
import sys, pdfplumber
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*.pdf")):
    with pdfplumber.open(path) as pdf:
        text = "\\n".join(page.extract_text() or "" for page in pdf.pages)
"""


def three_page_letters(count: int, folder: Path) -> int:
    """Write `count` generated letters of exactly three pages (the typical letter) into folder."""
    written, seed = 0, 0
    while written < count:
        for letter in synth.generate(50, seed=seed):
            data = letter.pdf_bytes()
            if len(pdfium.PdfDocument(data)) == 3 and written < count:
                (folder / f"{letter.name}_{seed}.pdf").write_bytes(data)
                written += 1
        seed += 1
    return written


def timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children): CPU time is what 'per core'
    means, and it does not move when the machine is busy with other work."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        count = three_page_letters(args.letters, folder)
        python = sys.executable
        cores = os.cpu_count() or 1
        one_core = timed([python, "-m", "imr", "parse", "--workers", "1", "--format", "jsonl", str(folder)])
        all_cores = timed([python, "-m", "imr", "parse", "--workers", str(cores), "--format", "jsonl", str(folder)])
        baseline = timed([python, "-c", PDFPLUMBER_BASELINE, str(folder)])
    rows = [
        ("imr parse, 1 worker (whole CLI)", one_core),
        (f"imr parse, {cores} workers (whole CLI)", all_cores),
        ("pdfplumber extract_text, 1 core", baseline),
    ]
    print(f"{count} generated letters of 3 pages each, {cores} cores")
    print(f"{'':40} {'wall s':>8} {'letters/s':>10} {'CPU s':>8} {'letters/CPU-s':>14}")
    for label, (wall, cpu) in rows:
        print(f"{label:40} {wall:8.2f} {count / wall:10.1f} {cpu:8.2f} {count / cpu:14.1f}")
    print(f"imr parse (1 worker) vs pdfplumber extract_text, same files: {baseline[0] / one_core[0]:.1f}x wall, "
          f"{baseline[1] / one_core[1]:.1f}x CPU")
    print(f"imr parse ({cores} workers) vs pdfplumber extract_text (1 core): {baseline[0] / all_cores[0]:.1f}x wall")


if __name__ == "__main__":
    main()
