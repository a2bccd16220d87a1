"""Edit-to-reload time under `mkdocs serve`: `python scripts/bench_serve.py [N]` (default 1000)."""

import sys

from casebook.bench import serve_reload
from casebook.paths import project_root

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
print(f"mkdocs serve, {n} cases: edit → page shows it in {serve_reload(n, project_root() / 'bench-out'):.1f} s")
