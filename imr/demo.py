"""The embedded demo corpus: synthetic letters in data/demo/*.pdf, parsed like any upload."""
from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path

from imr.models import Letter
from imr.uploads import parse_uploads

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_LABEL = "synthetic demo data"


def demo_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or DEMO_DIR).glob("*.pdf"))


def load_demo(cache: MutableMapping[str, Letter] | None = None, directory: Path | None = None) -> list[Letter]:
    uploads = [(path.name, path.read_bytes()) for path in demo_files(directory)]
    return parse_uploads(uploads, {} if cache is None else cache)
