#!/usr/bin/env bash
# Create .venv and install the project's Python packages; with --dev also the test tools and the
# Debian Chromium that the browser test drives. Safe to run again: it reinstalls only when the
# requirement files changed.
set -euo pipefail
cd "$(dirname "$0")/.."
want=requirements.txt
[ "${1:-}" = "--dev" ] && want=requirements-dev.txt
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
stamp=.venv/.installed-$(cat requirements.txt "$want" | sha256sum | cut -c1-16)-$(basename "$want")
if [ ! -f "$stamp" ]; then
  echo "setup: installing the Python packages of $want into .venv (first run: about a minute)..." >&2
  # pip's own lines (Collecting ..., Installing ...) are the progress; a failure stops here (set -e).
  .venv/bin/python -m pip install --disable-pip-version-check -r "$want" >&2
  touch "$stamp"
  echo "setup: done" >&2
fi
if [ "${1:-}" = "--dev" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: the browser test needs Debian's chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
