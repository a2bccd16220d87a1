"""Check every ``sources[].url`` in the records and report the dead ones — never fails (exit 0).

    .venv/bin/python scripts/check_source_links.py [PATH…] [--timeout S] [--workers N] [--max-urls N]

Prints one ``::warning file=…,line=…::`` per dead link under GitHub/Gitea Actions (``GITHUB_ACTIONS``
set, or ``--format github``), ``path:line: message`` otherwise, and appends a Markdown report to
``$GITHUB_STEP_SUMMARY`` when that is set. The logic lives in ``casebook/linkcheck.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from casebook import linkcheck
from casebook.paths import project_root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查案例出处的网址是否还能打开（只报告，不失败）")
    parser.add_argument("paths", nargs="*", help="记录文件或文件夹（默认 cases/）")
    parser.add_argument("--timeout", type=float, default=linkcheck.TIMEOUT, help="每个请求的超时（秒）")
    parser.add_argument("--workers", type=int, default=linkcheck.WORKERS, help="同时进行的请求数")
    parser.add_argument("--max-urls", type=int, default=linkcheck.MAX_URLS, help="最多检查多少个网址")
    parser.add_argument("--budget", type=float, default=linkcheck.BUDGET, help="超过这么多秒后不再发起新请求")
    parser.add_argument("--format", choices=["text", "github"], help="默认：在 Actions 里用 github，否则 text")
    args = parser.parse_args(argv)

    paths = [Path(p) for p in args.paths] or [project_root() / "cases"]
    items = linkcheck.collect_urls(paths)
    results, skipped = linkcheck.check_all(
        items, timeout=args.timeout, workers=args.workers, max_urls=args.max_urls, budget=args.budget
    )
    found = linkcheck.dead(items, results)
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") else "text")
    for line in linkcheck.annotations(found) if fmt == "github" else linkcheck.text_lines(found):
        print(line)
    print(f"出处链接：检查 {len(results)} 个网址，失效 {len({i.url for i, _ in found})} 个，未检查 {len(skipped)} 个。")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as f:
            f.write(linkcheck.summary_markdown(items, results, skipped))
    return 0


if __name__ == "__main__":
    sys.exit(main())
