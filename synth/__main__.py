"""CLI: python -m synth letters|bad|demo ... (see --help)."""
from __future__ import annotations

import argparse
from pathlib import Path

from synth.corpus import write_bad, write_demo, write_letters
from synth.letters import LAYOUT_IDS, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synth", description="Synthetic IMR letters with known truth.")
    commands = parser.add_subparsers(dest="command", required=True)
    letters = commands.add_parser("letters", help="write N letters plus NAME.truth.json each")
    letters.add_argument("--out", type=Path, required=True)
    letters.add_argument("--n", type=int, default=20)
    letters.add_argument("--seed", type=int, default=0)
    letters.add_argument("--layouts", default=",".join(LAYOUT_IDS), help=f"comma-separated, from {','.join(LAYOUT_IDS)}")
    letters.add_argument("--format", choices=("pdf", "txt", "both"), default="pdf")
    bad = commands.add_parser("bad", help="write the bad-input files")
    bad.add_argument("--out", type=Path, required=True)
    demo = commands.add_parser("demo", help="write the 64-letter demo corpus and its README")
    demo.add_argument("--out", type=Path, default=Path("data/demo"))
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--truth", action="store_true", help="also write NAME.truth.json files")
    args = parser.parse_args(argv)

    if args.command == "letters":
        layouts = [name.strip() for name in args.layouts.split(",") if name.strip()]
        paths = write_letters(generate(args.n, args.seed, layouts), args.out, args.format)
    elif args.command == "bad":
        paths = write_bad(args.out)
    else:
        paths = write_demo(args.out, args.seed, args.truth)
    print(f"wrote {len(paths)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
