"""Untrusted text (letter content, file and archive-entry names) made safe for where it is shown:
a spreadsheet cell, a terminal, a record's file name. One function per destination, used everywhere
that destination is written."""
from __future__ import annotations

import re
import unicodedata

# A spreadsheet program runs a cell starting with these as a formula (=HYPERLINK(...), +cmd|..., @SUM(...)).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Control characters no spreadsheet cell needs (tab, newline and carriage return stay).
_CELL_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What a terminal would act on: C0/C1 controls, and bidi overrides that reorder what follows.
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def spreadsheet_cell(value: object) -> object:
    """A cell for CSV or Excel: control characters removed first, then a formula start neutralised
    with a leading apostrophe (so "\\x01=cmd" cannot slip through as a formula)."""
    if not isinstance(value, str):
        return value
    cleaned = _CELL_CONTROLS.sub("", value)
    return "'" + cleaned if cleaned.lstrip(" ").startswith(FORMULA_PREFIXES) else cleaned


def terminal_text(value: str) -> str:
    """Text to print on a terminal: control and bidi characters shown as escapes, never obeyed."""
    return _TERMINAL_CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", value)


def printable_name(name: str) -> str:
    """A file or entry name fit for a record: bytes that were not UTF-8 (kept by the OS as lone
    surrogates) become U+FFFD, and controls are escaped; the original is still used to read the file."""
    readable = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return terminal_text(unicodedata.normalize("NFC", readable))
