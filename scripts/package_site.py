"""Package a built site as the release archive ``casebook-site-<label>.tar.gz`` (reproducible).

    .venv/bin/python scripts/package_site.py [--site site] [--out build] [--label LABEL]

The label defaults to the date of SOURCE_DATE_EPOCH (else of the last commit) and the short commit,
e.g. ``casebook-site-2026-11-23-e82b36c1f0.tar.gz``. The logic lives in ``casebook/archive.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casebook.archive import ArchiveError, default_label, epoch_from_env, make_archive, short_commit
from casebook.build import source_date_epoch
from casebook.paths import project_root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把构建好的网站打包成可复现的 casebook-site-<标签>.tar.gz")
    parser.add_argument("--site", default="site", help="构建好的网站文件夹（默认 site）")
    parser.add_argument("--out", default="build", help="存档写到这个文件夹（默认 build）")
    parser.add_argument("--label", help="文件名里的标签（默认：日期-提交号）")
    args = parser.parse_args(argv)
    root = project_root()
    try:
        epoch = epoch_from_env(default=int(source_date_epoch(root)))
        label = args.label or default_label(epoch, short_commit(root))
        path = make_archive(Path(args.site), Path(args.out), label, epoch)
    except ArchiveError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
