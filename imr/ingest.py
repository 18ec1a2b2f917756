"""`python -m imr ingest`: letters -> a Parquet corpus, in bounded batches, parsed locally in the
guarded worker pool (imr/batch.py, so every file keeps its time and memory budgets) or on a Dask
cluster whose workers read the inputs and write the part files themselves.

A batch is read (each file's bytes and key, the SHA-256 of its content), the keys the corpus already
holds are skipped, the rest parsed and written as the batch's part files (imr/corpus_parts.py says
why a killed run loses nothing). Memory holds at most three batches (one read ahead, one parsing, one
being written; each at most BATCH_FILES files and about BATCH_BYTES of input) and the corpus's key
index (16 bytes a letter), whatever the number of letters.
"""
from __future__ import annotations

import multiprocessing
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from tqdm import tqdm

from imr.batch import parse_guarded, warm_parser
from imr.corpus_parts import KeyIndex, opened_for_writing, write_batch
from imr.corpus_schema import Rows
from imr.ingest_sources import Source, list_sources, read_source
from imr.models import InputFile

# A batch is one set of part files, parsed by one fresh guarded pool: large, since each pool costs
# ~0.1-0.3 s of CPU a worker (forking a process that holds the parser; its caches start empty), and a
# million letters then make a thousand parts; its input bytes are bounded too. On Dask a batch is
# also the unit a worker takes: as large as leaves TASKS_PER_THREAD of them for every worker thread.
BATCH_FILES = 1000
BATCH_BYTES = 64 * 2**20
TASKS_PER_THREAD = 2
SMALLEST_TASK = 20
LOCAL_CLUSTER_PREFIX = "local:"


class IngestError(Exception):
    """The run could not start or go on (a cluster that cannot run it, a task that failed there); the message says why."""


@dataclass
class Summary:
    added: int = 0  # letters written, error records included
    errors: int = 0  # of those, error records
    skipped: int = 0  # files whose content the corpus already held
    letters: int = 0  # letters in the corpus afterwards
    seconds: float = 0.0

    def text(self, corpus: str) -> str:
        rate = self.added / self.seconds if self.seconds else 0.0
        return (f"ingest: {self.added} added ({self.errors} errors), {self.skipped} skipped (already in the corpus); "
                f"{self.letters} letters in {corpus}; {self.seconds:.1f} s, {rate:.1f} letters/s")


@dataclass
class ReadBatch:
    """A batch's letters as read: keys[i] is the content key of items[i]."""

    keys: list[str]
    items: list[InputFile]


def read_batch(sources: list[Source]) -> ReadBatch:
    keyed = [pair for source in sources for pair in read_source(source)]
    return ReadBatch([key for key, _ in keyed], [item for _, item in keyed])


def batch_keys(batch: ReadBatch) -> list[str]:
    return batch.keys


def parse_batch(batch: ReadBatch, keep: list[int], workers: int, on_letter: Callable[[], None] | None = None) -> tuple[Rows, int]:
    """The rows of the batch's items numbered in `keep`, parsed in the guarded pool, and how many are errors."""
    warm_parser()
    rows, errors = Rows(), 0
    progress = (lambda done, total, name: on_letter()) if on_letter else None
    letters = parse_guarded([batch.items[i] for i in keep], workers=workers, on_progress=progress)
    for index, letter in zip(keep, letters):
        rows.add(batch.keys[index], letter.to_dict())
        errors += letter.status == "error"
    return rows, errors


def parse_and_write(batch: ReadBatch, keep: list[int], corpus: str, batch_id: str) -> tuple[int, int]:
    """A Dask task: parse the kept items (one guarded process per worker thread) and write the batch's
    parts; (added, errors)."""
    if not keep:
        return 0, 0
    rows, errors = parse_batch(batch, keep, workers=1)
    write_batch(corpus, batch_id, rows.tables())
    return len(keep), errors


def batches(sources: Iterable[Source], files: int = BATCH_FILES, size: int = BATCH_BYTES) -> Iterator[list[Source]]:
    batch: list[Source] = []
    held = 0
    for source in sources:
        batch.append(source)
        held += source.size or 0
        if len(batch) >= files or held >= size:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def ingest(paths: list[str], corpus: str, workers: int = 1, dask: str | None = None, batch_files: int | None = None,
           quiet: bool = False) -> Summary:
    """Add the letters in `paths` to the corpus at `corpus` (a folder or an fsspec URL)."""
    started = time.perf_counter()
    if dask and dask.startswith(LOCAL_CLUSTER_PREFIX):
        _local_cluster_size(dask)  # a wrong address stops the run before anything is shown or written
    summary = Summary()
    progress = _Progress(paths, corpus, quiet)
    try:
        with opened_for_writing(corpus) as index:
            if dask:
                _run_on_dask(dask, paths, batch_files, corpus, index, summary, progress)
            else:
                source_batches = batches(list_sources(paths, corpus), files=batch_files or BATCH_FILES)
                _run_locally(workers, source_batches, corpus, index, summary, progress)
            summary.letters = len(index)
    finally:
        progress.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _claim(batch: ReadBatch, index: KeyIndex, summary: Summary, progress: _Progress) -> list[int]:
    """The batch's items the corpus does not hold yet (nor an earlier file of this run)."""
    keep = [i for i, key in enumerate(batch.keys) if index.claim(key)]
    summary.skipped += len(batch.keys) - len(keep)
    progress.advance(len(batch.keys) - len(keep))
    return keep


def _count(summary: Summary, added: int, errors: int) -> None:
    summary.added += added
    summary.errors += errors


def _run_locally(workers: int, source_batches: Iterator[list[Source]], corpus: str, index: KeyIndex,
                 summary: Summary, progress: _Progress) -> None:
    """While the pool parses a batch, one thread reads the next and another writes the last, so the
    parser processes never wait for the disk: three batches in memory at most."""
    with ThreadPoolExecutor(1) as reader, ThreadPoolExecutor(1) as writer:
        sources = next(source_batches, None)
        reading = reader.submit(read_batch, sources) if sources else None
        writing = None
        while reading is not None:
            batch = reading.result()
            progress.expanded(len(batch.keys) - len(sources))
            sources = next(source_batches, None)
            reading = reader.submit(read_batch, sources) if sources else None
            keep = _claim(batch, index, summary, progress)
            if not keep:
                continue
            rows, errors = parse_batch(batch, keep, workers, progress.advance)
            del batch
            if writing is not None:
                writing.result()
            writing = writer.submit(_write_rows, corpus, rows)
            _count(summary, len(keep), errors)
        if writing is not None:
            writing.result()


def _write_rows(corpus: str, rows: Rows) -> None:
    write_batch(corpus, uuid.uuid4().hex, rows.tables())


def _run_on_dask(address: str, paths: list[str], batch_files: int | None, corpus: str, index: KeyIndex,
                 summary: Summary, progress: _Progress) -> None:
    """Workers read each batch and hand back only its keys; the batch's bytes stay on the worker that
    read them for the parse-and-write task. Keys are claimed in batch order, so duplicates resolve as
    in a local run; a window of batches in flight keeps every worker busy and memory bounded."""
    from distributed import wait

    with _dask_client(address) as client:
        _require_forking_workers(client)
        threads = max(1, sum(client.nthreads().values()))
        window = TASKS_PER_THREAD * threads
        if batch_files is None:  # a first listing, only counted, sizes the tasks
            batch_files = task_size(sum(1 for _ in list_sources(paths, corpus)), threads)
        source_batches = batches(list_sources(paths, corpus), files=batch_files)
        reading: deque = deque()  # (sources, read future, keys future), in batch order
        writing: dict = {}  # write future -> letters in it
        exhausted = False
        while True:
            while not exhausted and len(reading) + len(writing) < window:
                sources = next(source_batches, None)
                if sources is None:
                    exhausted = True
                    break
                read = client.submit(read_batch, sources, pure=False)
                reading.append((sources, read, client.submit(batch_keys, read, pure=False)))
            if not reading and not writing:
                return
            wait(([reading[0][2]] if reading else []) + list(writing), return_when="FIRST_COMPLETED")
            if reading and reading[0][2].done():
                sources, read, keys = reading.popleft()
                batch = ReadBatch(_result(keys), [])
                progress.expanded(len(batch.keys) - len(sources))
                keep = _claim(batch, index, summary, progress)
                writing[client.submit(parse_and_write, read, keep, corpus, uuid.uuid4().hex, pure=False)] = len(keep)
            for future in [future for future in writing if future.done()]:
                _count(summary, *_result(future))
                progress.advance(writing.pop(future))


def _result(future):
    """A task's result; a task that failed on the cluster (a worker without imr, an unreadable corpus)
    ends the run with one line saying why."""
    try:
        return future.result()
    except Exception as error:
        raise IngestError(f"a task failed on the Dask cluster: {type(error).__name__}: {error}") from error


def task_size(files: int, threads: int) -> int:
    """Files a Dask task parses: TASKS_PER_THREAD tasks for each thread, within [SMALLEST_TASK, BATCH_FILES]."""
    return min(BATCH_FILES, max(SMALLEST_TASK, -(-files // (TASKS_PER_THREAD * threads))))


@contextmanager
def _dask_client(address: str) -> Iterator:
    import dask
    from distributed import Client, LocalCluster

    if not address.startswith(LOCAL_CLUSTER_PREFIX):
        try:
            client = Client(address, timeout="30s")
        except OSError as error:
            raise IngestError(f"cannot reach the Dask scheduler at {address}: {error}") from None
        with client:
            yield client
        return
    count = _local_cluster_size(address)
    # Workers parse in guarded child processes (imr/batch.py), which a daemonic worker may not start.
    # On Linux they are forked from this process with the parser already imported and warm, as
    # imr/batch.py forks its pool: the cluster is ready in under a second instead of ~3 s of spawning
    # and importing, and no worker spends its first batch loading the catalogue.
    fork = "fork" in multiprocessing.get_all_start_methods() and sys.platform.startswith("linux")
    if fork:
        warm_parser()
    settings = {"distributed.worker.daemon": False, "distributed.worker.multiprocessing-method": "fork" if fork else "spawn",
                # A cluster on this machine needs no sampling profiler nor memory polling ten times a
                # second: together ~20% of a worker's own CPU (not its parsing) in bench_ingest.
                "distributed.worker.profile.enabled": False, "distributed.worker.memory.monitor-interval": "1s",
                "distributed.admin.system-monitor.interval": "5s"}
    with dask.config.set(settings), \
            LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


def _local_cluster_size(address: str) -> int:
    count = address[len(LOCAL_CLUSTER_PREFIX):]
    if not count.isdigit() or int(count) < 1:
        raise IngestError(f"--dask {address}: expected local:N with N at least 1")
    return int(count)


def _may_start_processes() -> bool:
    return not multiprocessing.current_process().daemon


def _require_forking_workers(client) -> None:
    daemonic = [worker for worker, ok in client.run(_may_start_processes).items() if not ok]
    if daemonic:
        raise IngestError(f"{len(daemonic)} Dask worker(s) are daemonic processes and cannot start the guarded "
                          "parser processes: start them with DASK_DISTRIBUTED__WORKER__DAEMON=False")


class _Progress:
    """A tqdm bar on stderr counting letters done (added or skipped). Its total comes from a second,
    cheap listing of the inputs in a background thread, so the ETA appears without waiting for it."""

    def __init__(self, paths: list[str], corpus: str, quiet: bool) -> None:
        self.bar = tqdm(total=None, unit=" letters", desc="ingest", file=sys.stderr, disable=quiet, smoothing=0.05)
        self.listed: int | None = None
        self.extra = 0  # letters beyond one per listed file (a zip's entries)
        if not quiet:
            threading.Thread(target=self._list, args=(paths, corpus), daemon=True).start()

    def _list(self, paths: list[str], corpus: str) -> None:
        try:
            self.listed = sum(1 for _ in list_sources(paths, corpus))
        except OSError:
            pass  # the bar goes on without a total; the run itself reports unreadable inputs

    def expanded(self, extra: int) -> None:
        self.extra += extra

    def advance(self, letters: int = 1) -> None:
        if self.listed is not None:
            self.bar.total = self.listed + self.extra
        self.bar.update(letters)

    def close(self) -> None:
        self.bar.close()
