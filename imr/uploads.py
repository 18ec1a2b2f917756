"""Uploaded files -> Letters, for one browser session.

Each upload is read, expanded (a .zip) and parsed once, in the guarded worker processes of
`imr.batch`; the session then keeps the parsed records, not the uploaded bytes, so a rerun costs
nothing and memory holds letters, not archives. The same content uploaded twice is parsed once. A
session may expand at most `budget.SESSION_UPLOAD_BYTES`; files past it get an error record.

The app, the demo loader and the benchmark all go through `UploadSession`, so what is measured is
what runs.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from imr import budget
from imr.batch import PageCallback, ProgressCallback, parse_guarded
from imr.extract import expand_upload
from imr.models import InputFile, Letter


@dataclass(frozen=True)
class Upload:
    key: str  # stable for one uploaded file across reruns (the browser upload's id)
    name: str
    read: Callable[[], bytes]  # called once, the first time the upload is seen


@dataclass
class UploadSession:
    workers: int = 1
    letters_by_upload: dict[str, list[Letter]] = field(default_factory=dict)
    parsed_by_content: dict[str, Letter] = field(default_factory=dict)
    expanded_bytes: int = 0

    def letters(self, uploads: Sequence[Upload], on_progress: ProgressCallback | None = None,
                on_page: PageCallback | None = None) -> list[Letter]:
        """Letters of the current uploads, in upload order; new uploads are parsed now."""
        new = [upload for upload in uploads if upload.key not in self.letters_by_upload]
        if new:
            self._add(new, on_progress, on_page)
        current = {upload.key for upload in uploads}
        self.letters_by_upload = {key: value for key, value in self.letters_by_upload.items() if key in current}
        return [letter for upload in uploads for letter in self.letters_by_upload[upload.key]]

    def _add(self, uploads: Sequence[Upload], on_progress: ProgressCallback | None, on_page: PageCallback | None) -> None:
        items: list[tuple[str, InputFile, str | None]] = []  # (upload key, item, content hash)
        for upload in uploads:
            self.letters_by_upload[upload.key] = []
            for item in expand_upload(upload.name, upload.read()):
                size = len(item.data or b"")
                if item.data is not None and self.expanded_bytes + size > budget.SESSION_UPLOAD_BYTES:
                    item = InputFile(name=item.name, error=f"upload budget reached ({budget.SESSION_UPLOAD_BYTES // 2**20} MB "
                                                           "of letters in this session): remove some files first")
                self.expanded_bytes += size if item.data is not None else 0
                digest = hashlib.sha256(item.data).hexdigest() if item.data is not None else None
                items.append((upload.key, item, digest))
        to_parse = {digest: item for _, item, digest in items if digest and digest not in self.parsed_by_content}
        parsed = parse_guarded(list(to_parse.values()), workers=self.workers, on_progress=on_progress, on_page=on_page)
        for digest, letter in zip(to_parse, parsed):
            # The bytes are not kept: the record is what the session holds.
            self.parsed_by_content[digest] = letter
        for key, item, digest in items:
            letter = self.parsed_by_content[digest] if digest else Letter(file=item.name, status="error", error=item.error)
            self.letters_by_upload[key].append(letter if letter.file == item.name else replace(letter, file=item.name))
