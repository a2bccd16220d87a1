"""``casebook new``: a skeleton record at the right path, with the schema line and a comment per field.

Answers come from options or, on a terminal, from prompts. With every answer given the file passes
``casebook check``; a question left blank leaves the field empty, and the checker lists each such
field by line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

import jinja2

from .divisions import LEVELS, PARENT_LEVEL, Division, divisions
from .paths import SCHEMA, TEMPLATES
from .vocab import province_by_code

QUESTIONS = [
    # (attribute, prompt, list-valued)
    ("case_id", "案例编号 id（小写字母、数字、连字符，如 longli-drivers-home）", False),
    ("region", "地区代码（县级 6 位或乡镇街道 9 位，如 522730）", False),
    ("title", "标题", False),
    ("model", "模式名称（照原文，如 “三家”工程）", False),
    ("theme", "专题（如 new-employment-groups）", False),
    ("actor_name", "实施主体名称（如 龙里县委组织部）", False),
    (
        "actor_level",
        "实施主体层级（province/city/county/street-town/community-village/enterprise/industry-body）",
        False,
    ),
    ("groups", "服务对象，逗号分隔（如 couriers,delivery-riders）", True),
    ("topics", "措施类型，逗号分隔（如 service-stations）", True),
    ("summary", "概述（自己的话）", False),
    ("measure_name", "第一条措施的名称（原文有名称时）", False),
    ("measure_topic", "第一条措施的类型（如 service-stations）", False),
    ("measure_text", "第一条措施的内容", False),
    ("reported", "报道时间（2022、2022-12 或 2022-12-06）", False),
    ("source_kind", "出处类型（newspaper / briefing / web / other）", False),
    ("source_publication", "报刊名或发文单位（未印出时留空）", False),
    ("source_title", "原文标题", False),
    ("source_date", "原文日期（2022、2022-12 或 2022-12-06）", False),
]


def find_unit(code: str) -> list[tuple[str, Division]]:
    """The chain province → … → the unit with ``code``, leaving out placeholder cities."""
    divs = divisions()
    order = ["village", "town", "county", "city", "province"] if len(code) != 6 else ["county", "city", "province"]
    unit = next((d for lvl in order if (d := divs.get(code, lvl)) is not None), None)
    if unit is None:
        raise ValueError(f"没有这个区划代码：{code}")
    chain = [(unit.level, unit)]
    while unit.level in PARENT_LEVEL:
        parent = divs.get(unit.parent or "", PARENT_LEVEL[unit.level])
        if parent is None:
            break
        if not parent.placeholder and not (parent.level == "county" and parent.code == unit.code):
            chain.append((parent.level, parent))
        unit = parent
    return sorted(chain, key=lambda lu: LEVELS.index(lu[0]))


def _yaml(value: str | None) -> str:
    return "" if value in (None, "") else json.dumps(value, ensure_ascii=False)


def _ask(args: argparse.Namespace) -> None:
    interactive = sys.stdin.isatty()
    for attr, prompt, _ in QUESTIONS:
        if getattr(args, attr, None) in (None, "") and interactive:
            setattr(args, attr, input(f"{prompt}：").strip())


def run_new(args: argparse.Namespace) -> int:
    _ask(args)
    if not args.case_id or not args.region:
        print("必须给出 id 和地区代码（--id、--region）", file=sys.stderr)
        return 2
    try:
        region = find_unit(args.region)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    term = province_by_code(region[0][1].code)
    folder = Path(args.cases_dir) / term.slug
    path = folder / f"{args.case_id}.yaml"
    if path.exists():
        print(f"{path} 已存在，不会覆盖", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True
    )
    lists = {
        a: [x.strip() for x in (getattr(args, a) or "").split(",") if x.strip()] for a, _, many in QUESTIONS if many
    }
    values = {
        a: _yaml(getattr(args, a, None)) for a, _, many in QUESTIONS if not many and a not in ("case_id", "region")
    }
    text = env.get_template("new_case.yaml.j2").render(
        schema=os.path.relpath(SCHEMA, folder.resolve()).replace(os.sep, "/"),
        path=path.as_posix(),
        id=args.case_id,
        added=args.date or dt.date.today().isoformat(),
        region=region,
        **{**values, "source_publication": values["source_publication"] or "null"},
        **{k: json.dumps(v, ensure_ascii=False) if v else "" for k, v in lists.items()},
    )
    path.write_text(text, encoding="utf-8")
    print(f"已创建 {path}。填写后运行：casebook check {path}")
    return 0
