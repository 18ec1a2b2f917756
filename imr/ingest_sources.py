"""What an ingest reads: local paths or fsspec URLs (`s3://bucket/prefix`), listed lazily, and each
read into InputFiles keyed by the SHA-256 of their content.

Folders are walked in name order, hidden files and OS litter skipped, as `imr parse` does; a .zip
gives its entries. A file that cannot be read has no content to hash: its key is the SHA-256 of
`unread:` and its name, so its error record is kept once, like any other.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import fsspec
from fsspec.implementations.local import LocalFileSystem

from imr.extract import MAX_FILE_BYTES, MAX_ZIP_EXPANDED_BYTES, _is_litter, expand_upload, sha256
from imr.models import InputFile
from imr.safe_text import printable_name

UNREAD_KEY_PREFIX = "unread:"


@dataclass(frozen=True)
class Source:
    """One file to read: where (a local path or an fsspec URL) and the name its record gets."""

    url: str
    name: str  # as given on the command line, plus the path below a given folder
    size: int | None = None
    error: str | None = None  # why it cannot be read, known from the listing


def list_sources(paths: Iterable[str], corpus: str | None = None) -> Iterator[Source]:
    """The files below `paths`; the corpus folder itself is left out when it lies inside one of them
    (its part files are no letters)."""
    skip = _folder_key(corpus) if corpus else None
    for raw in paths:
        fs, path = fsspec.core.url_to_fs(raw)
        try:
            info = fs.info(path)
        except (FileNotFoundError, NotADirectoryError):
            yield Source(raw, printable_name(raw), error="no such file or folder")
            continue
        if info["type"] == "directory":
            if _folder_key(raw) != skip:
                yield from _walk(fs, path, raw.rstrip("/"), "", skip)
        else:
            yield Source(_url(fs, path), printable_name(raw), info.get("size"))


def _folder_key(url: str) -> str:
    fs, path = fsspec.core.url_to_fs(url)
    return os.path.realpath(path) if isinstance(fs, LocalFileSystem) else fs.unstrip_protocol(path.rstrip("/"))


def _walk(fs: fsspec.AbstractFileSystem, path: str, shown: str, relative: str, skip: str | None) -> Iterator[Source]:
    # One folder's listing is held at a time (sorted, for a stable order), never the whole tree's.
    try:
        entries = sorted(fs.ls(path, detail=True), key=lambda entry: entry["name"])
    except OSError as error:
        yield Source(path, printable_name(shown), error=f"cannot read folder: {error.strerror or 'I/O error'}")
        return
    for entry in entries:
        base = entry["name"].rstrip("/").rsplit("/", 1)[-1]
        inner = f"{relative}{base}"
        if base.startswith(".") or _is_litter(inner + ("/" if entry["type"] == "directory" else "")):
            continue
        if entry["type"] == "directory":
            if _folder_key(_url(fs, entry["name"].rstrip("/"))) != skip:
                yield from _walk(fs, entry["name"], f"{shown}/{base}", inner + "/", skip)
        else:
            yield Source(_url(fs, entry["name"]), printable_name(f"{shown}/{base}"), entry.get("size"))


def _url(fs: fsspec.AbstractFileSystem, path: str) -> str:
    # Local files keep a plain absolute path: read with open(), without fsspec's cost per file.
    return path if isinstance(fs, LocalFileSystem) else fs.unstrip_protocol(path)


def read_source(source: Source) -> list[tuple[str, InputFile]]:
    """The source's letters (a zip's entries, or itself) with their keys; never raises."""
    if source.error:
        return [_unread(source.name, source.error)]
    is_zip = source.url.lower().endswith(".zip")
    limit = MAX_ZIP_EXPANDED_BYTES if is_zip else MAX_FILE_BYTES
    if source.size is not None and source.size > limit:
        return [_unread(source.name, _too_large(source.size, limit))]
    try:
        with (fsspec.open(source.url, "rb") if "://" in source.url else open(source.url, "rb")) as file:
            data = file.read(limit + 1)
    except OSError as error:
        return [_unread(source.name, f"cannot read file: {error.strerror or 'I/O error'}")]
    if len(data) > limit:
        return [_unread(source.name, _too_large(len(data), limit))]
    items = expand_upload(source.name, data) if is_zip else [InputFile(name=source.name, data=data)]
    return [(content_key(item), item) for item in items]


def content_key(item: InputFile) -> str:
    if item.data:
        return sha256(item.data)
    return sha256((UNREAD_KEY_PREFIX + item.name).encode("utf-8", "surrogatepass"))


def _unread(name: str, error: str) -> tuple[str, InputFile]:
    item = InputFile(name=name, error=error)
    return content_key(item), item


def _too_large(size: int, limit: int) -> str:
    return f"file too large ({size // 2**20} MB; limit {limit // 2**20} MB)"
