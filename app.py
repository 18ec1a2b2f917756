"""Streamlit app: explore parsed IMR Final Determination Letters. UI only; all computing is in imr/.

Letter text is untrusted: it is shown only as escaped Markdown (imr.letterview) or in dataframes,
never with unsafe_allow_html.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import fields

import pandas as pd
import streamlit as st

from imr import charts, corpus, export, letterview, query, statewide
from imr.corpus import Filters, Frames
from imr.demo import DEMO_LABEL, load_demo
from imr.models import Letter
from imr.uploads import Upload, UploadSession

FILTER_LABELS = {
    "outcome": "Outcome", "category": "Service category", "source": "Guideline source",
    "section": "Guideline section", "subcategory": "Subcategory", "drug": "Drug",
    "specialty": "Reviewer specialty group", "state": "Reviewer licensure state", "year": "Decision year",
    "body_part": "Injured body part", "body_region": "Region treated", "age_band": "Age band", "sex": "Sex",
}
MAX_PROBLEM_LINES = 50
UPLOAD_WORKERS = min(2, os.cpu_count() or 1)
JOIN, REPLACE = "Join the demo letters", "Replace the demo letters"
DECISION_COLUMNS = [
    "file", "case_number", "decision_date", "treatment", "quantity", "outcome", "ur_action", "original_request",
    "authorized_portion", "category", "subcategory", "body_region", "drug", "strength", "sections",
    "reviewer_specialty_groups", "reviewer_licensure", "age_band", "patient_sex", "body_parts",
    "days_ur_to_decision", "rationale",
]
FILE_COLUMNS = [
    "file", "status", "error", "warnings", "layout", "case_number", "decision_date", "decisions",
    "duplicate_file", "duplicate_case", "pages", "sha256",
]
CITATION_COLUMNS = ["file", "treatment", "outcome", "role", "source", "cited", "chapter", "year", "pages", "score", "text"]

st.set_page_config(page_title="IMR decision explorer", page_icon="⚖️", layout="wide")


@st.cache_resource(show_spinner="Parsing the synthetic demo letters…")
def demo_letters() -> list[Letter]:
    return load_demo()


@st.cache_data(show_spinner=False, max_entries=8)
def frames_for(key: tuple[tuple[str, str | None], ...], _letters: list[Letter]) -> Frames:
    return corpus.build_frames([letter.to_dict() for letter in _letters])


@st.cache_data(show_spinner=False)
def statewide_figures() -> pd.DataFrame:
    return statewide.load_statewide()


def uploaded_letters() -> list[Letter]:
    files = st.session_state.get("uploads") or []
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


def corpus_letters() -> tuple[list[Letter], str]:
    st.sidebar.file_uploader("Add letters (PDF, TXT or ZIP of them)", type=["pdf", "txt", "zip"],
                             accept_multiple_files=True, key="uploads")
    mode = st.sidebar.radio("Your letters", [JOIN, REPLACE], key="mode", horizontal=True)
    uploads = uploaded_letters()
    if not uploads:
        return demo_letters(), DEMO_LABEL
    if mode == REPLACE:
        return uploads, "your uploaded letters"
    return uploads + demo_letters(), f"your uploaded letters + {DEMO_LABEL}"


def url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def read_url_once(options: dict[str, list[str]]) -> None:
    """On a session's first run, seed the filter widgets and the view selector from the URL."""
    if "url_read" in st.session_state:
        return
    params = url_params()
    from_url = query.filters_from_params(params, options)
    for field in fields(Filters):
        st.session_state[f"f_{field.name}"] = getattr(from_url, field.name) if field.name == "text" \
            else list(getattr(from_url, field.name))
    st.session_state["view"] = query.view_from_params(params)
    st.session_state["url_read"] = True


def filter_widgets(options: dict[str, list[str]]) -> Filters:
    """Sidebar filters; values no longer offered are dropped."""
    st.sidebar.header("Filters")
    chosen: dict[str, object] = {}
    for name, label in FILTER_LABELS.items():
        key = f"f_{name}"
        st.session_state[key] = [value for value in st.session_state.get(key, []) if value in options[name]]
        chosen[name] = tuple(st.sidebar.multiselect(label, options[name], key=key))
    chosen["text"] = st.sidebar.text_input("Search treatment and rationale", key="f_text").strip()
    return Filters(**chosen)  # type: ignore[arg-type]


def write_url(filters: Filters, view: str) -> None:
    wanted = query.params_from_state(filters, view)
    if wanted != url_params():
        st.query_params.from_dict(wanted)


def download_buttons(stem: str, frame: pd.DataFrame, key: str) -> None:
    """CSV / Excel / JSON of one frame; bytes are made only when a button is clicked."""
    formats: list[tuple[str, str, Callable[[], bytes], str]] = [
        ("CSV", "csv", lambda: export.to_csv(frame), "text/csv"),
        ("Excel", "xlsx", lambda: export.to_excel({stem[:31]: frame}),
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("JSON", "json", lambda: export.to_json(frame), "application/json"),
    ]
    for column, (label, suffix, make, mime) in zip(st.columns(len(formats)), formats):
        column.download_button(f"{stem} ({label})", make, file_name=f"{stem}.{suffix}", mime=mime,
                               key=f"dl_{key}_{suffix}", on_click="ignore")


def show_chart(fig, key: str) -> None:
    st.plotly_chart(fig, key=f"chart_{key}", config={"displaylogo": False,
                                                     "toImageButtonOptions": {"filename": key, "scale": 2}})
    left, right = st.columns(2)
    left.download_button("Chart as HTML", lambda: export.figure_html(fig), file_name=f"{key}.html",
                         mime="text/html", key=f"html_{key}", on_click="ignore")
    if export.png_available():
        right.download_button("Chart as PNG", lambda: export.figure_png(fig) or b"", file_name=f"{key}.png",
                              mime="image/png", key=f"png_{key}", on_click="ignore")
    else:
        right.caption("PNG: use the camera button in the chart's toolbar.")


def overview_view(decisions: pd.DataFrame, letters: pd.DataFrame, label: str) -> None:
    summary = corpus.summarize(letters, decisions)
    low, high = summary.rate.interval
    st.caption(f"Corpus: **{label}**. Figures below follow the sidebar filters.")
    cols = st.columns(4)
    cols[0].metric("Letters", f"{summary.letters:,}",
                   help=", ".join(f"{count} {status}" for status, count in summary.letters_by_status.items()))
    cols[1].metric("Decisions", f"{summary.decisions:,}")
    if summary.rate.decided:
        cols[2].metric("Overturn rate", f"{summary.rate.rate:.1%}",
                       help=f"{summary.rate.overturned} of {summary.rate.decided} decided items; "
                            f"95% Wilson interval {low:.1%}–{high:.1%}")
        cols[2].caption(f"95% CI {low:.1%}–{high:.1%} · {summary.rate.overturned} of {summary.rate.decided}")
    else:
        cols[2].metric("Overturn rate", "–")
    if summary.first_decision is not None:
        cols[3].metric("Decision years", f"{summary.first_decision:%Y}–{summary.last_decision:%Y}")
        cols[3].caption(f"{summary.first_decision:%Y-%m-%d} to {summary.last_decision:%Y-%m-%d}")
    else:
        cols[3].metric("Decision dates", "–")

    left, right = st.columns(2)
    left.subheader("Top service categories")
    top = corpus.rate_table(decisions, "category", top=5)
    left.dataframe(
        pd.DataFrame({
            "category": top["group"],
            "decisions": top["decisions"],
            "overturned": [f"{k} of {n}" for k, n in zip(top["overturned"], top["decided"])],
            "rate": top["rate"],
            "95% CI": [f"{lo:.0%}–{hi:.0%}" for lo, hi in zip(top["ci_low"], top["ci_high"])],
        }),
        hide_index=True, width="stretch",
        column_config={"rate": st.column_config.NumberColumn("overturn rate", format="percent")},
    )
    with right:
        st.subheader("Against the statewide reference")
        figures = statewide_figures()
        rates = statewide.statewide_metric(figures, "overturn_rate")
        show_chart(charts.statewide_chart(corpus.compare_with_statewide(decisions, rates, "this corpus (filtered)")),
                   "statewide_comparison")
    with st.expander(f"All {statewide.REFERENCE_LABEL} figures, with sources"):
        st.dataframe(figures, hide_index=True, width="stretch")


def decisions_view(decisions: pd.DataFrame, letters: pd.DataFrame) -> None:
    st.caption(f"{len(decisions):,} decisions match the filters (search box in the sidebar searches "
               "treatment and rationale).")
    st.dataframe(decisions[DECISION_COLUMNS], hide_index=True, width="stretch", height=480)
    download_buttons("imr-decisions", decisions, "decisions")
    download_buttons("imr-letters", letters.drop(columns=["letter_id"]), "letters")


def letter_view(letters: pd.DataFrame, all_letters: list[Letter]) -> None:
    if letters.empty:
        st.info("No letters match the filters.")
        return
    names = {int(row.letter_id): f"{row.file} · {row.case_number or 'no case number'} · {row.status}"
             for row in letters.itertuples()}
    letter_id = st.selectbox("Letter", list(names), format_func=names.get, key="letter_pick",
                             persist_state="session")
    letter = all_letters[letter_id]
    rows = letterview.field_rows(letter)
    with_evidence = [row.field for row in rows if row.span]
    left, right = st.columns(2)
    with left:
        if letter.error:
            st.error(letterview.escape_markdown(f"{letter.status}: {letter.error}"))
        st.dataframe(pd.DataFrame({"field": [r.field for r in rows], "value": [r.value for r in rows],
                                   "found in text": [bool(r.span) for r in rows]}),
                     hide_index=True, width="stretch", height=560)
    with right:
        field = st.selectbox("Highlight the passage for", with_evidence, key="letter_field",
                             disabled=not with_evidence, persist_state="session",
                             placeholder="no evidence spans for this letter")
        span = letter.evidence.get(field) if field else None
        if span:
            passage, passage_span = letterview.excerpt(letter.text, span)
            with st.container(border=True):
                st.markdown(letterview.highlighted_markdown(passage, passage_span))
        st.caption("Whole letter")
        with st.container(height=560, border=True):
            if letter.text:
                st.markdown(letterview.highlighted_markdown(letter.text, span))
            else:
                st.caption("No text was extracted from this file.")


def citations_view(citations: pd.DataFrame) -> None:
    threshold = st.slider("Match threshold (score 0–100)", 0, 100, 80, key="min_score", persist_state="session")
    matched, unmatched = corpus.split_citations(citations, threshold)
    st.subheader("What each side relied on")
    st.caption("Guideline lines by source, with references outside MTUS and ODG (OTHER), citations the "
               "catalogue could not place (unmatched) and lines saying no evidence was cited, as their own groups.")
    st.dataframe(corpus.citation_groups(citations), hide_index=True, width="stretch")
    st.subheader(f"Matched citations ({len(matched):,})")
    st.dataframe(matched[CITATION_COLUMNS], hide_index=True, width="stretch",
                 column_config={"score": st.column_config.ProgressColumn("score", min_value=0, max_value=100, format="%.0f")})
    st.subheader("Claims administrator vs reviewer, where they cite different sections")
    st.dataframe(corpus.citation_disagreements(matched), hide_index=True, width="stretch")
    st.subheader(f"Unmatched citations ({len(unmatched):,})")
    st.dataframe(unmatched[CITATION_COLUMNS], hide_index=True, width="stretch")
    download_buttons("imr-citations", citations, "citations")


def charts_view(decisions: pd.DataFrame, letters: pd.DataFrame) -> None:
    st.caption("Overturn rates: share of decided items overturned; whiskers are 95% Wilson intervals, "
               "counts are in the labels. A decision counts under every value of a list field "
               "(each section cited, each specialty of its reviewer).")
    for spec in charts.CHART_SPECS:
        counts, rates = charts.grouping_charts(decisions, spec)
        left, right = st.columns(2)
        with left:
            show_chart(counts, f"outcomes_by_{spec.key}")
        with right:
            show_chart(rates, f"overturn_rate_by_{spec.key}")
    show_chart(charts.days_chart(letters), "days_ur_denial_to_decision")


def files_view(letters: pd.DataFrame) -> None:
    counts = letters["status"].value_counts()
    st.caption(" · ".join(f"{counts.get(status, 0)} {status}" for status in ("ok", "partial", "error"))
               + " — every file is listed, whatever the filters.")
    duplicates = letters[letters["duplicate_file"] | letters["duplicate_case"]]
    if not duplicates.empty:
        st.warning(f"{int(letters['duplicate_file'].sum())} files repeat another file's content and "
                   f"{int(letters['duplicate_case'].sum())} share a case number with another file.")
    st.dataframe(letters[FILE_COLUMNS], hide_index=True, width="stretch", height=520)
    problems = letters[letters["status"] != "ok"]
    if not problems.empty:
        st.subheader(f"Files with problems ({len(problems)})")
        for row in problems.head(MAX_PROBLEM_LINES).itertuples():
            st.text(f"{row.file} — {row.status}: {row.error or row.warnings}")  # st.text: no Markdown
        if len(problems) > MAX_PROBLEM_LINES:
            st.caption(f"… and {len(problems) - MAX_PROBLEM_LINES} more in the table above.")


def main() -> None:
    st.sidebar.title("IMR decision explorer")
    letters_list, label = corpus_letters()
    st.sidebar.caption(f"Showing **{label}** ({len(letters_list):,} files).")
    frames = frames_for(tuple((letter.file, letter.sha256) for letter in letters_list), letters_list)
    options = corpus.filter_options(frames.decisions)
    read_url_once(options)
    filters = filter_widgets(options)
    decisions = corpus.apply_filters(frames.decisions, filters)
    letters = corpus.filter_letters(frames.letters, decisions, filters)

    st.title("California IMR decisions: what gets overturned?")
    if label == DEMO_LABEL:
        st.info("You are looking at **synthetic demo data** — generated letters, not real decisions. "
                "Upload letters in the sidebar to analyse your own.")
    # Only the chosen view runs, so a filter change costs what that view shows (st.tabs would run all).
    view = st.segmented_control("View", query.VIEWS, key="view", required=True, label_visibility="collapsed")
    write_url(filters, view)
    if view == "Decisions":
        decisions_view(decisions, letters)
    elif view == "Letter":
        letter_view(letters, letters_list)
    elif view == "Citations":
        citations_view(corpus.filter_citations(frames.citations, decisions))
    elif view == "Charts":
        charts_view(decisions, letters)
    elif view == "Files":
        files_view(frames.letters)
    else:
        overview_view(decisions, letters, label)


main()
