"""A corpus's part files, on a local disk or any fsspec file system (`s3://...`, `memory://...`).

DIR/letters/, DIR/decisions/ and DIR/citations/ each hold `part-<batch>.parquet` files, one per batch
of letters. A batch's parts are written decisions, citations, then letters, each to a hidden temporary
name in its folder, flushed to disk (fsync) and renamed, so a part file is complete or absent. The
letters part, written last, marks its batch complete: when a corpus is opened for writing, temporary
files and the decisions and citations parts of a batch without a letters part (a run killed between
renames) are removed, and that batch's letters, absent from `letters`, are parsed again. So a run
killed at any moment leaves a readable corpus, and the next run finishes it with no duplicate row.
One ingest writes a corpus at a time (on a local disk a lock file enforces it).
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import fsspec
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from fsspec.implementations.local import LocalFileSystem

TABLES = ("decisions", "citations", "letters")  # the order a batch's parts are written in
PART_PREFIX, PART_SUFFIX, TEMPORARY_SUFFIX = "part-", ".parquet", ".tmp"
LOCK_FILE = ".ingest.lock"


class CorpusBusy(Exception):
    """Another ingest is writing this corpus."""


def part_name(batch_id: str) -> str:
    return f"{PART_PREFIX}{batch_id}{PART_SUFFIX}"


def write_batch(corpus: str, batch_id: str, tables: dict[str, pa.Table]) -> None:
    """Write one batch's tables as part files (a table without rows gets none, except letters)."""
    fs, root = fsspec.core.url_to_fs(corpus)
    for table in TABLES:
        if tables[table].num_rows or table == "letters":
            _write_part(fs, f"{root}/{table}", part_name(batch_id), tables[table])


def _write_part(fs: fsspec.AbstractFileSystem, folder: str, name: str, table: pa.Table) -> None:
    final, temporary = f"{folder}/{name}", f"{folder}/.{name}{TEMPORARY_SUFFIX}"
    if isinstance(fs, LocalFileSystem):
        with open(temporary, "wb") as out:
            pq.write_table(table, out, compression="zstd")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
        _fsync_folder(folder)  # the rename itself survives a power loss
    else:
        # Object stores publish an object whole or not at all; the rename keeps every file system alike.
        with fs.open(temporary, "wb") as out:
            pq.write_table(table, out, compression="zstd")
        fs.mv(temporary, final)


def _fsync_folder(folder: str) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def opened_for_writing(corpus: str) -> Iterator[KeyIndex]:
    """Create the corpus's folders, tidy what a killed run left, and yield the index of its letters,
    holding the corpus's lock (local disks) until the block ends."""
    fs, root = fsspec.core.url_to_fs(corpus)
    for table in TABLES:
        fs.makedirs(f"{root}/{table}", exist_ok=True)
    with _lock(fs, root):
        complete = {_batch_of(path) for path in _parts(fs, f"{root}/letters")}
        for table in TABLES:
            for path in _listing(fs, f"{root}/{table}"):
                name = path.rsplit("/", 1)[-1]
                orphan = _is_part(name) and table != "letters" and _batch_of(path) not in complete
                if orphan or (name.startswith(".") and name.endswith(TEMPORARY_SUFFIX)):
                    fs.rm(path)
        index = KeyIndex()
        for path in _parts(fs, f"{root}/letters"):
            with fs.open(path, "rb") as part:
                index.add(pq.read_table(part, columns=["sha256"]).column("sha256").to_pylist())
        yield index


@contextmanager
def _lock(fs: fsspec.AbstractFileSystem, root: str) -> Iterator[None]:
    if not isinstance(fs, LocalFileSystem):
        yield  # no portable lock on object stores: one writer at a time is the user's to keep
        return
    import fcntl

    with open(os.path.join(root, LOCK_FILE), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CorpusBusy(f"another ingest is writing {root}") from None
        yield  # the kernel drops the lock when this process ends, however it ends


def _is_part(name: str) -> bool:
    return name.startswith(PART_PREFIX) and name.endswith(PART_SUFFIX)


def _parts(fs: fsspec.AbstractFileSystem, folder: str) -> list[str]:
    return sorted(path for path in _listing(fs, folder) if _is_part(path.rsplit("/", 1)[-1]))


def _listing(fs: fsspec.AbstractFileSystem, folder: str) -> list[str]:
    try:
        return fs.ls(folder, detail=False)
    except FileNotFoundError:  # object stores have no empty folders: a new corpus has none yet
        return []


def _batch_of(path: str) -> str:
    return path.rsplit("/", 1)[-1][len(PART_PREFIX):-len(PART_SUFFIX)]


class KeyIndex:
    """The keys (SHA-256, hex) of the letters a corpus holds, for skipping files already ingested.
    Only their first 16 bytes are kept, sorted: 16 MB for a million letters where a set of strings
    takes ~150 MB; two different files share 16 bytes of SHA-256 with odds of about 2^-128 a pair."""

    _MERGE_EVERY = 65_536  # keys claimed since the last merge into the sorted array

    def __init__(self) -> None:
        self._sorted = np.empty(0, dtype="S16")
        self._recent: set[bytes] = set()

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)

    def add(self, keys: Iterable[str]) -> None:
        self._merge(self._short(key) for key in keys)

    def claim(self, key: str) -> bool:
        """True, and the key is now held, if the corpus did not hold it yet."""
        short = self._short(key)
        if short in self._recent or self._holds(short):
            return False
        self._recent.add(short)
        if len(self._recent) >= self._MERGE_EVERY:
            self._merge(self._recent)
            self._recent = set()
        return True

    def _merge(self, shorts: Iterable[bytes]) -> None:
        self._sorted = np.union1d(self._sorted, np.array(list(shorts), dtype="S16")).astype("S16")

    def _holds(self, short: bytes) -> bool:
        at = int(np.searchsorted(self._sorted, short))
        # numpy hands back fixed-width bytes without their trailing NULs: compare like with like.
        return at < len(self._sorted) and self._sorted[at] == short.rstrip(b"\0")

    @staticmethod
    def _short(key: str) -> bytes:
        return bytes.fromhex(key)[:16]
