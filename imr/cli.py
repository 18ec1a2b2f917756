"""Command line: `python -m imr parse [--format json|jsonl|csv] [--workers N] PATH...`,
`python -m imr ingest PATH... --corpus DIR [--workers N] [--dask ADDRESS|local:N] [--quiet]` and
`python -m imr cite [--format json|table] TEXT...`. Thin: arguments in, imr calls, records out."""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import replace
from typing import TextIO

from imr.catalogue import cited_name
from imr.extract import inputs_from_paths
from imr.models import Letter
from imr.batch import parse_guarded, warm_parser
from imr.safe_text import spreadsheet_cell

_DECISION_COLUMNS = ("treatment", "quantity", "outcome", "category", "claims_administrator_guideline", "reviewer_guideline",
                     "reasons", "guideline_limit", "prior_quantity", "over_limit", "rationale")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m imr", description="Parse California IMR Final Determination Letters.")
    commands = parser.add_subparsers(dest="command", required=True)
    parse_cmd = commands.add_parser("parse", help="parse letters (.pdf, .txt, folders, .zip) into records")
    parse_cmd.add_argument("paths", nargs="+", metavar="PATH")
    parse_cmd.add_argument("--format", choices=("json", "jsonl", "csv"), default="json")
    parse_cmd.add_argument("--workers", type=_at_least_one, default=os.cpu_count() or 1,
                           help="processes to parse with (default: all cores)")
    parse_cmd.add_argument("--no-ocr", action="store_true", help="do not read scanned pages (no text layer) by OCR")
    ingest_cmd = commands.add_parser("ingest", help="add letters to a Parquet corpus (incremental, resumable)")
    ingest_cmd.add_argument("paths", nargs="+", metavar="PATH", help="letters, folders, .zip files; local paths or fsspec URLs")
    ingest_cmd.add_argument("--corpus", required=True, metavar="DIR", help="the corpus folder or fsspec URL (created if absent)")
    ingest_cmd.add_argument("--workers", type=_at_least_one, default=os.cpu_count() or 1,
                            help="processes to parse with (default: all cores; with --dask, the cluster's threads)")
    ingest_cmd.add_argument("--dask", metavar="ADDRESS|local:N",
                            help="parse on a Dask cluster: a scheduler address, or local:N for N local worker processes")
    ingest_cmd.add_argument("--batch-size", type=_at_least_one, default=None, metavar="N",
                            help="letters per part file (default 1000; with --dask, sized to give each worker thread two tasks)")
    ingest_cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    cite_cmd = commands.add_parser("cite", help="match guideline citation texts to the catalogue")
    cite_cmd.add_argument("texts", nargs="+", metavar="TEXT")
    cite_cmd.add_argument("--format", choices=("json", "table"), default="json")
    args = parser.parse_args(argv)
    # Names from the file system may hold bytes that are not UTF-8: print them escaped, never crash.
    sys.stdout.reconfigure(errors="backslashreplace")
    try:
        if args.command == "parse":
            inputs = [replace(item, ocr=not args.no_ocr) for item in inputs_from_paths(args.paths)]
            if not inputs:
                print("imr: no files found in the given paths", file=sys.stderr)
            if args.workers > 1 and len(inputs) > 1:
                warm_parser()  # each worker forked then inherits the parser's loaded patterns
            letters = parse_guarded(inputs, workers=args.workers)
            {"json": write_json, "jsonl": write_jsonl, "csv": write_csv}[args.format](letters, sys.stdout)
        elif args.command == "ingest":
            return run_ingest(args)
        else:
            write_citations(args.texts, args.format, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`): that is its choice, not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def run_ingest(args: argparse.Namespace) -> int:
    from imr.corpus_parts import CorpusBusy
    from imr.ingest import IngestError, ingest

    try:
        summary = ingest(args.paths, args.corpus, workers=args.workers, dask=args.dask,
                         batch_files=args.batch_size, quiet=args.quiet)
    except (IngestError, CorpusBusy) as error:
        print(f"imr ingest: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("imr ingest: interrupted; every finished batch is in the corpus, run again to add the rest", file=sys.stderr)
        return 130
    print(summary.text(args.corpus))
    return 0


def _at_least_one(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def write_json(letters: Iterable[Letter], out: TextIO) -> None:
    out.write("[")
    for index, letter in enumerate(letters):
        out.write(("," if index else "") + "\n" + json.dumps(letter.to_dict(), ensure_ascii=False))
    out.write("\n]\n")


def write_jsonl(letters: Iterable[Letter], out: TextIO) -> None:
    for letter in letters:
        out.write(json.dumps(letter.to_dict(), ensure_ascii=False) + "\n")


def write_csv(letters: Iterable[Letter], out: TextIO) -> None:
    """One row per decision with the letter's fields repeated; a letter without decisions (an error,
    say) still gets one row, so no file disappears from the table."""
    writer: csv.DictWriter | None = None
    for letter in letters:
        record = letter.to_dict()
        decisions = record.pop("decisions")
        letter_fields = {key: _cell(value) for key, value in record.items()}
        for index, decision in enumerate(decisions or [None]):
            row = {**letter_fields, "decision_index": index + 1 if decision else None}
            row.update({f"decision_{key}": _decision_cell(key, decision[key]) if decision else None for key in _DECISION_COLUMNS})
            row["decision_citations"] = "; ".join(
                f"{c['role']}: {c['source']} {cited_name(c['section'], c['catalogue_id']) or ''}".strip()
                for c in decision["citations"] if c["source"]) if decision else None
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row))
                writer.writeheader()
            writer.writerow({key: spreadsheet_cell(value) for key, value in row.items()})


def _cell(value: object) -> object:
    return "; ".join(map(str, value)) if isinstance(value, list) else value


def _decision_cell(key: str, value: object) -> object:
    """A spreadsheet reads the reasons as their tags ("not_recommended; other") and the limit as "10 visits"."""
    if key == "reasons":
        return "; ".join(reason["tag"] for reason in value)
    if key == "guideline_limit":
        return f"{value['value']:g} {value['unit']}" if value else None
    return _cell(value)


def write_citations(texts: list[str], fmt: str, out: TextIO) -> None:
    from imr.citations import match_citation

    results = [{key: value for key, value in match_citation(text).to_dict().items() if key != "role"} for text in texts]
    if fmt == "json":
        out.write(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        return
    for text, result in zip(texts, results):
        source, pages = result["source"] or "-", result["pages"] or ""
        section = cited_name(result["section"], result["catalogue_id"]) or "(unmatched)"
        out.write(f"{result['score']:>5.1f}  {source:<10} {section:<45} {pages:<8} {text}\n")


if __name__ == "__main__":
    sys.exit(main())
