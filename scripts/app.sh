#!/usr/bin/env bash
# Set up (first run only) and start the app: http://localhost:8501
# On the embedded demo corpus by default; on a Parquet corpus written by `imr ingest` with
#   IMR_CORPUS=DIR ./scripts/app.sh    or    ./scripts/app.sh -- --corpus DIR
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run app.py "$@"
