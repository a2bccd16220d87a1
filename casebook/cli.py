"""The ``casebook`` command: check, new, generate, docs, build."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from .paths import project_root
from .problems import errors, summary


def _check(args: argparse.Namespace) -> int:
    from .check import check_paths
    from .divisions import DivisionsMissing

    paths = [Path(p) for p in args.paths] or [project_root() / "cases"]
    try:
        records, problems = check_paths(paths, context=project_root() / "cases", slim=True)
    except DivisionsMissing as exc:
        print(exc, file=sys.stderr)
        return 2
    for p in problems:
        print(p.annotation() if args.format == "github" else str(p))
    failed = bool(errors(problems))
    print(summary(problems, checked=len(records)), file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def _generate(args: argparse.Namespace) -> int:
    from .generate import generate

    if not re.fullmatch(r"[a-z][a-z0-9]{0,11}", args.prefix):
        print(f"--prefix “{args.prefix}” 不合格式：小写字母开头，只用小写字母和数字，最多 12 个字符", file=sys.stderr)
        return 2
    try:
        n = generate(args.count, Path(args.out), seed=args.seed, prefix=args.prefix)
    except FileExistsError as exc:
        print(
            f"{exc.filename} 已经存在：casebook generate 不覆盖已有文件，请换一个 --prefix 或输出文件夹",
            file=sys.stderr,
        )
        return 1
    print(f"已生成 {n} 个案例记录到 {args.out}")
    return 0


def _new(args: argparse.Namespace) -> int:
    from .new import run_new

    return run_new(args)


def _docs(args: argparse.Namespace) -> int:
    from .build import stop_cleanly
    from .problems import ProblemsFound, report
    from .site import generate, generation_options
    from .write import docs_dir_problem

    problem = docs_dir_problem(Path(args.docs), Path(args.cases), project_root())
    if problem:
        print(problem, file=sys.stderr)
        return 1
    try:
        with stop_cleanly():
            result = generate(Path(args.cases), Path(args.docs), generation_options())
    except ProblemsFound as exc:
        report(exc.problems)
        return 1
    except KeyboardInterrupt as exc:
        print("生成已中断（已写入的页面留在原处，下次生成时更新）。", file=sys.stderr)
        return 128 + getattr(exc, "signum", 2)
    s = result.stats
    print(
        f"{len(result.catalog.all_records)} 个案例：写入 {s.written} 个文件，{s.unchanged} 个未变，删除 {s.removed} 个（"
        + "，".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
        + "）"
    )
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build import safe_build, stop_cleanly

    try:
        with stop_cleanly():
            return safe_build(
                site_dir=Path(args.site_dir), config=Path(args.config), search=not args.no_search, wait=args.wait
            )
    except KeyboardInterrupt as exc:
        print("构建已中断：临时文件已清理，网站文件夹保持原样。", file=sys.stderr)
        return 128 + getattr(exc, "signum", 2)


def _verify(args: argparse.Namespace) -> int:
    from .verify import default_sources_dir, exit_code, summary, verify

    paths = [Path(p) for p in args.paths] or [project_root() / "cases"]
    sources = Path(args.sources) if args.sources else default_sources_dir()
    result = verify(paths, sources_dir=sources, source_file=Path(args.source) if args.source else None)
    for p in result.problems:
        print(p.annotation() if args.format == "github" else str(p))
    code = exit_code(result)
    print(summary(result), file=sys.stderr if code else sys.stdout)
    return code


def _draft(args: argparse.Namespace) -> int:
    from .draft import run_draft

    return run_draft(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="casebook", description="党建引领新就业群体·典型案例库 工具")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="检查案例记录（默认检查 cases/ 下全部）")
    p.add_argument("paths", nargs="*", help="要检查的文件或文件夹")
    p.add_argument("--format", choices=["text", "github"], default="text", help="github：输出 PR 行内批注")
    p.set_defaults(func=_check)

    p = sub.add_parser("generate", help="生成 N 个逼真的测试记录（基准测试用）")
    p.add_argument("count", type=int)
    p.add_argument("out", help="输出文件夹（其下按省份分文件夹）")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--prefix", default="gen", help="id 的前缀（默认 gen：gen-<省份>-00001）")
    p.set_defaults(func=_generate)

    p = sub.add_parser("new", help="新建一个案例记录骨架（缺的答案会逐项询问）")
    from .new import QUESTIONS

    for attr, prompt, _ in QUESTIONS:
        flag = "--id" if attr == "case_id" else "--" + attr.replace("_", "-")
        p.add_argument(flag, dest=attr, help=prompt)
    p.add_argument("--cases-dir", default=str(project_root() / "cases"))
    p.add_argument("--date", help="收录日期，默认今天")
    p.set_defaults(func=_new)

    p = sub.add_parser("docs", help="只检查并生成 docs/ 下的页面和数据（构建的第一步；调试与基准测试用）")
    p.add_argument("--cases", default=str(project_root() / "cases"))
    p.add_argument("--docs", default=str(project_root() / "docs"))
    p.set_defaults(func=_docs)

    p = sub.add_parser("build", help="构建网站到临时文件夹，成功后才替换 site/")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--config", default="mkdocs.yml")
    p.add_argument("--no-search", action="store_true", help="不建搜索索引（只用于调试）")
    p.add_argument(
        "--wait",
        type=float,
        default=600,
        metavar="秒",
        help="另一个构建正占用同一网站文件夹时，最多等待的秒数（默认 600）",
    )
    p.set_defaults(func=_build)

    p = sub.add_parser(
        "verify",
        help="对照原文核对记录：印出的名称、数字、引语须与原文一字不差（编辑手里有原文时用）",
        description="对照原文核对记录。找不到的印出内容报错（退出码 1）；照抄原文的长句和原文里没有收录的数字只提示（退出码 0）；"
        "一个记录也没能核对时退出码 2。说明见 docs-notes/verify.md。",
    )
    p.add_argument("paths", nargs="*", help="要核对的记录文件或文件夹（默认 cases/ 下全部）")
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--sources",
        metavar="DIR",
        help="原文文件夹，按记录 sources[].file 找原文（默认：项目旁边的 ../shared/sources）",
    )
    group.add_argument("--source", metavar="FILE", help="一个原文文件，用于所有给出的记录")
    p.add_argument("--format", choices=["text", "github"], default="text", help="github：输出 PR 行内批注")
    p.set_defaults(func=_verify)

    p = sub.add_parser(
        "draft",
        help="从一篇文章起草案例记录（草稿，编辑逐项确认后才能发布）",
        description="读一篇纯文本文章，每个做法写一个草稿记录（status: draft，confirm 列出待核对的字段）；"
        "不覆盖已有文件，已收录的做法只提示。说明见 CONTRIBUTING.md 第 16 节。",
    )
    from .draft import add_arguments

    add_arguments(p)
    p.set_defaults(func=_draft)

    args = parser.parse_args(argv)
    return args.func(args)


def run() -> None:
    """The console script: ``main``, then exit without tearing down the heap.

    After a build the process holds every record, page and index entry (hundreds of megabytes at
    10,000 cases); freeing them one by one at exit takes about half a second and serves nothing.
    Output is flushed first; nothing else is pending (mypy exits the same way)."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
