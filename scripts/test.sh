#!/usr/bin/env bash
# Set up (first run only) and run every test, the browser test included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
exec .venv/bin/python -m pytest "$@"
