"""Search benchmark (index time, bytes, query latency in headless Chromium): see casebook/benchmarks/search.py.

Usage: .venv/bin/python scripts/bench_search.py [--sizes 1000 10000] [--out bench-out/search] [--reuse]
"""

import sys

from casebook.benchmarks.search import main

sys.exit(main())
