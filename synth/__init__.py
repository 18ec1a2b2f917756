"""Synthetic IMR Final Determination Letters with known truth, and bad inputs, for testing the parser."""
from synth.letters import LAYOUT_IDS, SyntheticLetter, build_letter, generate

__all__ = ["LAYOUT_IDS", "SyntheticLetter", "build_letter", "generate"]
