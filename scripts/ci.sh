#!/usr/bin/env bash
# The whole CI pipeline as one plain script, for any forge or runner (GitLab CI, Gitea/Forgejo
# Actions, Jenkins, a cron job): set up, check the records, run the test suite, build the site with
# the documented command, and package the release archive into build/.
#
#   bash scripts/ci.sh              # everything
#   bash scripts/ci.sh --no-tests   # set up, check, build, archive (e.g. a publish job after tested CI)
#
# Set CASEBOOK_EDIT_BASE (the forge's edit URL of the repository, ending in /) for edit links, and
# CASEBOOK_CHECK_FORMAT=github under GitHub/Gitea Actions for annotations on the record's line.
set -euo pipefail
cd "$(dirname "$0")/.."

tests=1
for arg in "$@"; do
  case "$arg" in
    --no-tests) tests=0 ;;
    *) echo "usage: bash scripts/ci.sh [--no-tests]" >&2; exit 2 ;;
  esac
done

step() { printf '\n==> %s\n' "$*"; }

export NO_MKDOCS_2_WARNING=1

step "set up"
if [ "$tests" -eq 1 ]; then
  bash scripts/setup.sh --browser
else
  bash scripts/setup.sh
fi

step "check the records"
.venv/bin/casebook check --format "${CASEBOOK_CHECK_FORMAT:-text}"

if [ "$tests" -eq 1 ]; then
  step "tests"
  bash scripts/test.sh
fi

step "build the site"
.venv/bin/casebook build

step "package the release archive"
archive=$(.venv/bin/python scripts/package_site.py --site site --out build)
echo "site:    site/"
echo "archive: $archive"
