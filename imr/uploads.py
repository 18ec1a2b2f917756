"""Uploaded files -> Letters, parsed once per distinct content (sha256) across app reruns.

The app and the benchmark both go through `parse_uploads`, so what is measured is what runs.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import replace

from imr.extract import expand_upload
from imr.models import InputFile, Letter
from imr.parse import parse_input

ProgressCallback = Callable[[int, int, str], None]  # (done, total, current file name)


def expand_uploads(uploads: Sequence[tuple[str, bytes]]) -> list[InputFile]:
    return [item for name, data in uploads for item in expand_upload(name, data)]


def parse_cached(item: InputFile, cache: MutableMapping[str, Letter]) -> Letter:
    """Parse an input file, reusing an earlier parse of the same bytes (renamed to this file)."""
    if item.data is None:
        return _parse_safely(item)
    key = hashlib.sha256(item.data).hexdigest()
    if key not in cache:
        cache[key] = _parse_safely(item)
    cached = cache[key]
    return cached if cached.file == item.name else replace(cached, file=item.name)


def _parse_safely(item: InputFile) -> Letter:
    # The parser promises not to raise; this guard keeps a surprise from becoming a traceback in the UI.
    try:
        return parse_input(item)
    except Exception as error:  # noqa: BLE001
        return Letter(file=item.name, status="error", error=f"could not parse ({type(error).__name__}); please report it")


def parse_uploads(uploads: Sequence[tuple[str, bytes]], cache: MutableMapping[str, Letter],
                  on_progress: ProgressCallback | None = None) -> list[Letter]:
    items = expand_uploads(uploads)
    letters: list[Letter] = []
    for done, item in enumerate(items, start=1):
        letters.append(parse_cached(item, cache))
        if on_progress:
            on_progress(done, len(items), item.name)
    return letters
