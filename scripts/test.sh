#!/usr/bin/env bash
# The whole test suite: set up (including chromium and a CJK font for the browser tests), lint,
# check the real records, then run pytest. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
export NO_MKDOCS_2_WARNING=1
.venv/bin/ruff check casebook hooks scripts tests
.venv/bin/ruff format --check casebook hooks scripts tests
.venv/bin/casebook check
.venv/bin/python -m pytest -n 2 -q "$@"
