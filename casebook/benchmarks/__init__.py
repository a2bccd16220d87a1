"""Benchmarks of the build, the search and the preview server (scripts/bench_*.py are the entry points).

Nothing in the core package imports this subpackage (tests/test_benchmarks.py checks it): checking,
building and serving never load it. ``project_copy`` (a copy of the project to build in) is also
used by the tests.
"""

from .build import project_copy

__all__ = ["project_copy"]
