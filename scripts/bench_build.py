"""Build benchmark: `python scripts/bench_build.py [N ...]` (default 100 1000 10000). See casebook/bench.py."""

from casebook.bench import main

raise SystemExit(main())
