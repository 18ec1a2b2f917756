"""`imr ingest`: letters -> a Parquet corpus. Schema and keys against the record contract, incremental
re-runs, a run killed with SIGKILL and resumed, bad files kept as error rows, the Dask path on a
LocalCluster into an fsspec memory file system, and SQL with hostile values through corpus_store."""
from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import synth
from imr.corpus_parts import opened_for_writing, part_name
from imr.corpus_schema import CITATION_TYPES, DECISION_TYPES, LETTER_TYPES, SCHEMAS, Rows, contract_fields
from imr.corpus_store import frames_for, open_corpus
from imr.ingest import ingest
from imr.models import Citation, Decision, Letter
from imr.parse import parse_bytes
from synth import bad

ROOT = Path(__file__).resolve().parent.parent
LETTERS = 40


@pytest.fixture(scope="module")
def letters_dir(tmp_path_factory) -> Path:
    """40 generated letters of all four layouts, three in four as PDF, the rest as text."""
    folder = tmp_path_factory.mktemp("letters")
    for index, letter in enumerate(synth.generate(LETTERS, seed=9)):
        if index % 4 == 3:
            (folder / f"{letter.name}.txt").write_text(letter.text(), encoding="utf-8")
        else:
            (folder / f"{letter.name}.pdf").write_bytes(letter.pdf_bytes())
    return folder


@pytest.fixture(scope="module")
def records(letters_dir: Path) -> dict[str, dict]:
    """What `imr parse` gives for each file, by the SHA-256 of its bytes."""
    found = {}
    for path in sorted(letters_dir.iterdir()):
        data = path.read_bytes()
        found[hashlib.sha256(data).hexdigest()] = parse_bytes(data, str(path)).to_dict()
    return found


@pytest.fixture(scope="module")
def reference(letters_dir: Path, tmp_path_factory) -> dict[str, list[dict]]:
    """The rows of a plain local run (2 workers, several batches), the yardstick for the other paths."""
    corpus = tmp_path_factory.mktemp("reference") / "corpus"
    summary = ingest([str(letters_dir)], str(corpus), workers=2, batch_files=16, quiet=True)
    assert (summary.added, summary.skipped, summary.letters) == (LETTERS, 0, LETTERS)
    return corpus_rows(str(corpus))


def corpus_rows(corpus: str) -> dict[str, list[dict]]:
    """Every row of every table, in key order, read back from the part files."""
    fs, root = fsspec.core.url_to_fs(corpus)
    rows = {}
    for table, schema in SCHEMAS.items():
        parts = sorted(fs.glob(f"{root}/{table}/*.parquet"))
        for path in parts:
            with fs.open(path, "rb") as part:
                assert pq.read_schema(part) == schema, f"{path}: not the corpus schema"
        tables = [pq.read_table(fs.open(path, "rb")) for path in parts]
        found = pa.concat_tables(tables).to_pylist() if tables else []
        rows[table] = sorted(found, key=lambda row: (row["sha256"], row.get("item", 0), row.get("citation", 0)))
    return rows


def keys_of(rows: list[dict], names: tuple[str, ...]) -> list[tuple]:
    return [tuple(row[name] for name in names) for row in rows]


def test_schema_types_every_contract_field_and_nothing_else():
    assert list(LETTER_TYPES) == contract_fields(Letter(file=""), "decisions")
    assert list(DECISION_TYPES) == contract_fields(Decision(treatment=""), "citations")
    assert list(CITATION_TYPES) == contract_fields(Citation(role="", text=""))
    assert SCHEMAS["decisions"].names[:2] == ["sha256", "item"]
    assert SCHEMAS["citations"].names[:4] == ["sha256", "item", "citation", "role"]
    assert SCHEMAS["decisions"].field("quantity").type == pa.float64()


def test_a_batch_of_nulls_keeps_the_column_types():
    rows = Rows()
    letter = Letter(file="x.pdf", status="error", error="empty file").to_dict()
    letter["decisions"] = [Decision(treatment="Norco", quantity=60).to_dict(), Decision(treatment="PT", quantity=2.5).to_dict()]
    rows.add("ab" * 32, letter)
    tables = rows.tables()
    for table, schema in SCHEMAS.items():
        assert tables[table].schema == schema
    assert tables["decisions"].column("quantity").to_pylist() == [60.0, 2.5]
    assert tables["letters"].column("case_number").null_count == 1


def test_rows_are_the_records_under_their_keys(reference, records):
    letters, decisions, citations = reference["letters"], reference["decisions"], reference["citations"]
    assert sorted(row["sha256"] for row in letters) == sorted(records)  # one row per file, keyed by its content
    assert len(keys_of(decisions, ("sha256", "item"))) == len(set(keys_of(decisions, ("sha256", "item"))))
    assert len(set(keys_of(citations, ("sha256", "item", "citation")))) == len(citations)
    expected_decisions, expected_citations = [], []
    for row in letters:
        record = records[row["sha256"]]
        assert row == {key: value for key, value in record.items() if key != "decisions"}
        for item, decision in enumerate(record["decisions"], start=1):
            expected_decisions.append({"sha256": row["sha256"], "item": item,
                                       **{k: v for k, v in decision.items() if k != "citations"}})
            for number, citation in enumerate(decision["citations"], start=1):
                expected_citations.append({"sha256": row["sha256"], "item": item, "citation": number, **citation})
    assert decisions == expected_decisions
    assert citations == expected_citations
    assert len(decisions) >= LETTERS and len(citations) > len(decisions)


def test_a_rerun_adds_nothing_and_new_files_only_themselves(letters_dir, tmp_path):
    corpus = tmp_path / "corpus"
    ingest([str(letters_dir)], str(corpus), workers=2, batch_files=16, quiet=True)
    parts = sorted(corpus.rglob("*.parquet"))
    again = ingest([str(letters_dir)], str(corpus), workers=2, batch_files=16, quiet=True)
    assert (again.added, again.skipped, again.letters) == (0, LETTERS, LETTERS)
    assert sorted(corpus.rglob("*.parquet")) == parts
    extra = tmp_path / "more"
    extra.mkdir()
    new = synth.generate(2, seed=77)
    for letter in new:
        (extra / f"{letter.name}.pdf").write_bytes(letter.pdf_bytes())
    (extra / "copy-of-one.txt").write_bytes(next(letters_dir.glob("*.txt")).read_bytes())  # same content, other name
    more = ingest([str(extra)], str(corpus), workers=1, quiet=True)
    assert (more.added, more.skipped, more.letters) == (2, 1, LETTERS + 2)


def test_a_corpus_inside_the_ingested_folder_is_not_read_as_letters(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for letter in synth.generate(2, seed=5):
        (inputs / f"{letter.name}.txt").write_text(letter.text(), encoding="utf-8")
    corpus = inputs / "corpus"
    first = ingest([str(inputs)], str(corpus), workers=1, quiet=True)
    again = ingest([str(inputs)], str(corpus), workers=1, quiet=True)
    assert (first.added, first.errors) == (2, 0)
    assert (again.added, again.skipped, again.errors, again.letters) == (0, 2, 0, 2)


def test_bad_files_are_error_rows_kept_once(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "empty.pdf").write_bytes(b"")
    (inputs / "random.pdf").write_bytes(bad.random_bytes_pdf())
    (inputs / "truncated.pdf").write_bytes(bad.truncated_pdf())
    (inputs / "notes.docx").write_bytes(b"PK\x03\x04 not really")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("inner/letter.txt", synth.generate(1, seed=5)[0].text())
        zipped.writestr("inner/nested.zip", b"PK\x05\x06" + b"\0" * 18)
    (inputs / "batch.zip").write_bytes(archive.getvalue())
    missing = str(tmp_path / "no-such-folder")
    corpus = tmp_path / "corpus"
    summary = ingest([str(inputs), missing], str(corpus), workers=2, quiet=True)
    letters = {row["file"]: row for row in corpus_rows(str(corpus))["letters"]}
    assert len(letters) == summary.added == 7 and summary.errors == 6
    assert letters[f"{inputs}/batch.zip/inner/letter.txt"]["status"] in ("ok", "partial")
    for name, said in [("empty.pdf", "empty"), ("random.pdf", "not a PDF"), ("truncated.pdf", "PDF"),
                       ("notes.docx", "unsupported"), ("batch.zip/inner/nested.zip", "nested zip")]:
        row = letters[f"{inputs}/{name}"]
        assert row["status"] == "error" and said in row["error"], row
    assert letters[missing]["error"] == "no such file or folder"
    assert len({row["sha256"] for row in letters.values()}) == 7
    again = ingest([str(inputs), missing], str(corpus), workers=2, quiet=True)
    assert (again.added, again.skipped) == (0, 7)


def test_a_run_killed_with_sigkill_resumes_without_duplicates(letters_dir, reference, tmp_path):
    corpus = tmp_path / "corpus"
    command = [sys.executable, "-m", "imr", "ingest", str(letters_dir), "--corpus", str(corpus), "--workers", "1", "--batch-size", "2"]
    run = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list((corpus / "letters").glob("*.parquet")) and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.005)
    os.killpg(run.pid, signal.SIGKILL)  # the CLI and its parser processes, mid-run
    run.wait()
    killed = corpus_rows(str(corpus))  # every part file left is whole and of the schema
    assert 0 < len(killed["letters"]) < LETTERS, "the run was not killed mid-way"
    resumed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{LETTERS - len(killed['letters'])} added" in resumed.stdout
    assert f"{len(killed['letters'])} skipped" in resumed.stdout
    assert "letters/s" in resumed.stderr  # the progress bar
    assert corpus_rows(str(corpus)) == reference


def test_parts_of_a_batch_cut_short_are_removed_and_redone(letters_dir, reference, tmp_path):
    """The moment between a batch's renames: its decisions part exists, its letters part does not."""
    corpus = tmp_path / "corpus"
    ingest([str(letters_dir)], str(corpus), workers=2, batch_files=16, quiet=True)
    last = sorted((corpus / "letters").glob("*.parquet"))[-1]
    last.unlink()  # as if killed before this rename: its decisions and citations parts are orphans now
    (corpus / "citations" / f".{part_name('x')}.tmp").write_bytes(b"half a file")
    with opened_for_writing(str(corpus)) as index:
        assert len(index) < LETTERS
    assert not (corpus / "decisions" / last.name).exists() and not list(corpus.rglob("*.tmp"))
    summary = ingest([str(letters_dir)], str(corpus), workers=2, batch_files=16, quiet=True)
    assert summary.added > 0 and summary.letters == LETTERS
    assert corpus_rows(str(corpus)) == reference


def test_dask_local_cluster_into_a_memory_corpus_gives_the_same_rows(letters_dir, reference):
    distributed = pytest.importorskip("distributed")
    run = uuid.uuid4().hex
    corpus, inputs = f"memory://corpus-{run}", f"memory://letters-{run}"
    memory, _ = fsspec.core.url_to_fs(inputs)
    for path in letters_dir.iterdir():  # the workers read these through fsspec, as they would s3://
        memory.pipe_file(f"/letters-{run}/{path.name}", path.read_bytes())
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        summary = ingest([inputs], corpus, dask=cluster.scheduler_address, batch_files=8, quiet=True)
        assert (summary.added, summary.letters) == (LETTERS, LETTERS)
        again = ingest([inputs], corpus, dask=cluster.scheduler_address, batch_files=8, quiet=True)
        assert (again.added, again.skipped) == (0, LETTERS)
    try:
        rows = corpus_rows(corpus)
        assert all(row.pop("file").startswith(f"{inputs}/") for row in rows["letters"])
        assert rows == {**reference, "letters": [{k: v for k, v in row.items() if k != "file"} for row in reference["letters"]]}
        connection = open_corpus(corpus)  # DuckDB through the fsspec memory file system
        assert connection.execute("SELECT count(*) FROM decisions").fetchone()[0] == len(reference["decisions"])
    finally:
        memory.rm(f"/corpus-{run}", recursive=True)
        memory.rm(f"/letters-{run}", recursive=True)


def test_sql_values_with_quotes_and_comments_are_bound(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    tricky = "o'brien\"; -- DROP VIEW letters; --.txt"
    one, two = synth.generate(2, seed=31)
    (inputs / tricky).write_text(one.text(), encoding="utf-8")
    (inputs / "plain.txt").write_text(two.text(), encoding="utf-8")
    corpus = tmp_path / "corpus"
    ingest([str(inputs)], str(corpus), workers=1, quiet=True)
    connection = open_corpus(str(corpus))
    key = connection.execute("SELECT sha256 FROM letters WHERE file = ?", [f"{inputs}/{tricky}"]).fetchone()[0]
    frames = frames_for(connection, ["' OR '1'='1", "x'); DROP VIEW letters; --", key])
    assert frames["letters"]["file"].tolist() == [f"{inputs}/{tricky}"]
    assert frames["decisions"]["sha256"].eq(key).all() and len(frames["decisions"]) >= 1
    assert frames["decisions"]["item"].tolist() == list(range(1, len(frames["decisions"]) + 1))
    assert connection.execute("SELECT count(*) FROM letters").fetchone()[0] == 2  # nothing was dropped
    assert {name: len(frame) for name, frame in frames_for(connection, ["' OR 1=1 --"]).items()} == \
        {"letters": 0, "decisions": 0, "citations": 0}


def test_an_empty_corpus_opens_with_every_column(tmp_path):
    connection = open_corpus(str(tmp_path / "nothing-yet"))
    for table, schema in SCHEMAS.items():
        columns = [row[0] for row in connection.execute(f"DESCRIBE {table}").fetchall()]
        assert columns == schema.names
        assert connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
