#!/usr/bin/env bash
# The main job: set up, check every record, build the site and serve it with live reload on
# http://127.0.0.1:${PORT:-8000}/ (editing a record under cases/ reloads its page).
# PORT=8001 bash scripts/serve.sh serves on another port (default 8000).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-8000}"
if ! [[ "$port" =~ ^[0-9]+$ ]] || (( 10#$port < 1 || 10#$port > 65535 )); then
  echo "PORT 应是 1–65535 之间的端口号，现在是“$port”" >&2
  exit 2
fi
bash scripts/setup.sh
.venv/bin/casebook check
# --dirty: a rebuild re-renders only the pages an edit changed (hooks/casebook_hook.py keeps it exact).
exec .venv/bin/mkdocs serve --dirty --dev-addr "127.0.0.1:$((10#$port))" --livereload
