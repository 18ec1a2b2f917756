"""Every record the parser makes keeps the contract: the exact keys, and values from the fixed sets."""
from pathlib import Path

import imr
import synth
from imr.models import BODY_PARTS, CATEGORIES, CITATION_ROLES, OUTCOMES, OVERALL_OUTCOMES, STATUSES, Letter

FIXTURES = Path(__file__).parent / "fixtures"
LETTER_KEYS = list(Letter(file="x").to_dict())


def _records() -> list[dict]:
    letters = [imr.parse_bytes(letter.pdf_bytes(), letter.name) for letter in synth.generate(8, seed=41)]
    letters += [imr.parse_file(path) for path in sorted(FIXTURES.glob("letters*/*")) if path.suffix in (".pdf", ".txt")]
    letters += [imr.parse_bytes(b"not a letter at all", "junk.txt")]
    return [letter.to_dict() for letter in letters]


def test_records_keep_the_contract():
    records = _records()
    assert len(records) > 100
    for record in records:
        assert list(record) == LETTER_KEYS
        assert record["status"] in STATUSES
        assert record["overall_outcome"] in (*OVERALL_OUTCOMES, None)
        assert set(record["body_parts"]) <= set(BODY_PARTS)
        assert record["status"] != "error" or (record["error"] and not record["decisions"])
        for decision in record["decisions"]:
            assert list(decision) == ["treatment", "quantity", "outcome", "original_request", "authorized_portion", "category", "subcategory",
                                      "body_region", "drug", "strength", "claims_administrator_guideline",
                                      "reviewer_guideline", "citations", "reasons", "guideline_limit", "prior_quantity",
                                      "over_limit", "rationale"]
            assert decision["outcome"] in (*OUTCOMES, None) and decision["category"] in CATEGORIES
            assert decision["quantity"] is None or isinstance(decision["quantity"], (int, float))
            for citation in decision["citations"]:
                assert list(citation) == ["role", "text", "source", "section", "pages", "score", "year", "chapter", "catalogue_id"]
                assert citation["role"] in CITATION_ROLES and 0 <= citation["score"] <= 100
