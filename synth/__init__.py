"""Synthetic IMR Final Determination Letters with known truth, and bad inputs, for testing the parser."""
try:
    import fpdf  # noqa: F401  - the generator typesets with fpdf2, a test tool
except ImportError as missing:  # say what to install rather than fail deep inside
    raise ImportError("the letter generator (and the benchmarks and tests that use it) needs the test tools: "
                      "run `bash scripts/setup.sh --dev` (installs requirements-dev.txt)") from missing

from synth.letters import LAYOUT_IDS, SyntheticLetter, build_letter, generate  # noqa: E402

__all__ = ["LAYOUT_IDS", "SyntheticLetter", "build_letter", "generate"]
