"""Evaluate `casebook draft` against the gold records (tests/gold/cases) over ../shared/sources.

    .venv/bin/python scripts/eval_draft.py [--sources DIR] [--leftovers]

Prints the tables that docs-notes/draft.md shows (the measures, then every source field against the
gold records: right / same words in another form / wrong / left empty), then what each source missed; with --leftovers also
what `casebook check` still reports on every draft once its marks are removed (the "confirm
everything, change nothing else" table). The logic is in casebook/draft/evaluate.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from casebook.draft.evaluate import evaluate, fields_table, leftovers, leftovers_table, misses, table
from casebook.paths import project_root
from casebook.verify import default_sources_dir


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", default=str(default_sources_dir()))
    parser.add_argument("--gold", default=str(project_root() / "tests" / "gold" / "cases"))
    parser.add_argument("--leftovers", action="store_true", help="also check every draft with its marks removed")
    args = parser.parse_args()
    sources = Path(args.sources)
    if not sources.is_dir():
        print(f"skipped: no sources folder {sources} (the articles are not redistributed)", file=sys.stderr)
        return 2
    result = evaluate(sources, Path(args.gold))
    print(table(result))
    print()
    print(fields_table(result))
    print()
    print(misses(result))
    if args.leftovers:
        with tempfile.TemporaryDirectory() as tmp:
            print()
            print(leftovers_table(leftovers(sources, Path(tmp))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
