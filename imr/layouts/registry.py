"""The layout registry: every layout parser, and the choice of the one whose cues a text matches best.
A new layout is one new module here plus one line in LAYOUTS."""
from __future__ import annotations

import re

from imr.clean import ascii_lower
from imr.layouts.base import LayoutParser
from imr.layouts.determination import DeterminationLayout
from imr.layouts.maximus_2014 import Maximus2014Layout
from imr.layouts.notice_2013 import Notice2013Layout
from imr.layouts.professional_review import ProfessionalReviewLayout

LAYOUTS: tuple[LayoutParser, ...] = (Notice2013Layout(), ProfessionalReviewLayout(), Maximus2014Layout(), DeterminationLayout())
# Fewer matching cues than this, in a text that never names IMR, is not an IMR letter.
MIN_CUES = 2
_IMR_MENTION = re.compile(r"Independent\s+Medical\s+Review|\bIMR\b", re.IGNORECASE)


def detect_layout(text: str) -> LayoutParser | None:
    """The best-matching layout, or None when the text is not recognizably an IMR letter."""
    lowered = ascii_lower(text)
    scored = sorted(((layout.detect(lowered), -order, layout) for order, layout in enumerate(LAYOUTS)), key=lambda s: s[:2], reverse=True)
    score, _, layout = scored[0]
    if score >= MIN_CUES or (score >= 1 and _IMR_MENTION.search(text)):
        return layout
    return None

