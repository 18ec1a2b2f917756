#!/usr/bin/env bash
# Create .venv and install the project's Python packages and Debian's Tesseract (scanned letters);
# with --dev also the test tools and the Debian Chromium that the browser test drives. Safe to run again: it reinstalls only when the
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
# Debian packages: Tesseract reads scanned letters (the app and parser work without it, and say so);
# the browser test drives Chromium.
debian=()
command -v tesseract >/dev/null 2>&1 || debian+=(tesseract-ocr tesseract-ocr-eng)
[ "${1:-}" = "--dev" ] && ! command -v chromium >/dev/null 2>&1 && debian+=(chromium)
if [ ${#debian[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${debian[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debian[@]}" >/dev/null
  elif [ "${1:-}" = "--dev" ] && ! command -v chromium >/dev/null 2>&1; then
    echo "setup: the tests need Debian packages: sudo apt-get install ${debian[*]}" >&2
    exit 1
  else
    echo "setup: to read scanned letters install Tesseract: sudo apt-get install ${debian[*]}" >&2
  fi
fi
