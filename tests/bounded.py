"""Run a function in a forked child with a time and memory budget, so a hostile-input test can fail
by overrunning without taking the test run (or the machine) down with it."""
from __future__ import annotations

import multiprocessing
import os
import resource
import time
from collections.abc import Callable
from typing import Any

DEFAULT_SECONDS = 10.0
DEFAULT_MEMORY = 1024 * 1024 * 1024  # the bound: no process grows past 1 GB


class Overran(AssertionError):
    pass


def _child(connection, function, args, memory_bytes) -> None:
    with open("/proc/self/statm") as statm:
        held = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (held + memory_bytes, held + memory_bytes))
    start = time.perf_counter()
    try:
        result = function(*args)
        connection.send(("ok", result, time.perf_counter() - start))
    except BaseException as error:  # noqa: BLE001 - reported to the test, which decides
        connection.send(("raised", f"{type(error).__name__}: {error}", time.perf_counter() - start))


def run_bounded(function: Callable[..., Any], *args: Any, seconds: float = DEFAULT_SECONDS,
                memory_bytes: int = DEFAULT_MEMORY) -> tuple[Any, float]:
    """(result, seconds taken) of function(*args) in a child; Overran if it takes longer than
    `seconds`, raises, or dies (memory)."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(target=_child, args=(child, function, args, memory_bytes))
    process.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise Overran(f"{getattr(function, '__name__', function)} took longer than {seconds} s")
        try:
            status, value, elapsed = parent.recv()
        except EOFError:
            raise Overran(f"{getattr(function, '__name__', function)} died (memory budget {memory_bytes // 2**20} MB?)") from None
        if status != "ok":
            raise Overran(f"{getattr(function, '__name__', function)} raised {value}")
        return value, elapsed
    finally:
        process.kill()
        process.join()
        parent.close()
