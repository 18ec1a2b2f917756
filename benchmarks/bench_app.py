"""App latency: first render on the demo corpus, a filter change with a given view open (the app runs
only that view), the same on 5,000 decisions through the functions the app calls (facet counts under
the other filters included), search, and upload+parse of 200 letters.
Run: .venv/bin/python benchmarks/bench_app.py (about 1 minute)"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import synth  # noqa: E402
from imr import charts, corpus, facets, statewide  # noqa: E402
from imr.corpus import Filters  # noqa: E402
from imr.demo import load_demo  # noqa: E402
from imr.uploads import Upload, UploadSession  # noqa: E402

DECISIONS_WANTED = 5000
UPLOAD_LETTERS = 200


def timed(label: str, action, repeat: int = 1) -> object:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<72} {best * 1000:9.1f} ms" + (f" (best of {repeat})" if repeat > 1 else ""))
    return result


def first_render() -> None:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    timed("first render, demo corpus (AppTest, cold: parses demo)", app.run)
    timed("rerun, demo corpus (AppTest, warm caches)", app.run)
    outcome = next(w for w in app.multiselect if w.key == "f_outcome")
    timed("filter change, demo corpus, Overview view open (AppTest rerun)", outcome.set_value(["overturned"]).run)
    for view in ("Charts", "Decisions", "Reasons"):
        app.button_group(key="view").set_value(view).run()
        choices = iter([["upheld"], ["overturned"]] * 3)

        def change_filter() -> None:
            next(w for w in app.multiselect if w.key == "f_outcome").set_value(next(choices)).run()

        timed(f"filter change, demo corpus, {view} view open (AppTest rerun)", change_filter, repeat=3)


def scaled_records(target: int) -> tuple[list[dict], list[str]]:
    """The demo letters repeated (renamed) until they hold `target` decisions, and their texts."""
    demo = [letter for letter in load_demo() if letter.decisions]
    records, texts, copy = [], [], 0
    while sum(len(r["decisions"]) for r in records) < target:
        for letter in demo:
            record = letter.to_dict()
            records.append({**record, "file": f"{copy}-{record['file']}", "sha256": f"{copy}-{record['sha256']}"})
            texts.append(letter.text)
        copy += 1
    return records, texts


def filter_change(records: list[dict], texts: list[str]) -> None:
    frames = timed(f"build frames ({len(records)} letters)", lambda: corpus.build_frames(records, texts=texts))
    print(f"  decisions: {len(frames.decisions)}")
    rates = statewide.statewide_metric(statewide.load_statewide(), "overturn_rate")
    filters = Filters(outcome=("upheld",), category=("Pharmaceuticals", "Rehabilitation"), text="the")

    def filtered() -> tuple:
        """What every rerun computes before it draws a view: options, facet counts, the filtered rows."""
        corpus.filter_options(frames.decisions)
        facets.facets(frames.decisions, filters)
        decisions = corpus.apply_filters(frames.decisions, filters)
        return decisions, corpus.filter_letters(frames.letters, decisions, filters)

    def filter_and_summary() -> None:
        decisions, letters = filtered()
        corpus.summarize(letters, decisions)

    def overview() -> None:
        decisions, letters = filtered()
        corpus.summarize(letters, decisions)
        corpus.rate_table(decisions, "category", top=5)
        charts.statewide_chart(corpus.compare_with_statewide(decisions, rates, "this corpus"))

    def charts_view() -> None:
        """One grouping's counts and rates, a small multiple of every other grouping, the delay histogram."""
        decisions, letters = filtered()
        spec = charts.CHART_SPECS[0]
        charts.grouping_charts(corpus.rate_table(decisions, spec.column, spec.top), spec)
        for spec in charts.CHART_SPECS[1:]:
            charts.small_multiple(corpus.rate_table(decisions, spec.column), spec)
        charts.days_chart(letters)

    def search() -> None:
        decisions = corpus.apply_filters(frames.decisions, Filters(text='"physical therapy" knee'))
        corpus.apply_filters(frames.decisions, Filters(text="tramadol", search_in=corpus.SEARCH_LETTERS))
        facets.facets(frames.decisions, Filters(text='"physical therapy" knee'))
        return decisions

    timed("filter change: filters + facet counts + summary, no chart (5k decisions)", filter_and_summary, repeat=3)
    timed("filter change, Overview view: + top categories + statewide chart", overview, repeat=3)
    in_view = len(charts.CHART_SPECS) + 2
    timed(f"filter change, Charts view: filters + all {in_view} of its charts", charts_view, repeat=3)
    timed("search: a phrase and a word in items, a word in whole letters, with facets", search, repeat=3)


def upload_and_parse() -> None:
    letters = synth.generate(UPLOAD_LETTERS, seed=7)
    files = {f"{letter.name}.pdf": letter.pdf_bytes() for letter in letters}
    uploads = [Upload(name, name, lambda data=data: data) for name, data in files.items()]
    session = UploadSession(workers=min(2, os.cpu_count() or 1))
    parsed = timed(f"upload+parse {UPLOAD_LETTERS} letter PDFs (guarded workers, as the app)", lambda: session.letters(uploads))
    timed(f"rerun with {UPLOAD_LETTERS} uploads (records kept in the session)", lambda: session.letters(uploads))
    statuses = {status: sum(1 for letter in parsed if letter.status == status) for status in ("ok", "partial", "error")}
    print(f"  statuses: {statuses}")


if __name__ == "__main__":
    first_render()
    filter_change(*scaled_records(DECISIONS_WANTED))
    upload_and_parse()
