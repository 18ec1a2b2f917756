"""Per-file budgets: how much work one untrusted file may cost, and the one way to stop it.

Every limit is a named constant with its reason. Exceeding one ends that file with an error record
naming the budget; the rest of a batch goes on (`imr.batch` enforces time and memory from outside,
in worker processes; the parser bounds its own stages with the others).
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Longer than any letter's worth of text: published letters hold 3,000-30,000 characters. Applied to
# the raw text before cleaning, so a file of 49 MB of newlines costs nothing.
MAX_TEXT_CHARS = 400_000
# A letter decides a handful of items (published ones: 1 to 10); thousands means it is not a letter.
MAX_DECISIONS = 100
# One side's guideline line cites a few sections (published: up to 12).
MAX_CITATIONS_PER_LINE = 60
MAX_GUIDELINE_LINE_CHARS = 5_000
# Wall-clock for one file in a worker: a letter takes milliseconds, a scanned one about 1.5 s a page
# (at most MAX_OCR_PAGES); two minutes is a hostile file.
FILE_SECONDS = 120.0
# Scanned letters: pages read by OCR per file, and the time one page may take.
MAX_OCR_PAGES = 20
OCR_PAGE_SECONDS = 30.0
# Below this mean word confidence an OCR reading is reported partial rather than trusted.
LOW_OCR_CONFIDENCE = 60.0
# Memory a worker may add while parsing one file, beyond what it holds at start.
FILE_MEMORY_BYTES = 1024 * 1024 * 1024
# What one browser session may upload, expanded: a few thousand letters; the session keeps parsed
# records, not these bytes, but a 5 MB zip must not hold a gigabyte of work.
SESSION_UPLOAD_BYTES = 512 * 1024 * 1024
# The pdfplumber second reading: only for pages of a sane size, and within its own time.
LAYOUT_READING_SECONDS = 10.0
MAX_PAGE_POINTS = 2_000  # ~28 inches: larger media boxes are not letter pages


class BudgetExceeded(Exception):
    """A file needed more than a budget allows; the message names the budget, for the user."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise BudgetExceeded after `seconds` of this block. Works only on the main thread (a signal);
    elsewhere the block runs unbounded and the batch's watchdog is the limit."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):  # noqa: ARG001
        raise BudgetExceeded(f"{what} took longer than {seconds:g} s (limit)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
