"""Parse California workers' compensation IMR Final Determination Letters into structured records."""
from imr.models import Citation, Decision, Letter
from imr.parse import parse_bytes, parse_file, parse_text

__all__ = ["Citation", "Decision", "Letter", "parse_bytes", "parse_file", "parse_text"]
