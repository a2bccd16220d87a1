"""Load one YAML record strictly, keeping the line of every value.

YAML 1.1 surprises never reach the data: only ``true``/``false``, ``null``, plain decimal
integers and decimal fractions are resolved; ``NO``, ``on``, ``0800``, ``12:30`` and dates stay
text. Anchors, aliases, explicit tags and duplicate keys are errors.

Hostile input is refused with a problem, never a crash: files over :data:`MAX_BYTES`, nesting
deeper than :data:`MAX_DEPTH` (checked before libyaml's recursive composer sees it), numbers that
are not finite, control characters, and anything that is not a regular file (symbolic links are
never followed). See docs-notes/safety-input.md.
"""

from __future__ import annotations

import errno
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

Path_ = tuple[str | int, ...]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 256 * 1024  # per record file; the largest real record is about 14 KB
MAX_DEPTH = 20  # nested lists/mappings; real records nest at most 4 deep
MAX_INT_DIGITS = 308  # more digits is not a finite number (float() overflows; int() fails past 4,300)
# A composer may recurse this deep before the exact (event) depth check is needed; see _depth_bound.
_COMPOSE_SAFE = 100

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
    if len(text) > MAX_BYTES // 4:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_BYTES:
            out.problems.append(_too_big(path, size, _line_at_byte(text.encode("utf-8", "surrogatepass"))))
            return out
    out.problems.extend(_slip_problems(path, text))
    body = text.lstrip("\ufeff").replace("\r\n", "\n")
    loader = None
    try:
        if (_depth_bound(body) > _COMPOSE_SAFE or "&" in body or "*" in body) and _scan_events(path, body, out):
            return out
        loader = _StrictLoader(body)  # libyaml takes UTF-8: a lone surrogate fails here already
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # The end of the stream may be marked on the line after the last one.
        line = min(mark.line + 1, _line_count(body)) if mark else 1
        # An input-method slip on that line already explains the syntax error.
        if not any(p.line == line for p in out.problems):
            out.problems.append(Problem(path, line, _yaml_message(exc)))
        return out
    except (yaml.YAMLError, UnicodeEncodeError):  # the reader: control characters, lone surrogates
        out.problems.extend(_bad_characters(path, body))
        return out
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        out.problems.append(Problem(path, 1, "文件是空的：请按 CONTRIBUTING.md 的样例填写"))
        return out
    try:
        out.data = _build(node, (), out, 1)
    except _TooDeep as exc:
        out.problems.append(_too_deep(path, exc.line))
    return out


_LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")  # libyaml's line breaks


def _line_count(body: str) -> int:
    """The number of lines libyaml counts in ``body`` (a final line break opens no new line)."""
    return max(1, len(_LINE_BREAK.findall(body)) + (not body or body[-1] not in "\n\r\x85\u2028\u2029"))


def _too_big(path: str, size: int, line: int) -> Problem:
    return Problem(
        path,
        line,
        f"文件太大（{size / 1024:.0f} KB）：一个案例记录通常只有几 KB，上限是 {MAX_BYTES // 1024} KB，"
        "从这一行起超出；请检查是否粘贴了多余的内容",
    )


def _line_at_byte(raw: bytes) -> int:
    """The line on which byte ``MAX_BYTES`` falls (where the file grows past the limit)."""
    return raw.count(b"\n", 0, MAX_BYTES) + 1


def _too_deep(path: str, line: int) -> Problem:
    return Problem(
        path,
        line,
        f"嵌套太深：从这一行起超过了 {MAX_DEPTH} 层列表或映射（案例记录最多只有四五层）；"
        "请检查是否多写了 [ 或 {，或缩进错了",
    )


class _TooDeep(Exception):
    def __init__(self, line: int):
        self.line = line


# The run of indentation and ``- ? :`` indicators at the start of every line (after any line break
# libyaml knows, and a few more: only looser). One regex pass: splitting into lines cost 70 µs a record.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LONG_PREFIX = "[" + _BREAKS + "][ \t?:\\-\ufeff]{{{},}}"
_FIRST_PREFIX = "[ \t?:\\-\ufeff]{{{},}}"
_LINE_PREFIX = re.compile("(?:^|(?<=[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]))[ \t?:\\-\ufeff]*", re.M)


def _depth_bound(body: str) -> int:
    """An upper bound on the nesting depth of ``body``, without parsing it.

    Every flow collection starts at a ``[`` or ``{``. Block collections on one path start at
    strictly increasing columns, each at most the length of some line's run of indentation and
    ``- ? :`` indicators (a sequence written at its mapping key's column shares that column once).
    """
    flow = body.count("[") + body.count("{")
    if flow > _COMPOSE_SAFE:
        return flow
    # Line breaks: every one libyaml knows (and a few more: only looser); libyaml also skips a byte
    # order mark at the start of any line. Only whether the bound passes _COMPOSE_SAFE matters to the caller: look for one line prefix long
    # enough to pass it (a search that skips from line break to line break), measure all only then.
    need = max(0, (_COMPOSE_SAFE - flow) // 2)
    if re.match(_FIRST_PREFIX.format(need), body) is None and re.search(_LONG_PREFIX.format(need), body) is None:
        return flow + 2 * need
    widest = max(map(len, _LINE_PREFIX.findall(body)), default=0)
    return flow + 2 * (widest + 1)


def _scan_events(path: str, body: str, out: Loaded) -> bool:
    """Report anchors, aliases and nesting deeper than :data:`MAX_DEPTH` from libyaml's event stream.

    The scan stops at the first level too deep: libyaml's scanner slows down quadratically with
    the depth of flow collections, and its composer (which recurses in C) is never reached.
    """
    found = False
    depth = 0
    parser = _StrictLoader(body)
    try:
        while (event := parser.get_event()) is not None and not isinstance(event, yaml.StreamEndEvent):
            kind = type(event)
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    out.problems.append(_too_deep(path, event.start_mark.line + 1))
                    return True
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
            anchor = getattr(event, "anchor", None)
            if kind is yaml.AliasEvent:
                out.problems.append(
                    Problem(path, event.start_mark.line + 1, f"不能使用 YAML 别名（*{anchor}）：请把内容直接写出来")
                )
                found = True
            elif anchor:
                out.problems.append(
                    Problem(path, event.start_mark.line + 1, f"不能使用 YAML 锚点（&{anchor}）：请把内容直接写出来")
                )
                found = True
    finally:
        parser.dispose()
    return found


# What libyaml's reader accepts (YAML 1.1 printable characters); Python strings may also hold
# lone surrogates, which cannot even be encoded for it.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _bad_characters(path: str, body: str) -> list[Problem]:
    """Each line holding a character YAML does not allow (the first such character on the line)."""
    out: list[Problem] = []
    last = 0
    for match in _NOT_PRINTABLE.finditer(body):
        line = body.count("\n", 0, match.start()) + 1
        if line == last:
            continue
        last = line
        code = ord(match.group())
        what = "不成对的代理字符" if 0xD800 <= code <= 0xDFFF else "看不见的控制字符"
        out.append(Problem(path, line, f"这一行有{what}（U+{code:04X}）：YAML 不允许，请删去"))
    return out or [Problem(path, 1, "文件无法读取：有 YAML 不允许的字符")]


def _build(node: yaml.Node, where: Path_, out: Loaded, depth: int) -> Any:
    out.lines[where] = node.start_mark.line + 1
    kind = type(node)
    if kind is yaml.ScalarNode:  # most nodes: text first, without a call
        return node.value if node.tag == STR else _scalar(node, where, out)
    if depth > MAX_DEPTH:
        raise _TooDeep(node.start_mark.line + 1)
    if kind is yaml.MappingNode:
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
            result[key] = _build(value_node, (*where, key), out, depth + 1)
            # A field is reported at its key's line (a list or mapping value starts below it).
            out.lines[(*where, key)] = line
        return result
    if kind is yaml.SequenceNode:
        if node.tag != SEQ:
            return _bad_tag(node, where, out)
        return [_build(item, (*where, i), out, depth + 1) for i, item in enumerate(node.value)]
    return _scalar(node, where, out)


def _scalar(node: yaml.ScalarNode, where: Path_, out: Loaded) -> Any:
    tag, value = node.tag, node.value
    if tag == STR:
        return value
    # An explicit ``!!int 0x1F`` or ``!!bool yes`` gets its tag without the resolver: accept it only
    # where the plain scalar would have resolved to the same type.
    if _resolve(None, yaml.ScalarNode, value, (True, False)) != tag:
        return _bad_tag(node, where, out)
    if tag == INT:
        if len(value) - (value[0] in "+-") > MAX_INT_DIGITS:
            return _not_finite(node, out)
        return int(value)
    if tag == FLOAT:
        number = float(value)
        if not math.isfinite(number):
            return _not_finite(node, out)
        return number
    if tag == BOOL:
        return value.lower() == "true"
    if tag == NULL:
        return None
    return _bad_tag(node, where, out)


def _not_finite(node: yaml.ScalarNode, out: Loaded) -> None:
    shown = node.value if len(node.value) <= 24 else f"{node.value[:16]}…（共 {len(node.value)} 个字符）"
    out.problems.append(
        Problem(
            out.path, node.start_mark.line + 1, f"数字 {shown} 太大，不是有限的数字：请检查是否多打了数字或写错了指数"
        )
    )
    return None


def _bad_tag(node: yaml.Node, where: Path_, out: Loaded) -> None:
    out.problems.append(
        Problem(out.path, node.start_mark.line + 1, f"不能使用 YAML 标签（{node.tag}）：请直接写文字、数字或列表")
    )
    return None


RECORD_SUFFIXES = (".yaml", ".yml")

_LINK = "是符号链接（快捷方式）：cases/ 里只能放真实的文件和文件夹，链接不会被读取或发布；请删除链接，把记录本身放进来"
_DANGLING = "是失效的符号链接（指向的文件不存在）：请删除它"
_ERRNO = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "这是一个文件夹",
}


def load_file(path: Path, display: str | None = None) -> Loaded:
    """Read and parse one record file; nothing about it is raised, everything is reported.

    A symbolic link is never followed (its target may lie outside the project), only a regular
    file is read, and one over :data:`MAX_BYTES` is refused before its content is parsed.
    """
    shown = display or str(path)
    refused = _refused(path, shown)
    if refused is not None:
        return Loaded(shown, problems=[refused])
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return Loaded(shown, problems=[_os_problem(path, shown, exc)])
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Loaded(shown, problems=[Problem(shown, 0, "不是普通文件，不能作为案例记录读取")])
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return Loaded(shown, problems=[_os_problem(path, shown, exc)])
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        return Loaded(shown, problems=[_too_big(shown, max(info.st_size, len(raw)), _line_at_byte(raw))])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Loaded(shown, problems=[Problem(shown, line, "文件不是 UTF-8 编码：请在编辑器里另存为 UTF-8")])
    loaded = load_text(shown, text)
    if path.suffix not in RECORD_SUFFIXES and path.suffix.lower() in RECORD_SUFFIXES:
        loaded.problems.insert(
            0,
            Problem(
                shown, 0, f"扩展名要用小写：请把文件改名为 {path.stem}{path.suffix.lower()}，否则不会被当作案例记录"
            ),
        )
    return loaded


def _refused(path: Path, shown: str) -> Problem | None:
    """Why ``path`` is not opened at all: it is a symbolic link (the target is never read)."""
    try:
        if not path.is_symlink():
            return None
    except OSError:
        return None
    return Problem(shown, 0, _LINK if path.exists() else _DANGLING)


def _os_problem(path: Path, shown: str, exc: OSError) -> Problem:
    if exc.errno == errno.ELOOP and path.is_symlink():  # replaced by a link since the check above
        return Problem(shown, 0, _LINK)
    reason = _ERRNO.get(exc.errno or 0, exc.strerror or "未知错误")
    return Problem(shown, 0, f"无法读取文件：{reason}")
