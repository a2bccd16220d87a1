"""Build benchmark: `python scripts/bench_build.py [N ...]` (default 100 1000 10000). See casebook/benchmarks/build.py."""

from casebook.benchmarks.build import main

raise SystemExit(main())
