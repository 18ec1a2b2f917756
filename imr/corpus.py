"""Records -> pandas frames (letters, decisions, citations), filters, overturn rates with intervals.

Everything here is a pure function of record dicts in the `Letter.to_dict()` shape, so the app,
the exports, the benchmarks and the tests share one implementation.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from imr.catalogue import cited_name
from imr.citation_text import says_nothing_cited
from imr.enrich import reviewer_specialty_groups
from imr.search import Search, parse_search

UNKNOWN = "unknown"
AGE_BANDS = ("under 30", "30-39", "40-49", "50-59", "60+", UNKNOWN)
# Columns holding lists (one letter may name several specialties, states, body parts, sections).
LIST_COLUMNS = ("reviewer_specialties", "reviewer_specialty_groups", "reviewer_licensure", "body_parts", "sources", "sections",
                "reviewer_sources", "sources_reviewer", "sources_claims_administrator", "sections_reviewer",
                "sections_claims_administrator", "reason_tags")
# Where a letter came from: the user's uploads, the synthetic demo set or an opened Parquet corpus
# (the "corpus" facet).
UPLOADED, DEMO, CORPUS = "uploaded", "demo", "corpus"
# Whose guideline citations the source and section filters look at.
EITHER_SIDE, REVIEWER, CLAIMS_ADMINISTRATOR = "either", "reviewer", "claims_administrator"
CITED_BY = (EITHER_SIDE, REVIEWER, CLAIMS_ADMINISTRATOR)
# Where the search looks: an item's treatment, rationale, its letter's diagnoses and case number; or
# the whole text of its letter (then every item of a matching letter matches).
SEARCH_ITEMS, SEARCH_LETTERS = "items", "letters"
SEARCH_IN = (SEARCH_ITEMS, SEARCH_LETTERS)
SEARCH_COLUMNS = ["treatment", "rationale", "diagnoses"]
QUALIFIERS = ("cited_by", "search_in")  # filter fields that only say how another filter reads
# A decision's quantity against the guideline's limit (issue 14): the groups of the limit chart.
OVER_LIMIT, WITHIN_LIMIT, NO_LIMIT = "over the limit", "within the limit", "no limit stated"
LIMIT_ORDER = (WITHIN_LIMIT, OVER_LIMIT, NO_LIMIT, UNKNOWN)
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Frames:
    letters: pd.DataFrame  # one row per file
    decisions: pd.DataFrame  # one row per disputed item
    citations: pd.DataFrame  # one row per guideline citation


@dataclass(frozen=True)
class Rate:
    overturned: int
    decided: int  # items with a known outcome (upheld + overturned)

    @property
    def rate(self) -> float:
        return self.overturned / self.decided if self.decided else math.nan

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.overturned, self.decided)


@dataclass(frozen=True)
class Filters:
    """Sidebar selections; an empty tuple means "no constraint". Field names are the URL keys."""

    corpus: tuple[str, ...] = ()  # letter origins (UPLOADED, DEMO)
    outcome: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    subcategory: tuple[str, ...] = ()
    drug: tuple[str, ...] = ()
    specialty: tuple[str, ...] = ()
    state: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    body_part: tuple[str, ...] = ()
    body_region: tuple[str, ...] = ()
    age_band: tuple[str, ...] = ()
    sex: tuple[str, ...] = ()
    reason: tuple[str, ...] = ()
    limit: tuple[str, ...] = ()
    text: str = ""  # search syntax of imr.search: words, "phrases", case numbers
    search_in: str = SEARCH_ITEMS  # each item's own fields, or the whole letter's text
    cited_by: str = EITHER_SIDE  # how `source` and `section` read: either side, the reviewer's, the claims administrator's

    def is_empty(self) -> bool:
        return not self.active_names()

    def active_names(self) -> list[str]:
        """The filters that constrain something (cited_by only qualifies source and section)."""
        return [f.name for f in fields(self) if f.name not in QUALIFIERS and getattr(self, f.name)]

    def narrows_decisions(self) -> bool:
        """A filter beyond the corpus choice: then only letters behind matching decisions are in view."""
        return any(name != "corpus" for name in self.active_names())


# Filter field -> decisions-frame column it constrains.
FILTER_COLUMNS: dict[str, str] = {
    "corpus": "origin",
    "outcome": "outcome",
    "category": "category",
    "source": "sources",
    "section": "sections",
    "subcategory": "subcategory",
    "drug": "drug",
    "specialty": "reviewer_specialty_groups",  # canonical groups: "Pain Management" is Pain Medicine
    "state": "reviewer_licensure",
    "year": "decision_year",
    "body_part": "body_parts",
    "body_region": "body_region",
    "age_band": "age_band",
    "sex": "patient_sex",
    "reason": "reason_tags",
    "limit": "limit_status",
}


@dataclass(frozen=True)
class Summary:
    letters: int
    letters_by_status: dict[str, int]
    decisions: int
    rate: Rate
    first_decision: pd.Timestamp | None
    last_decision: pd.Timestamp | None
    top_categories: list[tuple[str, int]]


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """95% Wilson score interval: well-behaved at small n and at rates near 0 or 1."""
    if trials <= 0:
        return (math.nan, math.nan)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def age_band(age: Any) -> str:
    if age is None or (isinstance(age, float) and math.isnan(age)):
        return UNKNOWN
    age = int(age)
    if age < 30:
        return "under 30"
    if age >= 60:
        return "60+"
    low = age // 10 * 10
    return f"{low}-{low + 9}"


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce", format="ISO8601")


def _matched(citations: Iterable[dict[str, Any]], key: str) -> list[str]:
    """Distinct matched sources or "SOURCE: section" labels of a decision's citations, in order."""
    labels: list[str] = []
    for citation in citations:
        if not citation.get("source"):
            continue
        label = citation["source"] if key == "source" else _section_label(citation)
        if label and label not in labels:
            labels.append(label)
    return labels


def _section_label(citation: dict[str, Any]) -> str | None:
    name = cited_name(citation.get("section"), citation.get("catalogue_id"))
    return f"{citation['source']}: {name}" if name else None


def letters_frame(records: Sequence[dict[str, Any]], origins: Sequence[str] | None = None,
                  texts: Sequence[str] | None = None) -> pd.DataFrame:
    rows = []
    for letter_id, record in enumerate(records):
        row = {key: value for key, value in record.items() if key != "decisions"}
        row["letter_id"] = letter_id
        row["origin"] = origins[letter_id] if origins is not None else UPLOADED
        row["decisions"] = len(record.get("decisions") or [])
        row["warnings"] = "; ".join(record.get("warnings") or [])
        rows.append(row)
    letters = pd.DataFrame(rows, columns=_LETTER_COLUMNS)
    # Object dtype holds references to the texts: a string column would copy every letter's text, and
    # copy it again for each of its decisions.
    letters["_letter_text"] = pd.Series(list(texts) if texts is not None else [""] * len(records), dtype=object)
    for column in ("reviewer_licensure", "reviewer_specialties", "reviewer_specialty_groups", "body_parts", "diagnoses"):
        letters[column] = letters[column].map(lambda value: list(value) if isinstance(value, list) else [])
    # Records written before the groups existed get them from their specialties.
    letters["reviewer_specialty_groups"] = [groups or reviewer_specialty_groups(written) for groups, written
                                            in zip(letters["reviewer_specialty_groups"], letters["reviewer_specialties"])]
    letters["patient_sex"] = letters["patient_sex"].fillna(UNKNOWN)
    letters["age_band"] = letters["patient_age"].map(age_band)
    decision_dates = _dates(letters["decision_date"])
    letters["decision_year"] = decision_dates.dt.year.map(lambda y: UNKNOWN if pd.isna(y) else str(int(y)))
    letters["decision_quarter"] = [
        UNKNOWN if pd.isna(d) else f"{d.year}-Q{d.quarter}" for d in decision_dates
    ]
    letters["days_ur_to_decision"] = (decision_dates - _dates(letters["ur_denial_date"])).dt.days
    return flag_duplicates(letters)


_LETTER_COLUMNS = [
    "letter_id", "origin", "file", "sha256", "pages", "status", "error", "warnings", "layout", "case_number",
    "date_of_injury", "ur_denial_date", "application_received", "date_assigned", "decision_date",
    "priority", "reviewer_licensure", "reviewer_specialties", "reviewer_specialty_groups", "patient_age", "patient_sex",
    "body_parts", "diagnoses", "overall_outcome", "decisions",
]
# Letter columns copied onto every decision so decisions can be filtered and grouped alone.
_LETTER_CONTEXT = [
    "letter_id", "origin", "file", "case_number", "diagnoses", "_letter_text", "decision_date", "decision_year", "decision_quarter",
    "reviewer_specialties", "reviewer_specialty_groups", "reviewer_licensure", "body_parts", "patient_age", "age_band",
    "patient_sex", "days_ur_to_decision",
]
_DECISION_COLUMNS = [
    "decision_index", "treatment", "quantity", "outcome", "ur_action", "original_request", "authorized_portion", "category",
    "subcategory", "body_region", "drug", "strength",
    "claims_administrator_guideline", "reviewer_guideline", "sources", "sections", "reviewer_sources",
    "sources_reviewer", "sources_claims_administrator", "sections_reviewer", "sections_claims_administrator",
    "reasons", "reason_tags", "guideline_limit", "prior_quantity", "over_limit", "limit_status", "rationale",
]
# What UR did to the item before IMR: denied it outright, or authorized part of it (a modified request).
UR_DENIED, UR_MODIFIED = "denied", "modified"
_DERIVED_DECISION_COLUMNS = ("ur_action", "sources", "sections", "reviewer_sources", "sources_reviewer",
                             "sources_claims_administrator", "sections_reviewer", "sections_claims_administrator",
                             "reasons", "reason_tags", "guideline_limit", "limit_status")
_CITATION_COLUMNS = [
    "letter_id", "decision_index", "file", "treatment", "outcome", "role", "group", "text", "source",
    "section", "cited", "chapter", "year", "pages", "score", "catalogue_id",
]
# Groups of a side's guideline line beside the catalogue sources: a statement that nothing was
# cited, and citations the catalogue could not place.
NO_EVIDENCE, UNMATCHED = "no evidence cited", "unmatched"
GUIDELINE_FIELDS = {"claims_administrator": "claims_administrator_guideline", "reviewer": "reviewer_guideline"}


def cited_groups(decision: dict[str, Any], role: str) -> list[str]:
    """What one side relied on, as groups: its citations' sources ("OTHER" included), "unmatched",
    or "no evidence cited" when its line says it cited nothing."""
    cited = [c for c in decision.get("citations") or [] if c.get("role") == role]
    if not cited:
        text = decision.get(GUIDELINE_FIELDS[role])
        return [NO_EVIDENCE] if text and says_nothing_cited(text) else []
    return list(dict.fromkeys(c.get("source") or UNMATCHED for c in cited))


def decisions_frame(records: Sequence[dict[str, Any]], letters: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for letter_id, record in enumerate(records):
        for index, decision in enumerate(record.get("decisions") or []):
            citations = decision.get("citations") or []
            rows.append({
                "letter_id": letter_id,
                "decision_index": index,
                **{key: decision.get(key) for key in _DECISION_COLUMNS[1:] if key not in _DERIVED_DECISION_COLUMNS},
                "ur_action": UR_MODIFIED if decision.get("original_request") or decision.get("authorized_portion") else UR_DENIED,
                "sources": _matched(citations, "source"),
                "reviewer_sources": cited_groups(decision, "reviewer"),
                "sections": _matched(citations, "section"),
                **{f"{key}s_{role}": _matched([c for c in citations if c.get("role") == role], key)
                   for key in ("source", "section") for role in GUIDELINE_FIELDS},
                "reasons": list(decision.get("reasons") or []),
                "reason_tags": list(dict.fromkeys(reason["tag"] for reason in decision.get("reasons") or [])),
                "guideline_limit": _limit_text(decision.get("guideline_limit")),
                "limit_status": _limit_status(decision),
            })
    decisions = pd.DataFrame(rows, columns=["letter_id", *_DECISION_COLUMNS])
    decisions["outcome"] = decisions["outcome"].fillna(UNKNOWN)
    decisions["category"] = decisions["category"].fillna("Other")
    context = letters[_LETTER_CONTEXT]
    merged = decisions.merge(context, on="letter_id", how="left")
    return merged[_LETTER_CONTEXT + _DECISION_COLUMNS].reset_index(drop=True)


def _limit_text(limit: dict[str, Any] | None) -> str | None:
    return f"{limit['value']:g} {limit['unit']}" if limit else None


def _limit_status(decision: dict[str, Any]) -> str:
    if decision.get("over_limit") is True:
        return OVER_LIMIT
    if decision.get("over_limit") is False:
        return WITHIN_LIMIT
    return NO_LIMIT if not decision.get("guideline_limit") else UNKNOWN


def citations_frame(records: Sequence[dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for letter_id, record in enumerate(records):
        for index, decision in enumerate(record.get("decisions") or []):
            context = {"letter_id": letter_id, "decision_index": index, "file": record.get("file"),
                       "treatment": decision.get("treatment"), "outcome": decision.get("outcome") or UNKNOWN}
            for citation in decision.get("citations") or []:
                rows.append({
                    **context,
                    **{key: citation.get(key) for key in ("role", "text", "source", "section", "chapter", "year", "pages", "score", "catalogue_id")},
                    "group": citation.get("source") or UNMATCHED,
                    "cited": cited_name(citation.get("section"), citation.get("catalogue_id")),
                })
            for role, field_name in GUIDELINE_FIELDS.items():
                if cited_groups(decision, role) == [NO_EVIDENCE]:
                    rows.append({**context, "role": role, "group": NO_EVIDENCE, "text": decision.get(field_name), "score": 0.0})
    citations = pd.DataFrame(rows, columns=_CITATION_COLUMNS)
    citations["score"] = pd.to_numeric(citations["score"]).astype(float)
    return citations


def build_frames(records: Sequence[dict[str, Any]], origins: Sequence[str] | None = None,
                 texts: Sequence[str] | None = None) -> Frames:
    """`origins`: where each record came from (UPLOADED, DEMO), all uploaded when not given; `texts`:
    each letter's text, for searching whole letters (held by reference, not copied per decision)."""
    letters = letters_frame(records, origins, texts)
    return Frames(letters, decisions_frame(records, letters), citations_frame(records))


def flag_duplicates(letters: pd.DataFrame) -> pd.DataFrame:
    """Mark files whose bytes repeat another file's and case numbers shared by several files."""
    flagged = letters.copy()
    has_hash = flagged["sha256"].notna()
    flagged["duplicate_file"] = has_hash & flagged["sha256"].duplicated(keep=False)
    has_case = flagged["case_number"].notna() & (flagged["case_number"] != "")
    flagged["duplicate_case"] = has_case & flagged["case_number"].duplicated(keep=False)
    return flagged


def _list_match(values: pd.Series, wanted: set[str]) -> pd.Series:
    return values.map(lambda items: bool(wanted.intersection(items or [UNKNOWN])))


def filter_column(name: str, filters: Filters) -> str:
    """The decisions column a filter reads: source and section follow `cited_by`."""
    if name in ("source", "section") and filters.cited_by in GUIDELINE_FIELDS:
        return f"{name}s_{filters.cited_by}"
    return FILTER_COLUMNS[name]


def active_filters(filters: Filters) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(filter name, the column it tests, the values wanted) of each filter that is set, for both
    engines (filter_masks here, corpus_sql.CorpusSession.clauses in SQL)."""
    for name in FILTER_COLUMNS:
        wanted = getattr(filters, name)
        if wanted:
            yield name, filter_column(name, filters), wanted


def filter_masks(decisions: pd.DataFrame, filters: Filters) -> dict[str, pd.Series]:
    """One boolean mask per active filter, so facets can count under all the other filters."""
    masks: dict[str, pd.Series] = {}
    for name, column, wanted in active_filters(filters):
        if column in LIST_COLUMNS:
            masks[name] = _list_match(decisions[column], set(wanted))
        else:
            masks[name] = decisions[column].astype(str).isin(wanted)
    search = parse_search(filters.text)
    if not search.is_empty:
        masks["text"] = search_mask(decisions, search, filters.search_in)
    return masks


def search_mask(decisions: pd.DataFrame, search: Search, where: str) -> pd.Series:
    if where != SEARCH_LETTERS:
        return search.matches_any_column(decisions, SEARCH_COLUMNS, case_column="case_number")
    letters = decisions.drop_duplicates("letter_id")  # each letter's text searched once
    found = letters.loc[search.matches_any_column(letters, ["_letter_text"], case_column="case_number"), "letter_id"]
    return decisions["letter_id"].isin(found)


def combined(decisions: pd.DataFrame, masks: Iterable[pd.Series]) -> pd.Series:
    keep = pd.Series(True, index=decisions.index)
    for mask in masks:
        keep &= mask
    return keep


def apply_filters(decisions: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    return decisions[combined(decisions, filter_masks(decisions, filters).values())]


def filter_letters(letters: pd.DataFrame, filtered_decisions: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Letters in view: every file of the chosen corpus (errors included), or, once a filter beyond the
    corpus applies, the letters behind the filtered decisions."""
    if filters.narrows_decisions():
        return letters[letters["letter_id"].isin(filtered_decisions["letter_id"])]
    return letters[letters["origin"].isin(filters.corpus)] if filters.corpus else letters


def filter_citations(citations: pd.DataFrame, filtered_decisions: pd.DataFrame) -> pd.DataFrame:
    keys = pd.MultiIndex.from_frame(filtered_decisions[["letter_id", "decision_index"]])
    mask = pd.MultiIndex.from_frame(citations[["letter_id", "decision_index"]]).isin(keys)
    return citations[mask]


def filter_options(decisions: pd.DataFrame) -> dict[str, list[str]]:
    """Every value each filter can take in this corpus, sorted (age bands in age order)."""
    options: dict[str, list[str]] = {}
    for name, column in FILTER_COLUMNS.items():
        if column in LIST_COLUMNS:
            values = {item for items in decisions[column] for item in (items or [UNKNOWN])}
        else:
            values = set(decisions[column].dropna().astype(str))
        options[name] = sorted(values, key=AGE_BANDS.index) if name == "age_band" else sorted(values)
    return options


def overturn_rate(decisions: pd.DataFrame) -> Rate:
    return Rate(int((decisions["outcome"] == "overturned").sum()),
                int(decisions["outcome"].isin(("upheld", "overturned")).sum()))


def rate_table(decisions: pd.DataFrame, by: str, top: int | None = None) -> pd.DataFrame:
    """Per group: decision counts by outcome and the overturn rate with its 95% Wilson interval.

    A decision counts once in every group of a list column (e.g. each specialty of its reviewer).
    Groups are ordered by size; `top` keeps the largest ones.
    """
    frame = _exploded(decisions, by)
    counts = (
        frame.assign(upheld=frame["outcome"].eq("upheld"), overturned=frame["outcome"].eq("overturned"))
        .groupby("group")
        .agg(upheld=("upheld", "sum"), overturned=("overturned", "sum"), decisions=("outcome", "size"))
        .reset_index()
    )
    return rate_columns(counts, by, top)


def rate_columns(counts: pd.DataFrame, by: str, top: int | None = None) -> pd.DataFrame:
    """(group, upheld, overturned, decisions) counts -> the rate table: decided, rate, interval, groups
    in order. Shared by the pandas path and the SQL one (imr/corpus_sql.py)."""
    table = counts.astype({"upheld": "int64", "overturned": "int64", "decisions": "int64"})
    table["decided"] = table["upheld"] + table["overturned"]
    rates = [Rate(int(k), int(n)) for k, n in zip(table["overturned"], table["decided"])]
    table["rate"] = [r.rate for r in rates]
    table["ci_low"] = [r.interval[0] for r in rates]
    table["ci_high"] = [r.interval[1] for r in rates]
    table = _order_groups(table, by)
    return table.head(top).reset_index(drop=True) if top else table.reset_index(drop=True)


def _exploded(decisions: pd.DataFrame, by: str) -> pd.DataFrame:
    """(group, outcome) pairs; list columns give one pair per list item."""
    frame = decisions[[by, "outcome"]]
    if by in LIST_COLUMNS:
        frame = frame.assign(**{by: frame[by].map(lambda items: items or [UNKNOWN])}).explode(by)
    return pd.DataFrame({"group": frame[by].fillna(UNKNOWN).astype(str), "outcome": frame["outcome"]})


def _order_groups(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Time and age in their natural order; everything else largest first."""
    if by == "age_band":
        return table.sort_values("group", key=lambda s: s.map(AGE_BANDS.index))
    if by == "limit_status":
        return table.sort_values("group", key=lambda s: s.map(lambda g: LIMIT_ORDER.index(g) if g in LIMIT_ORDER else len(LIMIT_ORDER)))
    if by in ("decision_year", "decision_quarter"):
        return table.sort_values("group", key=lambda s: s.map(lambda g: (g == UNKNOWN, g)))
    return table.sort_values(["decisions", "group"], ascending=[False, True], kind="stable")


def days_counts(letters: pd.DataFrame) -> pd.DataFrame:
    """How many letters took each number of days from the UR denial to the IMR decision (`days`,
    `letters`), for charts.days_chart: a small table whatever the number of letters."""
    days = letters["days_ur_to_decision"].dropna().astype(int)
    counts = days.value_counts().sort_index()
    return pd.DataFrame({"days": counts.index.to_numpy(), "letters": counts.to_numpy()})


def summarize(letters: pd.DataFrame, decisions: pd.DataFrame, top: int = 5) -> Summary:
    dates = _dates(decisions.drop_duplicates("letter_id")["decision_date"]).dropna()
    status_counts = letters["status"].value_counts()
    categories = decisions["category"].value_counts().head(top)
    return Summary(
        letters=len(letters),
        letters_by_status={status: int(status_counts.get(status, 0)) for status in ("ok", "partial", "error")},
        decisions=len(decisions),
        rate=overturn_rate(decisions),
        first_decision=dates.min() if len(dates) else None,
        last_decision=dates.max() if len(dates) else None,
        top_categories=[(str(name), int(count)) for name, count in categories.items()],
    )


def compare_with_statewide(decisions: pd.DataFrame | Rate, statewide_rates: pd.DataFrame, label: str) -> pd.DataFrame:
    """This corpus's overturn rate (of a decisions frame, or as counted) beside the published statewide
    rates (which carry no interval)."""
    own = decisions if isinstance(decisions, Rate) else overturn_rate(decisions)
    low, high = own.interval
    rows = [{"group": label, "kind": "this corpus", "rate": own.rate, "ci_low": low, "ci_high": high,
             "overturned": own.overturned, "decided": own.decided, "source": "parsed letters"}]
    for row in statewide_rates.itertuples():
        rows.append({"group": f"statewide {row.period}", "kind": "statewide reference (DWC/CWCI)",
                     "rate": row.value, "ci_low": math.nan, "ci_high": math.nan,
                     "overturned": None, "decided": None, "source": row.source})
    return pd.DataFrame(rows)


def split_citations(citations: pd.DataFrame, threshold: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(matched at or above the score threshold, the other citations) of a citations frame; lines
    saying nothing was cited are in neither."""
    citations = citations[citations["group"] != NO_EVIDENCE]
    matched = citations["source"].notna() & (citations["score"] >= threshold)
    return citations[matched], citations[~matched]


def citation_groups(citations: pd.DataFrame) -> pd.DataFrame:
    """Counts per group (source, OTHER, unmatched, no evidence cited) and side, largest first."""
    if citations.empty:
        return pd.DataFrame(columns=["group", "claims_administrator", "reviewer", "total"])
    table = citations.pivot_table(index="group", columns="role", values="decision_index", aggfunc="size", fill_value=0)
    for role in GUIDELINE_FIELDS:
        if role not in table:
            table[role] = 0
    table = table[list(GUIDELINE_FIELDS)].astype(int)
    table["total"] = table.sum(axis=1)
    return table.sort_values("total", ascending=False).reset_index().rename_axis(columns=None)


def citation_disagreements(matched: pd.DataFrame) -> pd.DataFrame:
    """Decisions where the claims administrator and the reviewer relied on different sections."""
    keys = ["letter_id", "decision_index", "file", "treatment", "outcome"]
    columns = [*keys[2:], "claims_administrator", "reviewer"]
    if matched.empty:
        return pd.DataFrame(columns=columns)
    labelled = matched.assign(label=matched["source"] + ": " + matched["section"].fillna("(no section)"))
    by_role = (labelled.groupby([*keys, "role"])["label"]
               .agg(lambda labels: "; ".join(sorted(set(labels)))).unstack("role").reset_index())
    for role in ("claims_administrator", "reviewer"):
        if role not in by_role:
            by_role[role] = None
    both = by_role["claims_administrator"].notna() & by_role["reviewer"].notna()
    differ = both & (by_role["claims_administrator"] != by_role["reviewer"])
    return by_role.loc[differ, columns].reset_index(drop=True)


ALL_UPHELD = "all upheld items"


def reason_shares(decisions: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Each reason tag's share of upheld items, per group of `by` (category, subcategory) or over all
    upheld items, with 95% Wilson intervals: (group, tag, with_tag, upheld, share, ci_low, ci_high).
    An item giving several reasons counts under each, so shares in a group may add to more than 100%."""
    upheld = decisions[decisions["outcome"] == "upheld"]
    groups = upheld[by].fillna(UNKNOWN).astype(str) if by else pd.Series(ALL_UPHELD, index=upheld.index)
    counts = []
    for group, items in upheld.groupby(groups, sort=False):
        tags = Counter(tag for item_tags in items["reason_tags"] for tag in item_tags)
        counts += [(group, tag, count, len(items)) for tag, count in tags.items()]
    return shares_table(counts)


def shares_table(counts: Iterable[tuple[str, str, int, int]]) -> pd.DataFrame:
    """(group, tag, items with the tag, upheld items of the group) -> the reason_shares table, ordered.
    Shared by the pandas path and the SQL one (imr/corpus_sql.py)."""
    rows = []
    for group, tag, count, upheld in counts:
        low, high = wilson_interval(count, upheld)
        rows.append({"group": group, "tag": tag, "with_tag": count, "upheld": upheld,
                     "share": count / upheld, "ci_low": low, "ci_high": high})
    table = pd.DataFrame(rows, columns=["group", "tag", "with_tag", "upheld", "share", "ci_low", "ci_high"])
    return table.sort_values(["upheld", "group", "with_tag", "tag"], ascending=[False, True, False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class FrameAnswers:
    """What the app's views ask of the letters in view, answered in pandas from a session's frames
    (imr.corpus_sql.CorpusAnswers answers the same questions in SQL for a Parquet corpus)."""

    decisions: pd.DataFrame  # the decisions matching the filters
    letters: pd.DataFrame  # the letters in view (filter_letters)

    def summary(self) -> Summary:
        return summarize(self.letters, self.decisions)

    def rate_table(self, by: str, top: int | None = None) -> pd.DataFrame:
        return rate_table(self.decisions, by, top)

    def reason_shares(self, by: str | None = None) -> pd.DataFrame:
        return reason_shares(self.decisions, by)

    def rate(self) -> Rate:
        return overturn_rate(self.decisions)

    def days_counts(self) -> pd.DataFrame:
        return days_counts(self.letters)

    def counts(self) -> tuple[int, int]:
        """(decisions, letters) matching the filters."""
        return len(self.decisions), int(self.decisions["letter_id"].nunique())
