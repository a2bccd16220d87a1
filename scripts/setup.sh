#!/usr/bin/env bash
# Set up everything the Casebook needs, idempotently: a Python virtual environment with the locked
# packages (requirements.lock), the npm data and test packages (package-lock.json) and, with
# --browser, Debian's chromium and a CJK font for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=".venv/.casebook-lock-$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.lock
  .venv/bin/python -m pip install --quiet --no-deps -e .
  rm -f .venv/.casebook-lock-*
  touch "$stamp"
fi

nstamp="node_modules/.casebook-lock-$(sha256sum package-lock.json | cut -c1-16)"
if [ ! -f "$nstamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch "$nstamp"
fi

if [ "${1:-}" = "--browser" ]; then
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)  # the print tests read Chromium's PDFs
  if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi
