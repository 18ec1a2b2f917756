"""Streamlit app: explore parsed IMR Final Determination Letters. UI only; all computing is in imr/.

Letter text is untrusted: it is shown only as escaped HTML (imr.letterview), escaped Markdown or in
dataframes; the only script the app runs is its own constant scroll helper.

The URL holds the state (view, open letter and item, filters, corpus). Every change the user makes is
written to it as a new browser history entry (Streamlit pushes query-parameter changes); when the URL
changes from outside — the first load, Back, Forward — the app adopts it.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, fields

import pandas as pd
import streamlit as st

from imr import charts, corpus, export, facets, letterview, query, statewide, tables
from imr.corpus import DEMO, UPLOADED, Filters, Frames
from imr.demo import load_demo
from imr.models import Letter
from imr.search import Search, parse_search
from imr.uploads import Upload, UploadSession

MAX_PROBLEM_LINES = 50
UPLOAD_WORKERS = min(2, os.cpu_count() or 1)
CHART_BY_KEY = "by"  # URL key of the Charts view's grouping
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


def adopt_url(frames: Frames, options: dict[str, list[str]]) -> None:
    """The URL changed outside the app (first load, Back, Forward): it wins over the widgets."""
    params = url_params()
    put_filters(query.filters_from_params(params, options))
    st.session_state["view"] = query.view_from_params(params)
    letter_id, item = query.letter_from_params(params, frames.letters)
    if letter_id is not None:
        open_letter(letter_id, item)
        mark = query.mark_from_params(params)
        if mark:  # checked against the letter's located fields when the pane is drawn
            st.session_state["focus"] = letterview.focus_key(mark, item)
    by = params.get(CHART_BY_KEY, [""])[0]
    st.session_state["chart_by"] = by if by in SPEC_BY_KEY else charts.CHART_SPECS[0].key
    # A link about uploaded letters opened where there are none: say so instead of showing nothing.
    st.session_state["missing_uploads"] = UPLOADED in params.get("corpus", []) and UPLOADED not in options["corpus"]


def wanted_params(frames: Frames, filters: Filters, view: str) -> dict[str, list[str]]:
    letter = None
    if view == "Letter" and st.session_state.get("letter_pick") is not None:
        focus = st.session_state.get("focus")
        letter = query.letter_params(frames.letters, st.session_state["letter_pick"], st.session_state.get("item_pick"),
                                     letterview.mark_name(focus) if focus else None)
    params = query.params_from_state(filters, view, letter)
    if view == "Charts" and st.session_state.get("chart_by") != charts.CHART_SPECS[0].key:
        params[CHART_BY_KEY] = [st.session_state["chart_by"]]
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


def filter_widgets(found: dict[str, facets.Facet], letters: pd.DataFrame, filters: Filters) -> None:
    """Search, then facets with counts under the other filters; chosen values stay listed even at zero."""
    sidebar = st.sidebar
    sidebar.header("Filters")
    sidebar.text_input("Search", key="f_text", placeholder='words, "a phrase", CM16-0221706',
                       help='Every word must be found (at the start of a word, any letter case); "quoted words" '
                            "are found together; a case number finds its letter. Each item searches its treatment, "
                            "rationale and its letter's diagnoses; or search whole letters.")
    sidebar.radio(facets.LABELS["search_in"], corpus.SEARCH_IN, key="f_search_in", horizontal=True,
                  format_func=lambda v: facets.value_label("search_in", v))
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
        if name == "corpus":  # every origin with a file, even one whose letters all failed
            options = [origin for origin in (UPLOADED, DEMO) if origin in set(letters["origin"]) | set(filters.corpus)]
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


def overview_view(decisions: pd.DataFrame, letters: pd.DataFrame, filters: Filters, about: Export) -> None:
    summary = corpus.summarize(letters, decisions)
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
    top = corpus.rate_table(decisions, "category", top=5)
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
        show_chart(charts.statewide_chart(corpus.compare_with_statewide(decisions, rates, "this corpus (filtered)")),
                   "statewide_comparison", about)
    with st.expander(f"All {statewide.REFERENCE_LABEL} figures, with sources"):
        st.dataframe(figures.rename(columns=export.human_name), hide_index=True, width="stretch")


def decisions_view(decisions: pd.DataFrame, letters: pd.DataFrame, about: Export) -> None:
    st.caption(f"{tables.count(len(decisions), 'decision')} match the filters. Click a row to open its letter "
               "at that item.")
    table = tables.decisions_table(decisions)
    st.session_state["grid_rows"] = list(zip(decisions["letter_id"], decisions["decision_index"]))
    st.dataframe(tables.for_display(table), hide_index=True, width="stretch", height=min(480, 35 * (len(table) + 1) + 3),
                 key=f"grid_{st.session_state.get('grid_nonce', 0)}", on_select=open_selected_row,
                 selection_mode="single-row",
                 column_config={"Decision date": st.column_config.DateColumn(format="YYYY-MM-DD"),
                                "Item": st.column_config.NumberColumn(width="small")})
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


def letter_view(letters: pd.DataFrame, frames: Frames, all_letters: list[Letter], search: Search) -> None:
    choices = list(letters["letter_id"])
    current = st.session_state.get("letter_pick")
    if current is not None and current not in choices and current < len(all_letters):
        choices.append(current)  # a link names a letter the filters leave out: open it anyway
    if not choices:
        st.info("No letters match the filters.")
        return
    by_id = frames.letters.set_index("letter_id")
    names = {i: tables.letter_label(by_id.loc[i]) for i in choices}

    def new_letter() -> None:
        letter = all_letters[st.session_state["letter_pick"]]
        st.session_state["item_pick"] = 1 if letter.decisions else None
        st.session_state["focus"] = "decisions[0].outcome" if letter.decisions else None

    if st.session_state.get("letter_pick") not in choices:
        st.session_state["letter_pick"] = choices[0]
        new_letter()
    with st.container(key="stack_letter_pickers"):
        left, right = st.columns([3, 2])
    left.selectbox("Letter", choices, format_func=names.get, key="letter_pick", on_change=new_letter)
    letter = all_letters[st.session_state["letter_pick"]]
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
        marks_pane(letter, rows, item, search)


def marks_pane(letter: Letter, rows: list[letterview.FieldRow], item: int | None, search: Search) -> None:
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
            st.caption("No text was extracted from this file.")
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
    st.dataframe(corpus.citation_groups(citations).rename(columns={
        "group": "Source", "claims_administrator": "Claims administrator", "reviewer": "Reviewer", "total": "Total"}),
        hide_index=True, width="stretch")
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



def charts_view(decisions: pd.DataFrame, letters: pd.DataFrame, filters: Filters, about: Export) -> None:
    outcome_filter_note(filters)
    st.caption("Overturn rate: share of decided items overturned; whiskers are 95% Wilson intervals, counts "
               "are in the labels. A decision counts under every value of a list field (each section cited, "
               "each specialty of its reviewer).")
    spec = SPEC_BY_KEY[st.selectbox("Group decisions by", list(SPEC_BY_KEY), key="chart_by",
                                    format_func=lambda key: SPEC_BY_KEY[key].title)]
    counts, rates = charts.grouping_charts(decisions, spec)
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
                    st.plotly_chart(charts.small_multiple(decisions, other), key=f"small_{other.key}",
                                    config={"displayModeBar": False})
    st.caption(f"Filters: {letterview.escape_markdown(about.text)}")
    show_chart(charts.days_chart(letters), "days_ur_denial_to_decision", about)


REASON_GROUPINGS = {"all": "all upheld items", "category": "service category", "subcategory": "subcategory"}


def reasons_view(decisions: pd.DataFrame, filters: Filters, about: Export) -> None:
    outcome_filter_note(filters)
    st.caption("Why items were upheld: each reason's share of the upheld items, with 95% Wilson intervals. "
               "An item giving several reasons counts under each. Reasons are read from the rationale's sentences; "
               "the Letter view marks them.")
    with st.container(key="stack_reason_pickers"):
        left, right = st.columns(2)
    by = left.radio("Among the upheld items of", list(REASON_GROUPINGS), key="reasons_by", horizontal=True,
                    format_func=REASON_GROUPINGS.get)
    table = corpus.reason_shares(decisions, None if by == "all" else by)
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
        limits = corpus.rate_table(decisions, "limit_status")
        show_chart(charts.rate_chart(limits, "Overturn rate by the request against the guideline limit"),
                   "overturn_rate_by_guideline_limit", about)
        stated = int(limits.loc[limits["group"].isin([corpus.OVER_LIMIT, corpus.WITHIN_LIMIT]), "decisions"].sum())
        st.caption(f"{tables.count(stated, 'item')} of {len(decisions):,} measure the request against a limit the "
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

def corpus_banner(letters: pd.DataFrame) -> list[str]:
    """Name every source of the letters in view (demo letters are always called synthetic); the names
    go into exports too."""
    readable = letters["status"] != "error"  # files that could not be read are not letters: counted apart
    origins = letters.loc[readable, "origin"].value_counts()
    mine, demo = int(origins.get(UPLOADED, 0)), int(origins.get(DEMO, 0))
    unread = f" (and {tables.count(int((~readable).sum()), 'file')} that could not be read)" if (~readable).any() else ""
    named = ([f"**{tables.count(mine, 'of your uploaded letters', 'of your uploaded letters')}**"] if mine else []) + \
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


def search_summary(decisions: pd.DataFrame, filters: Filters) -> None:
    search = parse_search(filters.text)
    if not search.is_empty:
        st.caption(f"Search ({letterview.escape_markdown(search.describe())}): "
                   f"{tables.count(len(decisions), 'decision')} in "
                   f"{tables.count(decisions['letter_id'].nunique(), 'letter')} match.")


def empty_result_message(decisions: pd.DataFrame, all_decisions: pd.DataFrame, filters: Filters) -> None:
    if not decisions.empty or filters.is_empty():
        return
    culprits = facets.what_emptied(all_decisions, filters)
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
    demo = demo_letters()
    all_letters = demo + uploads  # demo first: an open demo letter keeps its row number when files arrive
    origins = [DEMO] * len(demo) + [UPLOADED] * len(uploads)
    key = tuple((letter.file, letter.sha256, origin) for letter, origin in zip(all_letters, origins))
    frames = frames_for(key, all_letters)
    options = corpus.filter_options(frames.decisions) | {"corpus": sorted(set(origins))}
    if st.session_state.get("url_seen") != url_params():
        adopt_url(frames, options)
    default_to_own_letters(bool(uploads))
    filters = filters_from_state()
    filter_widgets(facet_counts(key, frames.decisions, filters), frames.letters, filters)
    filters = filters_from_state()  # values no longer offered were dropped
    decisions = corpus.apply_filters(frames.decisions, filters)
    letters = corpus.filter_letters(frames.letters, decisions, filters)

    st.title("California IMR decisions: what gets overturned?")
    in_corpus = corpus.filter_letters(frames.letters, frames.decisions, Filters(corpus=filters.corpus))
    sources = corpus_banner(in_corpus)
    about = Export(filters, sources)
    # Only the chosen view runs, so a filter change costs what that view shows (st.tabs would run all).
    view = st.segmented_control("View", query.VIEWS, key="view", required=True, label_visibility="collapsed")
    chip_row(filters)
    search_summary(decisions, filters)
    empty_result_message(decisions, frames.decisions, filters)
    if view == "Decisions":
        decisions_view(decisions, letters, about)
    elif view == "Letter":
        letter_view(letters, frames, all_letters, parse_search(filters.text))
    elif view == "Citations":
        citations_view(corpus.filter_citations(frames.citations, decisions), about)
    elif view == "Charts":
        charts_view(decisions, letters, filters, about)
    elif view == "Reasons":
        reasons_view(decisions, filters, about)
    elif view == "Files":
        files_view(in_corpus, about)
    else:
        overview_view(decisions, letters, filters, about)
    write_url(wanted_params(frames, filters, view))


main()
