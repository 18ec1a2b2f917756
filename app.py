"""Streamlit app: explore parsed IMR Final Determination Letters. UI only; all computing is in imr/.

Letter text is untrusted: it is shown only as escaped HTML (imr.letterview), escaped Markdown or in
dataframes; the only script the app runs is its own constant scroll helper.

The URL holds the state (view, open letter and item, filters, corpus). Every change the user makes is
written to it as a new browser history entry (Streamlit pushes query-parameter changes); when the URL
changes from outside — the first load, Back, Forward — the app adopts it.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
import streamlit as st

from imr import charts, corpus, corpus_sql, export, facets, letterview, query, statewide, tables
from imr.corpus import CORPUS, DEMO, UPLOADED, Filters, FrameAnswers, Frames
from imr.demo import load_demo
from imr.models import Letter
from imr.parse import parse_file
from imr.search import Search, parse_search
from imr.uploads import Upload, UploadSession

MAX_PROBLEM_LINES = 50
UPLOAD_WORKERS = min(2, os.cpu_count() or 1)
CHART_BY_KEY = "by"  # URL key of the Charts view's grouping
REASONS_BY_KEY, REASONS_GROUP_KEY = "among", "group"  # URL keys of the Reasons view's pickers
SPEC_BY_KEY = {spec.key: spec for spec in charts.CHART_SPECS}
STYLE = """<style>
/* Captions at 7.6:1 on white (Streamlit's faded default is about 4:1). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #4B5563 !important; }
.block-container { padding-top: 2.5rem !important; }
h1 { font-size: 2rem !important; }
/* Side-by-side panes stack below 1000 px; rows of figures go two by two. */
@media (max-width: 999px) {
  [class*="st-key-stack"] [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
  [class*="st-key-stack"] [data-testid="stColumn"] { flex: 1 1 100% !important; width: 100% !important; min-width: 100%; }
  [class*="st-key-pairs"] [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
  [class*="st-key-pairs"] [data-testid="stColumn"] { flex: 1 1 45% !important; min-width: 45%; }
}
</style>"""

st.set_page_config(page_title="IMR decision explorer", page_icon="⚖️", layout="wide")


@st.cache_resource(show_spinner="Parsing the synthetic demo letters…")
def demo_letters() -> list[Letter]:
    return load_demo()


# cache_resource, not cache_data: cache_data unpickles a copy on every rerun, and the frames hold every
# letter's text for whole-letter search. Nothing mutates the frames (every step returns a new frame).
@st.cache_resource(show_spinner=False, max_entries=8)
def frames_for(key: tuple[tuple[str, str | None, str], ...], _letters: list[Letter]) -> Frames:
    return corpus.build_frames([letter.to_dict() for letter in _letters], [origin for _, _, origin in key],
                               [letter.text for letter in _letters])


@st.cache_data(show_spinner=False, max_entries=64)
def facet_counts(key: tuple[tuple[str, str | None, str], ...], _decisions: pd.DataFrame, filters: Filters) -> dict[str, facets.Facet]:
    """Facets of one corpus (`key`) under one set of filters: a rerun that changes no filter (a view
    switch, another letter) does not count again."""
    return facets.facets(_decisions, filters)


# Two engines answer the views' questions: pandas over a session's letters (the demo, uploads: small, with
# each letter's text for whole-letter search and marking), and DuckDB over a Parquet corpus that does
# not fit in memory (imr/corpus_sql.py), which only hands pandas what a view shows.
def corpus_location() -> str | None:
    """The Parquet corpus to open: `--corpus DIR` (after `--` on the streamlit command line), else $IMR_CORPUS."""
    args = sys.argv[1:]
    if "--corpus" in args[:-1]:
        return args[args.index("--corpus") + 1]
    return os.environ.get("IMR_CORPUS") or None


@st.cache_resource(show_spinner="Opening the corpus (its first opening builds an index: a minute a million decisions)…")
def corpus_database(location: str) -> corpus_sql.CorpusDatabase:
    return corpus_sql.CorpusDatabase(location)


@st.cache_data(show_spinner=False)
def statewide_figures() -> pd.DataFrame:
    return statewide.load_statewide()


def uploaded_letters() -> list[Letter]:
    files = st.sidebar.file_uploader("Add your letters (PDF, TXT or ZIP of them)", type=["pdf", "txt", "zip"],
                                     accept_multiple_files=True, key="uploads")
    if not files:
        return []
    # Parsed records, not uploaded bytes, stay in the session; each upload is parsed once.
    session: UploadSession = st.session_state.setdefault(
        "upload_session", UploadSession(workers=UPLOAD_WORKERS))
    progress = st.sidebar.empty()

    def report(done: int, total: int, name: str) -> None:
        progress.progress(done / total, text=f"Parsed {done:,} of {total:,}: {letterview.escape_markdown(name)}")

    def report_page(name: str, done: int, total: int) -> None:  # OCR is slow: page by page
        progress.progress(done / total, text=f"Reading scanned pages by OCR: {done} of {total} in {letterview.escape_markdown(name)}")

    letters = session.letters([Upload(file.file_id, file.name, file.getvalue) for file in files], report, report_page)
    progress.empty()
    return letters


# --- state <-> URL ---------------------------------------------------------------------------------

def url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def filters_from_state() -> Filters:
    values: dict[str, object] = {}
    for field in fields(Filters):
        value = st.session_state.get(f"f_{field.name}", field.default)
        values[field.name] = value if isinstance(value, str) else tuple(value)
    return Filters(**values)  # type: ignore[arg-type]


def put_filters(filters: Filters) -> None:
    for field in fields(Filters):
        value = getattr(filters, field.name)
        st.session_state[f"f_{field.name}"] = value if isinstance(value, str) else list(value)


def adopt_url(find_letter: Callable[[dict[str, list[str]]], tuple[int | None, int | None]],
              options: dict[str, list[str]]) -> None:
    """The URL changed outside the app (first load, Back, Forward): it wins over the widgets."""
    params = url_params()
    put_filters(query.filters_from_params(params, options))
    st.session_state["view"] = query.view_from_params(params)
    letter_id, item = find_letter(params)
    if letter_id is not None:
        open_letter(letter_id, item)
        mark = query.mark_from_params(params)
        if mark:  # checked against the letter's located fields when the pane is drawn
            st.session_state["focus"] = letterview.focus_key(mark, item)
    by = params.get(CHART_BY_KEY, [""])[0]
    st.session_state["chart_by"] = by if by in SPEC_BY_KEY else charts.CHART_SPECS[0].key
    among = params.get(REASONS_BY_KEY, [""])[0]
    st.session_state["reasons_by"] = among if among in REASON_GROUPINGS else "all"
    # A group the letters in view do not hold falls back to the first when the view is drawn.
    st.session_state["reasons_group"] = params.get(REASONS_GROUP_KEY, [None])[0]
    # A link about uploaded letters opened where there are none: say so instead of showing nothing.
    st.session_state["missing_uploads"] = UPLOADED in params.get("corpus", []) and UPLOADED not in options["corpus"]


def wanted_params(link: Callable[[int, int | None, str | None], dict[str, list[str]]], filters: Filters,
                  view: str) -> dict[str, list[str]]:
    letter = None
    if view == "Letter" and st.session_state.get("letter_pick") is not None:
        focus = st.session_state.get("focus")
        letter = link(st.session_state["letter_pick"], st.session_state.get("item_pick"),
                      letterview.mark_name(focus) if focus else None)
    params = query.params_from_state(filters, view, letter)
    if view == "Charts" and st.session_state.get("chart_by") != charts.CHART_SPECS[0].key:
        params[CHART_BY_KEY] = [st.session_state["chart_by"]]
    if view == "Reasons" and st.session_state.get("reasons_by", "all") != "all":
        params[REASONS_BY_KEY] = [st.session_state["reasons_by"]]
        if st.session_state.get("reasons_group"):
            params[REASONS_GROUP_KEY] = [st.session_state["reasons_group"]]
    return params


def write_url(params: dict[str, list[str]]) -> None:
    """A new history entry when the state moved (Streamlit pushes query-parameter changes)."""
    if params != url_params():
        st.query_params.from_dict(params)
    st.session_state["url_seen"] = params


def open_letter(letter_id: int, item: int | None) -> None:
    st.session_state["view"] = "Letter"
    st.session_state["letter_pick"] = letter_id
    st.session_state["item_pick"] = item
    st.session_state["focus"] = f"decisions[{item - 1}].outcome" if item else None


# --- sidebar ---------------------------------------------------------------------------------------

def default_to_own_letters(has_uploads: bool) -> None:
    """Once files are uploaded, the corpus is "your letters only" until the user widens it."""
    if has_uploads and not st.session_state.get("had_uploads"):
        st.session_state["f_corpus"] = [UPLOADED]
    st.session_state["had_uploads"] = has_uploads


# The facets most questions start from; the rest sit in "More filters", opened when one of them is set.
MAIN_FACETS = ("corpus", "outcome", "category", "subcategory", "drug", "reason", "limit")
MORE_FACETS = tuple(name for name in corpus.FILTER_COLUMNS if name not in MAIN_FACETS)


def filter_widgets(found: dict[str, facets.Facet], origins: set[str], filters: Filters, whole_letters: bool = True) -> None:
    """Search, then facets with counts under the other filters; chosen values stay listed even at zero.
    `origins`: where the letters came from (every origin with a file, even one whose letters all failed);
    `whole_letters`: the letters' texts are held, so whole letters can be searched."""
    sidebar = st.sidebar
    sidebar.header("Filters")
    sidebar.text_input("Search", key="f_text", placeholder='words, "a phrase", CM16-0221706',
                       help='Every word must be found (at the start of a word, any letter case); "quoted words" '
                            "are found together; a case number finds its letter. Each item searches its treatment, "
                            "rationale and its letter's diagnoses" + ("; or search whole letters." if whole_letters else "."))
    if whole_letters:
        sidebar.radio(facets.LABELS["search_in"], corpus.SEARCH_IN, key="f_search_in", horizontal=True,
                      format_func=lambda v: facets.value_label("search_in", v))
    else:
        st.session_state["f_search_in"] = corpus.SEARCH_ITEMS
        sidebar.caption("A corpus stores each item's fields, not whole letters: the search looks in the treatment, "
                        "rationale, diagnoses and case number.")
    sidebar.caption("Numbers are decisions that would match with that value and the other filters.")
    more_set = sum(1 for name in MORE_FACETS if getattr(filters, name))
    places = {name: sidebar for name in MAIN_FACETS}
    for name in MAIN_FACETS + MORE_FACETS:
        if name == MORE_FACETS[0]:
            places |= dict.fromkeys(MORE_FACETS, sidebar.expander(
                f"More filters ({more_set} set)" if more_set else "More filters", expanded=bool(more_set)))
        place = places[name]
        facet = found[name]
        options = facet.options
        if name == "corpus":
            options = [origin for origin in facets.NATURAL_ORDER["corpus"] if origin in origins | set(filters.corpus)]
        if name == "source":
            place.radio(facets.LABELS["cited_by"], corpus.CITED_BY, key="f_cited_by", horizontal=True,
                        format_func=lambda v: facets.value_label("cited_by", v),
                        help="Which side's guideline citations the source and section filters look at.")
        st.session_state[f"f_{name}"] = [v for v in st.session_state.get(f"f_{name}", []) if v in options]
        place.multiselect(facets.LABELS[name], options, key=f"f_{name}", format_func=facet.label, placeholder="any")


def chip_row(filters: Filters) -> None:
    active = facets.chips(filters)
    if not active:
        return

    def remove(chip: facets.Chip) -> None:
        put_filters(facets.without(filters_from_state(), chip.name, chip.value))

    with st.container(horizontal=True, key="chips"):
        for i, chip in enumerate(active):
            st.button(f"✕ {chip.text}", key=f"chip_{i}", on_click=remove, args=(chip,), help="Remove this filter")
        st.button("Reset filters", key="reset", type="primary", on_click=lambda: put_filters(Filters()))


# --- views -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Export:
    """What every export says about itself: the active filters and the sources of the letters."""
    active: Filters
    sources: list[str]

    @property
    def filters(self) -> list[tuple[str, str]]:
        return facets.described(self.active)

    @property
    def text(self) -> str:
        return facets.describe(self.active)


def download_buttons(stem: str, table: pd.DataFrame, records: pd.DataFrame, key: str, about: Export) -> None:
    """CSV and Excel of the table as shown (same rows, same column names), JSON of the same rows with the
    record's field names; bytes are made only when a button is clicked."""
    formats: list[tuple[str, str, Callable[[], bytes], str]] = [
        ("CSV", "csv", lambda: export.to_csv(table), "text/csv"),
        ("Excel", "xlsx", lambda: export.to_excel({stem: table}, filters=about.filters, sources=about.sources),
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("JSON", "json", lambda: export.to_json(export.export_frame(records, "machine")), "application/json"),
    ]
    with st.container(horizontal=True):
        for label, suffix, make, mime in formats:
            st.download_button(f"{stem} ({label})", make, file_name=f"imr-{stem}.{suffix}", mime=mime,
                               key=f"dl_{key}_{suffix}", on_click="ignore")


def show_chart(fig, key: str, about: Export, downloads: bool = True) -> None:
    st.plotly_chart(fig, key=f"chart_{key}", config={"displaylogo": False,
                                                     "toImageButtonOptions": {"filename": key, "scale": 2}})
    st.caption(f"Filters: {letterview.escape_markdown(about.text)}")
    if not downloads:
        return
    exported = charts.with_filters(fig, about.text)  # the file says what it shows
    with st.container(horizontal=True):
        st.download_button("Chart as HTML", lambda: export.figure_html(exported), file_name=f"{key}.html",
                           mime="text/html", key=f"html_{key}", on_click="ignore")
        png_button(exported, key)


def png_button(fig, key: str) -> None:
    """A PNG is made on request (it takes a second or two) and offered only when it was made."""
    made = st.session_state.get(f"png_{key}")
    if made is None:
        if export.png_available():
            st.button("Make PNG", key=f"make_png_{key}",
                      on_click=lambda: st.session_state.__setitem__(f"png_{key}", export.figure_png(fig) or b""))
        else:
            st.caption("PNG: use the camera button in the chart's toolbar.")
    elif made:
        st.download_button("Chart as PNG", made, file_name=f"{key}.png", mime="image/png", key=f"dl_png_{key}",
                           on_click=lambda: st.session_state.pop(f"png_{key}", None))
    else:
        st.caption("This chart could not be drawn as PNG here: use the camera button in the chart's toolbar.")


def outcome_filter_note(filters: Filters) -> None:
    if filters.outcome:
        st.info(f"The outcome filter is on ({', '.join(filters.outcome)}): every overturn rate is 0% or 100% "
                "by construction. Remove it to compare rates.")


def overview_view(answers: FrameAnswers | corpus_sql.CorpusAnswers, filters: Filters, about: Export) -> None:
    summary = answers.summary()
    low, high = summary.rate.interval
    readable = summary.letters_by_status["ok"] + summary.letters_by_status["partial"]
    with st.container(key="pairs_metrics"):
        cols = st.columns(4)
    cols[0].metric("Letters", f"{readable:,}")
    errors = summary.letters_by_status["error"]
    if errors:  # files that could not be read are counted apart, never as letters
        cols[0].caption(f"and {tables.count(errors, 'file')} that could not be read (Files view)")
    cols[1].metric("Decisions", f"{summary.decisions:,}")
    if summary.rate.decided:
        cols[2].metric("Overturn rate", tables.percent(summary.rate.rate),
                       help=f"{summary.rate.overturned:,} of {summary.rate.decided:,} decided items; "
                            f"95% Wilson interval {low:.1%}–{high:.1%}")
        cols[2].caption(f"95% CI {low:.1%}–{high:.1%} · {summary.rate.overturned:,} of {summary.rate.decided:,}")
    else:
        cols[2].metric("Overturn rate", "–")
    if summary.first_decision is not None:
        cols[3].metric("Decision years", f"{summary.first_decision:%Y}–{summary.last_decision:%Y}")
        cols[3].caption(f"{summary.first_decision:%Y-%m-%d} to {summary.last_decision:%Y-%m-%d}")
    else:
        cols[3].metric("Decision years", "–")
    outcome_filter_note(filters)

    with st.container(key="stack_overview"):
        left, right = st.columns(2)
    left.subheader("Top service categories")
    top = answers.rate_table("category", top=5)
    left.dataframe(
        pd.DataFrame({
            "Service category": top["group"],
            "Decisions": top["decisions"],
            "Overturned": [f"{k:,} of {n:,}" for k, n in zip(top["overturned"], top["decided"])],
            "Overturn rate": [tables.percent(r) for r in top["rate"]],
            "95% CI": [f"{lo:.1%}–{hi:.1%}" if n else "–" for lo, hi, n in zip(top["ci_low"], top["ci_high"], top["decided"])],
        }),
        hide_index=True, width="stretch",
    )
    with right:
        st.subheader("Against the statewide reference")
        figures = statewide_figures()
        rates = statewide.statewide_metric(figures, "overturn_rate")
        show_chart(charts.statewide_chart(corpus.compare_with_statewide(summary.rate, rates, "this corpus (filtered)")),
                   "statewide_comparison", about)
    with st.expander(f"All {statewide.REFERENCE_LABEL} figures, with sources"):
        st.dataframe(figures.rename(columns=export.human_name), hide_index=True, width="stretch")


def decisions_grid(decisions: pd.DataFrame) -> pd.DataFrame:
    """The decisions as a grid whose rows open their letter; returns the table shown (for its exports)."""
    table = tables.decisions_table(decisions)
    st.session_state["grid_rows"] = list(zip(decisions["letter_id"], decisions["decision_index"]))
    st.dataframe(tables.for_display(table), hide_index=True, width="stretch", height=min(480, 35 * (len(table) + 1) + 3),
                 key=f"grid_{st.session_state.get('grid_nonce', 0)}", on_select=open_selected_row,
                 selection_mode="single-row",
                 column_config={"Decision date": st.column_config.DateColumn(format="YYYY-MM-DD"),
                                "Item": st.column_config.NumberColumn(width="small")})
    return table


def decisions_view(decisions: pd.DataFrame, letters: pd.DataFrame, about: Export) -> None:
    st.caption(f"{tables.count(len(decisions), 'decision')} match the filters. Click a row to open its letter "
               "at that item.")
    table = decisions_grid(decisions)
    download_buttons("decisions", table, decisions, "decisions", about)
    download_buttons("letters", tables.letters_table(letters), letters, "letters", about)


def open_selected_row() -> None:
    key = f"grid_{st.session_state.get('grid_nonce', 0)}"
    rows = st.session_state[key].selection.rows
    if not rows:
        return
    letter_id, index = st.session_state["grid_rows"][rows[0]]
    open_letter(int(letter_id), int(index) + 1)
    st.session_state["grid_nonce"] = st.session_state.get("grid_nonce", 0) + 1  # a fresh grid: no row stays selected


def letter_view(choices: list[int], labels: Callable[[list[int]], dict[int, str]], load: Callable[[int], Letter | None],
                search: Search, no_text: str = "No text was extracted from this file.") -> None:
    """`choices`: ids of the letters offered; `labels`: their names; `load`: a letter by id (None when
    there is none)."""
    current = st.session_state.get("letter_pick")
    if current is not None and current not in choices and load(current) is not None:
        choices.append(current)  # a link names a letter the filters leave out: open it anyway
    if not choices:
        st.info("No letters match the filters.")
        return
    names = labels(choices)

    def new_letter() -> None:
        letter = load(st.session_state["letter_pick"])
        st.session_state["item_pick"] = 1 if letter.decisions else None
        st.session_state["focus"] = "decisions[0].outcome" if letter.decisions else None

    if st.session_state.get("letter_pick") not in choices:
        st.session_state["letter_pick"] = choices[0]
        new_letter()
    with st.container(key="stack_letter_pickers"):
        left, right = st.columns([3, 2])
    left.selectbox("Letter", choices, format_func=names.get, key="letter_pick", on_change=new_letter)
    letter = load(st.session_state["letter_pick"])
    items = list(range(1, len(letter.decisions) + 1))
    if st.session_state.get("item_pick") not in items:
        st.session_state["item_pick"] = items[0] if items else None

    def new_item() -> None:
        st.session_state["focus"] = f"decisions[{st.session_state['item_pick'] - 1}].outcome"

    right.selectbox("Item", items, key="item_pick", on_change=new_item, disabled=not items,
                    placeholder="this letter has no decisions",
                    format_func=lambda i: f"Item {i} of {len(items)} · {letter.decisions[i - 1].treatment} — "
                                          f"{letter.decisions[i - 1].outcome or 'outcome not found'}")
    item = st.session_state.get("item_pick")
    rows = letterview.field_rows(letter)
    with st.container(key="stack_letter"):
        left, right = st.columns([2, 3])
    with left:
        if letter.error:
            st.error(letterview.escape_markdown(f"{letter.status}: {letter.error}"))
        if item:
            st.subheader(f"Item {item}")
            st.html(letterview.fields_html(letterview.decision_rows(letter, item)))
        st.caption("● the letter's words for this field can be marked in the letter.")
        with st.expander("The letter's own fields", expanded=not item):
            st.html(letterview.fields_html([row for row in rows if row.item is None]))
    with right:
        marks_pane(letter, rows, item, search, no_text)


def marks_pane(letter: Letter, rows: list[letterview.FieldRow], item: int | None, search: Search, no_text: str) -> None:
    """The whole letter, escaped, with the chosen passage marked and scrolled to, and the item's reasons."""
    with_span = {row.field: row.label for row in rows if row.span and row.value}
    if st.session_state.get("focus") not in with_span:
        st.session_state["focus"] = next(iter(with_span), None)
    st.selectbox("Mark in the letter", list(with_span), key="focus", format_func=with_span.get,
                 disabled=not with_span, placeholder="no passage of this letter is located")
    focus = st.session_state.get("focus")
    marks: list[tuple[int, int, str, str]] = []
    if focus:
        item_of_focus, _, name = focus.partition("].")
        span = letterview.focus_span(letter, int(item_of_focus.removeprefix("decisions[")) + 1, name) \
            if name else letter.evidence.get(focus)
        if span:
            marks.append((span[0], span[1], letterview.FOCUS, with_span[focus]))
    if item:
        marks += [(start, end, letterview.REASON, facets.value_label("reason", tag))
                  for start, end, tag in letterview.reason_spans(letter, item)]
    matches = search.spans(letter.text)
    marks += [(start, end, letterview.MATCH, "search match") for start, end in matches]
    st.caption("Marked: the chosen passage (dark amber); the reason sentences of this item (blue underline)"
               + (f"; {tables.count(len(matches), 'search match', 'search matches')} (yellow)." if matches else "."))
    with st.container(height=620, border=True, key="letter_pane"):
        if letter.text:
            st.html(letterview.letter_html(letter.text, marks))
        else:
            st.caption(no_text)
    if marks and marks[0][2] == letterview.FOCUS:
        # Numbers only after the constant script (never a file name: this element runs scripts); they make
        # each new mark a new element, so the script runs again and scrolls to it.
        start, end = int(marks[0][0]), int(marks[0][1])
        st.html(f"{letterview.SCROLL_TO_FOCUS}<!-- {int(st.session_state['letter_pick'])} {start} {end} -->",
                unsafe_allow_javascript=True)


def citations_view(citations: pd.DataFrame, about: Export) -> None:
    threshold = st.slider("Match threshold (score 0–100)", 0, 100, 80, key="min_score", persist_state="session")
    matched, unmatched = corpus.split_citations(citations, threshold)
    st.subheader("What each side relied on")
    st.caption("Guideline lines by source, with references outside MTUS and ODG (OTHER), citations the "
               "catalogue could not place (unmatched) and lines saying no evidence was cited, as their own groups.")
    st.dataframe(tables.citation_groups_table(corpus.citation_groups(citations)), hide_index=True, width="stretch")
    score = {"Match score": st.column_config.ProgressColumn("Match score", min_value=0, max_value=100, format="%.0f")}
    st.subheader(f"Matched citations ({len(matched):,})")
    st.dataframe(tables.citations_table(matched), hide_index=True, width="stretch", column_config=score)
    st.subheader("Claims administrator vs reviewer, where they cite different sections")
    disagreements = corpus.citation_disagreements(matched)
    disagreements_table = disagreements.rename(columns={
        "file": "File", "treatment": "Treatment", "outcome": "Outcome",
        "claims_administrator": "Claims administrator cited", "reviewer": "Reviewer cited"})
    st.dataframe(disagreements_table, hide_index=True, width="stretch")
    st.subheader(f"Unmatched citations ({len(unmatched):,})")
    st.dataframe(tables.citations_table(unmatched), hide_index=True, width="stretch", column_config=score)
    judged = export.citations_with_threshold(citations, threshold)
    download_buttons("citations", tables.citations_table(judged), judged, "citations", about)
    download_buttons("disagreements", disagreements_table, disagreements, "disagreements", about)



def charts_view(answers: FrameAnswers | corpus_sql.CorpusAnswers, filters: Filters, about: Export) -> None:
    outcome_filter_note(filters)
    st.caption("Overturn rate: share of decided items overturned; whiskers are 95% Wilson intervals, counts "
               "are in the labels. A decision counts under every value of a list field (each section cited, "
               "each specialty of its reviewer).")
    spec = SPEC_BY_KEY[st.selectbox("Group decisions by", list(SPEC_BY_KEY), key="chart_by",
                                    format_func=lambda key: SPEC_BY_KEY[key].title)]
    counts, rates = charts.grouping_charts(answers.rate_table(spec.column, spec.top), spec)
    with st.container(key="stack_charts"):
        left, right = st.columns(2)
    with left:
        show_chart(counts, f"outcomes_by_{spec.key}", about)
    with right:
        show_chart(rates, f"overturn_rate_by_{spec.key}", about)
    st.subheader("Every grouping at a glance")
    st.caption(f"Overturn rate of the {charts.SMALL_MULTIPLE_GROUPS} largest groups of each grouping, on one 0–100% axis. "
               "Pick a grouping above for all its groups.")
    others = [other for other in charts.CHART_SPECS if other.key != spec.key]
    with st.container(key="stack_multiples"):
        for start in range(0, len(others), 3):
            for column, other in zip(st.columns(3), others[start:start + 3]):
                with column:
                    st.plotly_chart(charts.small_multiple(answers.rate_table(other.column), other), key=f"small_{other.key}",
                                    config={"displayModeBar": False})
    st.caption(f"Filters: {letterview.escape_markdown(about.text)}")
    show_chart(charts.days_chart(answers.days_counts()), "days_ur_denial_to_decision", about)


REASON_GROUPINGS = {"all": "all upheld items", "category": "service category", "subcategory": "subcategory"}


def reasons_view(answers: FrameAnswers | corpus_sql.CorpusAnswers, filters: Filters, about: Export) -> None:
    outcome_filter_note(filters)
    st.caption("Why items were upheld: each reason's share of the upheld items, with 95% Wilson intervals. "
               "An item giving several reasons counts under each. Reasons are read from the rationale's sentences; "
               "the Letter view marks them.")
    with st.container(key="stack_reason_pickers"):
        left, right = st.columns(2)
    by = left.radio("Among the upheld items of", list(REASON_GROUPINGS), key="reasons_by", horizontal=True,
                    format_func=REASON_GROUPINGS.get)
    table = answers.reason_shares(None if by == "all" else by)
    groups = list(dict.fromkeys(table["group"])) or [corpus.ALL_UPHELD]
    sizes = dict(zip(table["group"], table["upheld"]))
    if st.session_state.get("reasons_group") not in groups:
        st.session_state["reasons_group"] = groups[0]
    group = right.selectbox("Group", groups, key="reasons_group", disabled=by == "all",
                            format_func=lambda g: f"{g} ({tables.count(int(sizes.get(g, 0)), 'upheld item')})")
    label = lambda tag: facets.value_label("reason", tag)  # noqa: E731
    with st.container(key="stack_reasons"):
        left, right = st.columns(2)
    with left:
        show_chart(charts.reason_chart(table, group, label), f"reasons_{by}", about)
    with right:
        limits = answers.rate_table("limit_status")
        show_chart(charts.rate_chart(limits, "Overturn rate by the request against the guideline limit"),
                   "overturn_rate_by_guideline_limit", about)
        stated = int(limits.loc[limits["group"].isin([corpus.OVER_LIMIT, corpus.WITHIN_LIMIT]), "decisions"].sum())
        st.caption(f"{tables.count(stated, 'item')} of {int(limits['decisions'].sum()):,} measure the request against a limit the "
                   "rationale states.")
    if by != "all" and not table.empty:
        st.subheader(f"Every reason by {REASON_GROUPINGS[by]}")
        grid = table.assign(reason=table["tag"].map(label),
                            cell=[f"{s:.1%} ({k:,} of {n:,})" for s, k, n in zip(table["share"], table["with_tag"], table["upheld"])])
        wide = grid.pivot(index="group", columns="reason", values="cell").fillna("–").reset_index()
        wide = wide.rename(columns={"group": REASON_GROUPINGS[by].capitalize()})
        st.dataframe(wide, hide_index=True, width="stretch")
        download_buttons("reasons", wide, table, "reasons", about)


def files_view(letters: pd.DataFrame, about: Export) -> None:
    counts = letters["status"].value_counts()
    st.caption(" · ".join(f"{counts.get(status, 0):,} {status}" for status in ("ok", "partial", "error"))
               + " — every file of the chosen letters, whatever the other filters.")
    duplicates = letters[letters["duplicate_file"] | letters["duplicate_case"]]
    if not duplicates.empty:
        st.warning(f"{tables.count(int(letters['duplicate_file'].sum()), 'file')} repeat another file's content and "
                   f"{tables.count(int(letters['duplicate_case'].sum()), 'file')} share a case number with another file.")
    table = tables.letters_table(letters)
    st.dataframe(tables.for_display(table), hide_index=True, width="stretch", height=520)
    download_buttons("files", table, letters, "files", about)
    problems = letters[letters["status"] != "ok"]
    if not problems.empty:
        st.subheader(f"Files with problems ({len(problems):,})")
        for row in problems.head(MAX_PROBLEM_LINES).itertuples():
            st.text(f"{row.file} — {row.status}: {tables.blank(row.error) or tables.blank(row.warnings)}")  # no Markdown
        if len(problems) > MAX_PROBLEM_LINES:
            st.caption(f"… and {len(problems) - MAX_PROBLEM_LINES:,} more in the table above.")


# --- page --------------------------------------------------------------------------------------------

def origin_counts(letters: pd.DataFrame) -> tuple[dict[str, int], int]:
    """(readable letters per origin, files that could not be read) of a letters frame."""
    readable = letters["status"] != "error"  # files that could not be read are not letters: counted apart
    return {str(k): int(v) for k, v in letters.loc[readable, "origin"].value_counts().items()}, int((~readable).sum())


def corpus_banner(origins: dict[str, int], unread_files: int, corpus_name: str = "") -> list[str]:
    """Name every source of the letters in view (demo letters are always called synthetic); the names
    go into exports too."""
    mine, demo, opened = origins.get(UPLOADED, 0), origins.get(DEMO, 0), origins.get(CORPUS, 0)
    unread = f" (and {tables.count(unread_files, 'file')} that could not be read)" if unread_files else ""
    named = ([f"**{tables.count(mine, 'of your uploaded letters', 'of your uploaded letters')}**"] if mine else []) + \
        ([f"**{tables.count(opened, 'letter')}** of the corpus \"{letterview.escape_markdown(corpus_name)}\""] if opened else []) + \
        ([f"**{tables.count(demo, 'synthetic demo letter')}** (generated, not real decisions)"] if demo else [])
    if st.session_state.get("missing_uploads"):
        st.warning("This link is about uploaded letters, which stay in the browser session that uploaded them. "
                   "Upload the same letters to see it.")
    if not named:
        st.info("No letters in view.")
    elif demo:
        hint = "" if mine else " Upload letters in the sidebar to analyse your own."
        st.info(f"In view: {' and '.join(named)}{unread}.{hint}")
    else:
        st.success(f"In view: {named[0]} only{unread}.")
    return [part.replace("**", "") for part in named]


def search_summary(counts: Callable[[], tuple[int, int]], filters: Filters) -> None:
    """`counts`: (decisions, letters) matching, asked only when there is a search."""
    search = parse_search(filters.text)
    if not search.is_empty:
        counts = counts()
        st.caption(f"Search ({letterview.escape_markdown(search.describe())}): "
                   f"{tables.count(counts[0], 'decision')} in {tables.count(counts[1], 'letter')} match.")


def empty_result_message(decisions: int, what_emptied: Callable[[], list[tuple[str, int]]], filters: Filters) -> None:
    if decisions or filters.is_empty():
        return
    culprits = what_emptied()
    if culprits:
        named = "; ".join(f"without **{facets.LABELS[name]}** there would be {tables.count(n, 'decision')}"
                          for name, n in culprits[:3])
        st.warning(f"No decisions match the filters: {named}.")
    else:
        st.warning("No decisions match the filters, and no single filter is to blame: remove several, or Reset.")


def main() -> None:
    st.html(STYLE)
    st.sidebar.header("IMR decision explorer")
    uploads = uploaded_letters()
    location = corpus_location()
    if location:
        corpus_page(location, uploads)
    else:
        demo_page(uploads)


def demo_page(uploads: list[Letter]) -> None:
    """The demo letters and this session's uploads, in pandas."""
    demo = demo_letters()
    all_letters = demo + uploads  # demo first: an open demo letter keeps its row number when files arrive
    origins = [DEMO] * len(demo) + [UPLOADED] * len(uploads)
    key = tuple((letter.file, letter.sha256, origin) for letter, origin in zip(all_letters, origins))
    frames = frames_for(key, all_letters)
    options = corpus.filter_options(frames.decisions) | {"corpus": sorted(set(origins))}
    if st.session_state.get("url_seen") != url_params():
        adopt_url(lambda params: query.letter_from_params(params, frames.letters), options)
    default_to_own_letters(bool(uploads))
    filters = filters_from_state()
    filter_widgets(facet_counts(key, frames.decisions, filters), set(frames.letters["origin"]), filters)
    filters = filters_from_state()  # values no longer offered were dropped
    decisions = corpus.apply_filters(frames.decisions, filters)
    letters = corpus.filter_letters(frames.letters, decisions, filters)
    answers = FrameAnswers(decisions, letters)

    st.title("California IMR decisions: what gets overturned?")
    in_corpus = corpus.filter_letters(frames.letters, frames.decisions, Filters(corpus=filters.corpus))
    sources = corpus_banner(*origin_counts(in_corpus))
    about = Export(filters, sources)
    # Only the chosen view runs, so a filter change costs what that view shows (st.tabs would run all).
    view = st.segmented_control("View", query.VIEWS, key="view", required=True, label_visibility="collapsed")
    chip_row(filters)
    search_summary(answers.counts, filters)
    empty_result_message(len(decisions), lambda: facets.what_emptied(frames.decisions, filters), filters)
    if view == "Decisions":
        decisions_view(decisions, letters, about)
    elif view == "Letter":
        by_id = frames.letters.set_index("letter_id")
        letter_view(list(letters["letter_id"]), lambda ids: {i: tables.letter_label(by_id.loc[i]) for i in ids},
                    lambda i: all_letters[i] if 0 <= i < len(all_letters) else None, parse_search(filters.text))
    elif view == "Citations":
        citations_view(corpus.filter_citations(frames.citations, decisions), about)
    elif view == "Charts":
        charts_view(answers, filters, about)
    elif view == "Reasons":
        reasons_view(answers, filters, about)
    elif view == "Files":
        files_view(in_corpus, about)
    else:
        overview_view(answers, filters, about)
    write_url(wanted_params(lambda i, item, mark: query.letter_params(frames.letters, i, item, mark), filters, view))


# --- a Parquet corpus (DuckDB) -------------------------------------------------------------------------

MAX_LETTER_CHOICES = 500  # letters offered in the Letter view's picker (a link opens any letter)


def corpus_session(location: str, uploads: list[Letter]) -> corpus_sql.CorpusSession:
    """This browser session's view of the corpus with its uploads, made again when the uploads change."""
    key = (location, tuple((letter.file, letter.sha256) for letter in uploads))
    held = st.session_state.get("corpus_session")
    if held is None or held[0] != key:
        held = (key, corpus_database(location).session([letter.to_dict() for letter in uploads]))
        st.session_state["corpus_session"] = held
        st.session_state["corpus_facets"] = {}
    return held[1]


def corpus_facets(session: corpus_sql.CorpusSession, filters: Filters) -> dict[str, facets.Facet]:
    """Facet counts per set of filters, kept for the session (a view switch does not count again)."""
    known: dict[Filters, dict[str, facets.Facet]] = st.session_state["corpus_facets"]
    if filters not in known:
        if len(known) >= 64:
            known.pop(next(iter(known)))
        known[filters] = session.facets(filters)
    return known[filters]


@st.cache_resource(show_spinner="Reading the letter…", max_entries=16)
def reparsed(file: str, sha256: str, modified: float) -> Letter | None:
    """A corpus letter parsed again from its file (as it was at `modified`), for its text and the spans
    of its fields; None when the file is no longer the one that was ingested."""
    letter = parse_file(file)
    return letter if letter.sha256 == sha256 else None


def corpus_letter(session: corpus_sql.CorpusSession, uploads: list[Letter], letter_id: int) -> Letter | None:
    """A letter by id: an upload, a corpus letter re-parsed from its file when readable here, else its
    stored fields (no text)."""
    if letter_id >= session.first_upload_id:
        index = letter_id - session.first_upload_id
        return uploads[index] if index < len(uploads) else None
    row, _ = session.letter(letter_id)
    if row.empty:
        return None
    file, key = str(row["file"].iloc[0]), str(row["sha256"].iloc[0])
    readable = os.path.isfile(file) and os.access(file, os.R_OK)
    return (reparsed(file, key, os.path.getmtime(file)) if readable else None) or session.stored_letter(key)


def corpus_decisions_view(session: corpus_sql.CorpusSession, filters: Filters, total: int, about: Export) -> None:
    pages = max(1, -(-total // corpus_sql.PAGE_ROWS))
    page = st.number_input(f"Page (of {pages:,}, {corpus_sql.PAGE_ROWS:,} rows each)", 1, pages, 1, key="grid_page") \
        if pages > 1 else 1
    decisions = session.decisions_page(filters, (int(page) - 1) * corpus_sql.PAGE_ROWS)
    st.caption(f"{tables.count(total, 'decision')} match the filters; rows {len(decisions) and (int(page) - 1) * corpus_sql.PAGE_ROWS + 1:,}"
               f"–{(int(page) - 1) * corpus_sql.PAGE_ROWS + len(decisions):,} shown. Click a row to open its letter at that item.")
    table = decisions_grid(decisions)
    download_buttons("decisions-page", table, decisions, "decisions", about)


def corpus_files_view(session: corpus_sql.CorpusSession, filters: Filters, about: Export) -> None:
    in_corpus = Filters(corpus=filters.corpus)
    counts = session.letter_status_counts(in_corpus)
    st.caption(" · ".join(f"{counts.get(status, 0):,} {status}" for status in ("ok", "partial", "error"))
               + f" — every file of the chosen letters, whatever the other filters; the first {corpus_sql.PAGE_ROWS:,} listed.")
    letters = session.letters_page(in_corpus)
    table = tables.letters_table(letters)
    st.dataframe(tables.for_display(table), hide_index=True, width="stretch", height=520)
    download_buttons("files-page", table, letters, "files", about)


def corpus_citations_view(session: corpus_sql.CorpusSession, filters: Filters) -> None:
    st.subheader("What each side relied on")
    st.caption("Citations of the matching decisions of the corpus, by source and side (uploaded letters are not "
               "counted here); citations the catalogue could not place are 'unmatched'.")
    st.dataframe(tables.citation_groups_table(session.citation_groups(filters)), hide_index=True, width="stretch")


def corpus_link(session: corpus_sql.CorpusSession, letter_id: int, item: int | None, mark: str | None) -> dict[str, list[str]]:
    row, _ = session.letter(letter_id)
    if row.empty:
        return {}
    case = tables.blank(row["case_number"].iloc[0]) or None
    return query.link_params(case, str(row["file"].iloc[0]), bool(case) and session.is_unique_case(case), item, mark)


def corpus_link_target(session: corpus_sql.CorpusSession, params: dict[str, list[str]]) -> tuple[int | None, int | None]:
    letter_id = session.find_letter(*query.linked_letter(params))
    if letter_id is None:
        return None, None
    row, _ = session.letter(letter_id)
    return letter_id, query.linked_item(params, int(row["decisions"].iloc[0]))


def corpus_page(location: str, uploads: list[Letter]) -> None:
    """A Parquet corpus (and this session's uploads), in DuckDB: only what a view shows reaches pandas."""
    session = corpus_session(location, uploads)
    if st.session_state.get("url_seen") != url_params():
        adopt_url(lambda params: corpus_link_target(session, params), session.options)
    default_to_own_letters(bool(uploads))
    filters = filters_from_state()
    filter_widgets(corpus_facets(session, filters), session.letter_origins(), filters, whole_letters=False)
    filters = filters_from_state()
    answers = corpus_sql.CorpusAnswers(session, filters)
    total = session.count(filters, letters=False)[0]

    st.title("California IMR decisions: what gets overturned?")
    if not session.database.letter_count:
        st.warning(f"The corpus opened ({letterview.escape_markdown(location)}) holds no letters: is it the folder "
                   "`imr ingest --corpus` wrote?")
    sources = corpus_banner(*session.origin_counts(filters.corpus), corpus_name=Path(location).name)
    about = Export(filters, sources)
    view = st.segmented_control("View", query.VIEWS, key="view", required=True, label_visibility="collapsed")
    chip_row(filters)
    search_summary(answers.counts, filters)
    empty_result_message(total, lambda: session.what_emptied(filters), filters)
    if view == "Decisions":
        corpus_decisions_view(session, filters, total, about)
    elif view == "Letter":
        page = session.letters_page(filters, limit=MAX_LETTER_CHOICES)
        letter_view(list(page["letter_id"]),
                    lambda ids: {int(row["letter_id"]): tables.letter_label(row) for row in session.letter_rows(ids)},
                    lambda i: corpus_letter(session, uploads, i), parse_search(filters.text),
                    no_text="The letter's text is not in the corpus, and its file is not readable here: its fields are shown.")
    elif view == "Citations":
        corpus_citations_view(session, filters)
    elif view == "Charts":
        charts_view(answers, filters, about)
        st.caption("The histogram of days from UR denial to decision is drawn for uploaded and demo letters only.")
    elif view == "Reasons":
        reasons_view(answers, filters, about)
    elif view == "Files":
        corpus_files_view(session, filters, about)
    else:
        overview_view(answers, filters, about)
    write_url(wanted_params(lambda i, item, mark: corpus_link(session, i, item, mark), filters, view))


main()
