"""Load one YAML record strictly, keeping the line of every value.

YAML 1.1 surprises never reach the data: only ``true``/``false``, ``null``, plain decimal
integers and decimal fractions are resolved; ``NO``, ``on``, ``0800``, ``12:30`` and dates stay
text. Anchors, aliases, explicit tags and duplicate keys are errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

Path_ = tuple[str | int, ...]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """libyaml's parser with a YAML 1.2-core-like, smaller set of implicit types."""

    yaml_implicit_resolvers: dict = {}


_BOOLS = frozenset(["true", "True", "TRUE", "false", "False", "FALSE"])
_NULLS = frozenset(["~", "null", "Null", "NULL", ""])
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?")


def _resolve(self, kind, value, implicit):  # noqa: ANN001
    """Tag of an untagged node: only null, true/false, decimal int and float; everything else is text."""
    if kind is yaml.ScalarNode:
        if not implicit[0]:
            return STR
        if value in _NULLS:
            return NULL
        if value in _BOOLS:
            return BOOL
        if value[0] in "-+0123456789":
            if _INT.fullmatch(value):
                return INT
            if _FLOAT.fullmatch(value):
                return FLOAT
        return STR
    return SEQ if kind is yaml.SequenceNode else MAP


_StrictLoader.resolve = _resolve


@dataclass
class Loaded:
    """A record's data and the 1-based line of each value, keyed by its path."""

    path: str
    data: Any = None
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, where: Path_) -> int:
        """The line of the value at ``where``, or of its nearest ancestor that has one."""
        where = tuple(where)
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return self.lines.get((), 1)


_YAML_HINTS = [
    ("mapping values are not allowed", "这里多了一个冒号：文本里有“: ”时，请给整段文字加上引号"),
    ("could not find expected ':'", "缺少冒号，或上一行的引号没有配对"),
    ("found character '\\t'", "用了制表符（Tab）缩进，请改用空格"),
    ("found unexpected end of stream", "引号没有配对"),
    ("found undefined alias", "不能使用别名（*）"),
    ("did not find expected key", "缩进不对齐，或列表项前缺少“- ”"),
    ("did not find expected '-' indicator", "列表的缩进不对齐"),
    ("found unknown escape character", "双引号里的反斜杠“\\”需要写成“\\\\”，或改用单引号"),
    ("expected <block end>, but found", "缩进不对齐"),
    ("found a tab character", "用了制表符（Tab），请改用空格"),
    (
        "found character that cannot start any token",
        "这里有不能开头的字符（常见：制表符 Tab，或以 @、` 开头的文字需要加引号）",
    ),
    ("did not find expected ',' or ']'", "方括号 [ ] 列表没有闭合"),
    ("did not find expected ',' or '}'", "花括号 { } 没有闭合"),
]

_FULLWIDTH_COLON = re.compile(r"^[ \t]*(?:-[ \t]+)?[A-Za-z_][A-Za-z0-9_]*[ \t]*：", re.M)
_IDEOGRAPHIC_INDENT = re.compile(r"^[ ]*\u3000", re.M)
_TAB_INDENT = re.compile(r"^[ ]*\t", re.M)


def _slip_problems(path: str, text: str) -> list[Problem]:
    """Input-method slips that YAML reports badly or not at all."""
    out: list[Problem] = []
    if text.startswith("\ufeff"):
        out.append(Problem(path, 1, "文件开头有 BOM（字节顺序标记）：请在编辑器里另存为“UTF-8（无 BOM）”"))
    if "\r\n" in text:
        line = text[: text.index("\r\n")].count("\n") + 1
        out.append(Problem(path, line, "换行符是 Windows 的 CRLF：请在编辑器里改为 LF（Unix）换行"))
    for needle, pattern, message in (
        ("：", _FULLWIDTH_COLON, "键名后面用了全角冒号“：”，请改成半角冒号“:”并在后面加一个空格"),
        ("\u3000", _IDEOGRAPHIC_INDENT, "行首有全角空格（　），请改用半角空格缩进"),
        ("\t", _TAB_INDENT, "行首用了制表符（Tab），YAML 只能用空格缩进"),
    ):
        if needle in text:
            for match in pattern.finditer(text):
                out.append(Problem(path, text.count("\n", 0, match.start()) + 1, message))
    return out


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "格式错误"
    for needle, hint in _YAML_HINTS:
        if needle in problem or needle in str(exc.context or ""):
            return f"YAML 格式错误：{hint}"
    return f"YAML 格式错误：{problem}"


def load_text(path: str, text: str) -> Loaded:
    """Parse ``text`` (the content of ``path``) into a :class:`Loaded`; never raises for bad input."""
    out = Loaded(path)
    out.problems.extend(_slip_problems(path, text))
    body = text.lstrip("\ufeff").replace("\r\n", "\n")
    loader = _StrictLoader(body)
    try:
        if ("&" in body or "*" in body) and _has_anchor_or_alias(path, body, out):
            return out
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1) if mark else 1
        # An input-method slip on that line already explains the syntax error.
        if not any(p.line == line for p in out.problems):
            out.problems.append(Problem(path, line, _yaml_message(exc)))
        return out
    except yaml.YAMLError as exc:  # reader errors: control characters, bad encoding
        out.problems.append(Problem(path, 1, f"文件无法读取：{exc}"))
        return out
    finally:
        loader.dispose()
    if node is None:
        out.problems.append(Problem(path, 1, "文件是空的：请按 CONTRIBUTING.md 的样例填写"))
        return out
    out.data = _build(node, (), out)
    return out


def _has_anchor_or_alias(path: str, body: str, out: Loaded) -> bool:
    found = False
    for event in yaml.parse(body, Loader=_StrictLoader):
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            out.problems.append(
                Problem(path, event.start_mark.line + 1, f"不能使用 YAML 别名（*{anchor}）：请把内容直接写出来")
            )
            found = True
        elif anchor:
            out.problems.append(
                Problem(path, event.start_mark.line + 1, f"不能使用 YAML 锚点（&{anchor}）：请把内容直接写出来")
            )
            found = True
    return found


def _build(node: yaml.Node, where: Path_, out: Loaded) -> Any:
    out.lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        if node.tag != MAP:
            return _bad_tag(node, where, out)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                out.problems.append(Problem(out.path, line, "键名必须是简单的文字（不能用 <<、列表或映射作键）"))
                continue
            key = key_node.value
            if key in result:
                first = out.lines.get((*where, key), line)
                out.problems.append(
                    Problem(out.path, line, f"字段“{key}”重复出现（第一次在第 {first} 行）：每个字段只能写一次")
                )
                continue
            result[key] = _build(value_node, (*where, key), out)
            # A field is reported at its key's line (a list or mapping value starts below it).
            out.lines[(*where, key)] = line
        return result
    if isinstance(node, yaml.SequenceNode):
        if node.tag != SEQ:
            return _bad_tag(node, where, out)
        return [_build(item, (*where, i), out) for i, item in enumerate(node.value)]
    return _scalar(node, where, out)


def _scalar(node: yaml.ScalarNode, where: Path_, out: Loaded) -> Any:
    tag, value = node.tag, node.value
    if tag == STR:
        return value
    if tag == INT:
        return int(value)
    if tag == FLOAT:
        return float(value)
    if tag == BOOL:
        return value.lower() == "true"
    if tag == NULL:
        return None
    return _bad_tag(node, where, out)


def _bad_tag(node: yaml.Node, where: Path_, out: Loaded) -> None:
    out.problems.append(
        Problem(out.path, node.start_mark.line + 1, f"不能使用 YAML 标签（{node.tag}）：请直接写文字、数字或列表")
    )
    return None


def load_file(path: Path, display: str | None = None) -> Loaded:
    """Read and parse one record file; a file that is not UTF-8 is reported, not raised."""
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Loaded(shown, problems=[Problem(shown, 0, f"无法读取文件：{exc.strerror}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Loaded(shown, problems=[Problem(shown, line, "文件不是 UTF-8 编码：请在编辑器里另存为 UTF-8")])
    return load_text(shown, text)
