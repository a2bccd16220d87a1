"""Edit-to-reload time under `mkdocs serve`: `python scripts/bench_serve.py [N] [--full]` (default 1000).

Measures `mkdocs serve --dirty` (what scripts/serve.sh runs); `--full` measures plain `mkdocs serve`.
"""

import sys

from casebook.benchmarks.build import serve_reload
from casebook.paths import project_root

args = [a for a in sys.argv[1:] if not a.startswith("--")]
n = int(args[0]) if args else 1000
dirty = "--full" not in sys.argv
mode = "mkdocs serve --dirty" if dirty else "mkdocs serve"
shown, searched = serve_reload(n, project_root() / "bench-out", dirty=dirty)
print(f"{mode}, {n} cases: edit → page shows it in {shown:.1f} s", end="")
print(f"; search finds it {searched:.1f} s after the edit" if searched else "")
