"""The embedded demo corpus: synthetic letters in data/demo/*.pdf, parsed like any upload."""
from __future__ import annotations

import os
from pathlib import Path

from imr.models import Letter
from imr.uploads import Upload, UploadSession

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_LABEL = "synthetic demo data"


def demo_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or DEMO_DIR).glob("*.pdf"))


def load_demo(directory: Path | None = None) -> list[Letter]:
    uploads = [Upload(path.name, path.name, path.read_bytes) for path in demo_files(directory)]
    return UploadSession(workers=min(2, os.cpu_count() or 1)).letters(uploads)
