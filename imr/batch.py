"""Parse many files in guarded worker processes.

Each file is parsed in a worker process that may use `budget.FILE_MEMORY_BYTES` more memory than it
started with and `budget.FILE_SECONDS` of wall-clock. A file that exceeds either, or that kills its
worker (a crash in a PDF library, the kernel's OOM killer, kill -9), becomes an error record naming
what happened; the worker is replaced and the batch goes on. Results come back in input order, each
as soon as it and every file before it are done, so a caller can stream them.
"""
from __future__ import annotations

import faulthandler
import gc
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing.connection import Connection, wait

from imr import budget, ocr
from imr.models import InputFile, Letter
from imr.parse import parse_file, parse_input

ProgressCallback = Callable[[int, int, str], None]  # (done, total, name of the file just done)
PageCallback = Callable[[str, int, int], None]  # (file name, pages read by OCR so far, pages to read)
PAGE, RESULT = "page", "result"  # the kinds of message a worker sends
_POLL_SECONDS = 0.5


def _limit_memory(extra_bytes: int) -> None:
    """Cap this process's address space at what it holds now plus `extra_bytes` (Linux)."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            held = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = held + extra_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, ValueError):
        pass  # no such limit on this system: the time budget and the OS are the bound


def _worker(connection: Connection, memory_bytes: int) -> None:
    # A worker that dies on a hostile file is reported as an error record; its crash dump (from a
    # parent that enabled faulthandler, like pytest) would only be noise on the user's terminal.
    faulthandler.disable()
    _limit_memory(memory_bytes)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, item = task
        # OCR is slow: each page read is reported as it happens, for a progress display.
        ocr.on_page = lambda done, total: connection.send((PAGE, index, done, total))
        try:
            letter = parse_input(item)
        except MemoryError:
            letter = _error(item, f"needed more memory than a letter may use (limit {memory_bytes // 2**20} MB)")
        except Exception as error:  # noqa: BLE001 - parse_input promises not to raise; a surprise stays one file's
            letter = _error(item, f"could not parse ({type(error).__name__}); please report it")
        try:
            connection.send((RESULT, index, letter))
        except MemoryError:
            connection.send((RESULT, index, _error(item, "its record was too large to return")))


def _error(item: InputFile, message: str) -> Letter:
    return Letter(file=item.name, status="error", error=message)


@dataclass
class _Worker:
    process: multiprocessing.Process
    connection: Connection
    task: tuple[int, InputFile] | None = None
    started: float = 0.0


@lru_cache(maxsize=1)
def warm_parser() -> None:
    """Parse one demo letter (synthetic, shipped with the package) in this process, once. Every batch
    starts a fresh guarded pool forked from this process: the catalogue, vocabularies and patterns the
    parser loads on first use are then inherited, not loaded again by each worker of each batch
    (measured: the workers' CPU for 800 letters in batches of 64 fell from 9.8 s to 6.9 s). Then
    the collector is told those objects are permanent, so no forked worker's collection touches, and
    copies, the pages that hold them (a few % of the workers' CPU)."""
    from imr.demo import demo_files  # here: imr.demo reaches this module through imr.uploads

    files = demo_files()
    if files:
        parse_file(files[0])
    gc.freeze()


class _Pool:
    def __init__(self, size: int, seconds: float, memory_bytes: int) -> None:
        self.seconds, self.memory_bytes = seconds, memory_bytes
        # fork: workers start in milliseconds with the parser already imported, and need nothing from
        # the main module (Streamlit's is not importable twice, which rules out forkserver and spawn
        # there). Python re-initialises its import and logging locks in a forked child.
        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork" if "fork" in methods and sys.platform.startswith("linux") else None)
        self.workers = [self._start() for _ in range(size)]

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(child, self.memory_bytes), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()
        self.workers[self.workers.index(worker)] = self._start()

    def close(self) -> None:
        for worker in self.workers:
            try:
                worker.connection.send(None)
            except (OSError, ValueError):
                pass
        for worker in self.workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
            worker.connection.close()


def parse_guarded(items: Iterable[InputFile], workers: int = 1, seconds: float = budget.FILE_SECONDS,
                  memory_bytes: int = budget.FILE_MEMORY_BYTES, on_progress: ProgressCallback | None = None,
                  on_page: PageCallback | None = None) -> Iterator[Letter]:
    """Letters for `items`, in their order, each parsed within its budgets in one of `workers` processes."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    items = list(items)
    if not items:
        return
    pool = _Pool(min(workers, len(items)), seconds, memory_bytes)
    results: dict[int, Letter] = {}
    next_task, next_result, done = 0, 0, 0
    try:
        while next_result < len(items):
            for worker in pool.workers:
                if worker.task is None and next_task < len(items):
                    worker.task, worker.started = (next_task, items[next_task]), time.monotonic()
                    worker.connection.send(worker.task)
                    next_task += 1
            busy = [w for w in pool.workers if w.task is not None]
            ready = wait([w.connection for w in busy], timeout=_POLL_SECONDS)
            for worker in busy:
                index, item = worker.task  # type: ignore[misc]
                letter = None
                if worker.connection in ready:
                    try:
                        message = worker.connection.recv()
                        if message[0] == PAGE:
                            if on_page:
                                on_page(item.name, message[2], message[3])
                        else:
                            letter = message[2]
                    except (EOFError, OSError):
                        letter = _error(item, "the parser process died on this file (a crash or the memory limit)")
                        pool.replace(worker)
                elif time.monotonic() - worker.started > seconds:
                    letter = _error(item, f"took longer than {seconds:g} s to parse (limit)")
                    pool.replace(worker)
                if letter is not None:
                    results[index] = letter
                    worker.task = None  # a replaced worker has left the pool already
                    done += 1
                    if on_progress:
                        on_progress(done, len(items), item.name)
            while next_result in results:
                yield results.pop(next_result)
                next_result += 1
    finally:
        pool.close()
