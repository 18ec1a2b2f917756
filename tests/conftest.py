import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED_LETTER = ROOT.parent / "shared" / "samples" / "seed-letter.txt"


@pytest.fixture(scope="session")
def seed_letter_path() -> Path:
    if not SEED_LETTER.exists():
        pytest.skip(f"the real sample letter is not here ({SEED_LETTER.relative_to(ROOT.parent)} beside the checkout)")
    return SEED_LETTER
