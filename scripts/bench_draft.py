"""Benchmark `casebook draft` on a 20,000-character article built from ../shared/sources.

.venv/bin/python scripts/bench_draft.py [--runs 5] [--chars 20000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casebook.draft.bench import long_article, report, run
from casebook.verify import default_sources_dir


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", default=str(default_sources_dir()))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chars", type=int, default=20_000)
    args = parser.parse_args()
    sources = sorted(Path(args.sources).glob("*.txt"))
    if not sources:
        print(f"skipped: no sources in {args.sources}", file=sys.stderr)
        return 2
    article = long_article(sources, args.chars)
    print(report(run(article, args.runs), len(article)))
    module = (sys.executable, "-m", "casebook.draft")
    print(report(run(article, args.runs, module), len(article), "python -m casebook.draft"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
