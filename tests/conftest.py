import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED_LETTER = ROOT.parent / "shared" / "samples" / "seed-letter.txt"


@pytest.fixture(scope="session")
def seed_letter_path() -> Path:
    if not SEED_LETTER.exists():
        pytest.fail(f"the real sample letter is missing: {SEED_LETTER}")
    return SEED_LETTER
