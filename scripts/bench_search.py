"""Search benchmark (index time, bytes, query latency in headless Chromium): see casebook/benchsearch.py.

Usage: .venv/bin/python scripts/bench_search.py [--sizes 1000 10000] [--out bench-out/search] [--reuse]
"""

import sys

from casebook.benchsearch import main

sys.exit(main())
