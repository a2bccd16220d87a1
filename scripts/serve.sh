#!/usr/bin/env bash
# The main job: set up, check every record, build the site and serve it with live reload on
# http://127.0.0.1:8000/ (editing a record under cases/ reloads its page).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/casebook check
# --dirty: a rebuild re-renders only the pages an edit changed (hooks/casebook_hook.py keeps it exact).
exec .venv/bin/mkdocs serve --dirty --dev-addr 127.0.0.1:8000 --livereload
