"""Field accuracy of the parser: the real published letters (per field, against the reading in
tests/real_letters/truth; needs ../shared/real-letters beside the checkout), generated PDFs of all four
layouts, and each hand-written letter set (written without reading the parser). Prints fields right /
fields compared, and the misses; scanned generated letters read by OCR (--scanned N); and why each
item was decided (reason tags, guideline limits, prior quantities) against the labels by reading
(tests/reason_accuracy.py). Takes about a minute.

    .venv/bin/python benchmarks/bench_accuracy.py [--letters 200] [--seed 12345]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
import imr  # noqa: E402
import synth  # noqa: E402
from imr import ocr  # noqa: E402
from synth.scan import scan_style, scanned_pdf  # noqa: E402
from accuracy import compare  # noqa: E402
import real_accuracy  # noqa: E402
import reason_accuracy  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def score(name: str, pairs: list[tuple[dict, dict]]) -> None:
    results = [(record["file"], result) for record, truth in pairs for result in compare(record, truth)]
    misses = [(file, result) for file, result in results if not result.ok]
    right = len(results) - len(misses)
    print(f"{name:<34} {len(pairs):>5} letters {right:>6} / {len(results):<6} fields right = {right / len(results):.2%}")
    for file, result in misses:
        print(f"    {Path(file).name}: {result.field}: expected {result.expected!r:.80}, got {result.got!r:.80}")


def fixture_pairs(folder: Path) -> list[tuple[dict, dict]]:
    pairs = []
    for truth in sorted(folder.glob("*.truth.json")):
        stem = truth.name.removesuffix(".truth.json")
        letter = next(p for p in (folder / f"{stem}.pdf", folder / f"{stem}.txt") if p.exists())
        pairs.append((imr.parse_file(letter).to_dict(), json.loads(truth.read_text())))
    return pairs


def score_real_letters() -> None:
    if not real_accuracy.available():
        print(f"real letters: skipped, {real_accuracy.MISSING_REASON}")
        return
    pairs = [(imr.parse_file(real_accuracy.REAL_LETTERS / truth["file"]).to_dict(), truth) for truth in real_accuracy.truths()]
    scores = real_accuracy.score_fields(pairs)
    print(f"real published letters: {len(pairs)} letters, {sum(len(t['decisions']) for _, t in pairs)} decisions")
    print_scores(scores)
    citations = real_accuracy.score_citations(pairs)
    print(f"    guideline lines captured {citations.captured} / {citations.lines}; citations: recall {citations.recall:.2%}, "
          f"precision {citations.precision:.2%} ({citations.right} right of {citations.expected} expected, {citations.found} found)")
    print("  what each decision is about (imr.enrich):")
    print_scores(real_accuracy.score_derived(pairs))


def print_scores(scores: real_accuracy.FieldScores) -> None:
    for name in scores.compared:
        right = scores.compared[name] - len(scores.misses[name])
        print(f"    {name:<22} {right:>4} / {scores.compared[name]:<4} = {scores.accuracy(name):.2%}")
        for file, expected, got in scores.misses[name]:
            print(f"        {file}: expected {expected!r:.80}, got {got!r:.80}")


def score_reasons(show_misses: bool) -> None:
    """Reason tags (micro P/R/F1, per tag), guideline limits and prior quantities: real letters,
    hand-written letters, both together, and the blind letters (scored, their misses never listed)."""
    print("reasons (imr.reasons, imr.guideline_limits) against the labels by reading:")
    fixtures = reason_accuracy.fixture_pairs()
    sets = [("hand-written letters", fixtures)]
    if real_accuracy.available():
        real = reason_accuracy.real_pairs()
        read, held_out = reason_accuracy.halves(real)
        sets = [("real published letters", real), ("  real, even positions (read while writing the phrases)", read),
                ("  real, odd positions (held out at first, read in the second pass)", held_out), *sets, ("all labelled letters", real + fixtures)]
    else:
        print(f"  real letters: skipped, {real_accuracy.MISSING_REASON}")
    blind = reason_accuracy.blind_pairs()
    folders = sorted({labels["file"].split("/")[0] for _, labels in blind})
    for folder in folders:  # their misses are not listed: reading them would end their blindness
        sets.append((f"blind letters {folder} (never read by whoever tunes the rules)",
                     [pair for pair in blind if pair[1]["file"].startswith(folder + "/")]))
    if len(folders) > 1:
        sets.append(("blind letters, all", blind))
    for name, pairs in sets:
        scores = reason_accuracy.score(pairs)
        print(f"  {name}: " + "\n".join(scores.report()))
        upheld, fired, right = reason_accuracy.fallback_counts(pairs)
        print(f"    no phrase gave a reason on {fired} of {upheld} upheld items; the fallback tag is right on {right} of them")
        if show_misses and not name.startswith(("  ", "all", "blind")):
            print("\n".join(f"        {miss}" for miss in scores.misses))


def score_scanned(count: int, seed: int) -> None:
    """Generated letters scanned (150-300 dpi, rotated up to 1 degree, speckled, JPEG) and read by OCR."""
    if not ocr.available():
        print("scanned letters: skipped, tesseract-ocr is not installed")
        return
    letters = synth.generate(count, seed=seed + 1)
    pairs, pages, start = [], 0, time.perf_counter()
    for index, letter in enumerate(letters):
        record = imr.parse_bytes(scanned_pdf(letter, scan_style(Random(index))), f"{letter.name}.pdf").to_dict()
        pages += record["pages"]
        pairs.append((record, letter.truth))
    seconds = time.perf_counter() - start
    score(f"scanned PDFs, OCR ({pages} pages, {seconds / pages:.1f} s a page)", pairs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=200, help="generated letters to score (0: none)")
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--scanned", type=int, default=8, help="scanned letters to read by OCR (0: none)")
    parser.add_argument("--reason-misses", action="store_true", help="list every decision whose reasons or limit differ")
    args = parser.parse_args()
    score_real_letters()
    score_reasons(args.reason_misses)
    if args.scanned:
        score_scanned(args.scanned, args.seed)
    if args.letters:
        generated = synth.generate(args.letters, seed=args.seed)
        score(f"generated PDFs (seed {args.seed})", [(imr.parse_bytes(l.pdf_bytes(), f"{l.name}.pdf").to_dict(), l.truth) for l in generated])
    derived = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        pairs = fixture_pairs(folder)
        score(f"hand-written: {folder.name}", pairs)
        derived += [(record, {**truth, "file": record["file"]}) for record, truth in pairs]
    print("hand-written sets, what each decision is about (imr.enrich):")
    print_scores(real_accuracy.score_derived(derived))


if __name__ == "__main__":
    main()
