"""Check records: the JSON Schema, then the vocabularies, regions, figures, guards and cross-record rules.

Every check returns :class:`Problem` objects; nothing here raises for a bad record.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import PurePosixPath
from typing import Any

import fastjsonschema
import jsonschema

from . import numbers
from .divisions import LEVELS, Divisions
from .load import Loaded, Path_
from .paths import SCHEMA, reserved_case_id
from .problems import Problem
from .vocab import province_by_code, vocabulary

# --- how a field is named in a message ------------------------------------------------------------


def field_name(where: Iterable[str | int]) -> str:
    """``("numbers", 3, "value")`` → ``numbers 第4项 value``."""
    parts: list[str] = []
    for p in where:
        if isinstance(p, int):
            parts.append(f"第{p + 1}项")
        else:
            parts.append(str(p))
    return " ".join(parts) if parts else "（整个文件）"


# --- schema -----------------------------------------------------------------------------------------


@cache
def _schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


@cache
def schema_check():
    """The pass/fail check, compiled to Python. References are written out in full first: the code
    fastjsonschema generates for a reference builds the value's path as a string on every call,
    even when nothing is wrong (a fifth of the check's time)."""
    schema = _schema()
    return fastjsonschema.compile(_inline_refs(schema, schema.get("definitions", {})))


# Keywords the compiled pass/fail check leaves out: the code fastjsonschema generates for them calls
# locals() per item (a tenth of the check's time). RecordChecker.names enforces the same rules, with
# the same messages as the full validator's (duplicates merge).
FAST_SKIPPED = ("oneOf", "not")


def _inline_refs(node, definitions: dict, seen: tuple[str, ...] = ()):
    """``node`` with every ``{"$ref": "#/definitions/x"}`` replaced by that definition (draft-07
    ignores a reference's sibling keywords), without the keywords in :data:`FAST_SKIPPED`."""
    if isinstance(node, list):
        return [_inline_refs(x, definitions, seen) for x in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        name = ref[len("#/definitions/") :]
        if name in seen:
            raise ValueError(f"recursive schema reference: {ref}")
        return _inline_refs(definitions[name], definitions, (*seen, name))
    return {
        k: _inline_refs(v, definitions, seen) for k, v in node.items() if k != "definitions" and k not in FAST_SKIPPED
    }


@cache
def _full() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(_schema())


MODEL_BOTH = "model 的 name 和 label 只能写一个：原文印出的名称写 name，编者概括的写 label"
MODEL_NONE = "model 缺少名称：原文印出的名称写 name（照原文），原文没有名称时写 label（编者概括）"
MEASURE_BOTH = " 的 name 和 label 只能写一个：原文印出的措施名称写 name，编者概括的写 label"

_TYPE_ZH = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "object": "“键: 值”的映射",
    "array": "列表（每项以“- ”开头）",
    "null": "空",
    "boolean": "true 或 false",
}


def _allowed_fields(schema: dict) -> list[str]:
    props = dict(schema.get("properties", {}))
    return list(props)


def _schema_message(err: jsonschema.ValidationError) -> tuple[Path_, str]:
    where = tuple(err.absolute_path)
    name = field_name(where)
    v = err.validator
    if v == "required":
        missing = re.search(r"'([^']+)' is a required property", err.message)
        key = missing.group(1) if missing else "?"
        return where, f"缺少必填字段 {field_name((*where, key))}"
    if v == "additionalProperties":
        extra = re.findall(r"'([^']+)'", err.message.split("(")[-1])
        allowed = _allowed_fields(err.schema)
        msgs = []
        for key in extra or ["?"]:
            hint = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
            tip = f"，是不是要写 {hint[0]}？" if hint else f"。可用的字段：{'、'.join(allowed)}"
            msgs.append(f"不认识的字段 {field_name((*where, key))}{tip}")
        # additionalProperties errors point at the parent; put the line on the first unknown key.
        return (*where, extra[0]) if extra else where, "；".join(msgs)
    if err.instance is None and v in ("type", "enum"):
        return where, f"{name} 还没有填写"
    if v == "type":
        want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        zh = "或".join(_TYPE_ZH.get(t, t) for t in want)
        got = err.instance
        extra = ""
        if "string" in want and isinstance(got, int | float) and not isinstance(got, bool):
            extra = f'（数字请加引号，如 "{got}"）'
        elif "string" in want and isinstance(got, bool):
            extra = "（true/false/yes/no 作文字时请加引号）"
        elif got is None:
            extra = "（这里还没有填写）"
        return where, f"{name} 应当是{zh}{extra}"
    if v == "pattern":
        if where and where[-1] == "id" or where[:1] == ("id",):
            return where, (
                f"{name} “{err.instance}” 不合规：只能用小写英文字母、数字和连字符（-），3–64 个字符，"
                "以字母或数字开头；不能含空格、汉字、/ 或 .."
            )
        if where and where[-1] == "code":
            return where, (
                f"{name} “{err.instance}” 不是区划代码：省、市、县写 6 位（省 520000、市 520300 也写满 6 位），"
                "乡镇街道 9 位，村社区 12 位，只用半角数字 0–9"
            )
        if "[0-9]{4}" in str(err.validator_value):
            return where, f"{name} “{err.instance}” 不是日期：写成 2022、2022-12 或 2022-12-06"
        if where and where[-1] == "file":
            return where, (
                f"{name} “{err.instance}” 要写存档原文的文件名，不带文件夹（如 002_cf7b2cf9e204f508.txt）："
                "只能有英文字母、数字、下划线、点和连字符，不能有 / 或空格"
            )
        if where and where[-1] in ("key", "source"):
            return (
                where,
                f"{name} “{err.instance}” 只能用小写英文字母、数字、连字符和下划线（不能有空格或 #），最多 32 个字符",
            )
        return where, f"{name} “{err.instance}” 只能用小写英文字母、数字和连字符"
    if v == "enum":
        opts = "、".join(str(o) for o in err.validator_value)
        return where, f"{name} 不能是 “{err.instance}”，只能是：{opts}"
    if v == "oneOf" and where[-1:] == ("model",):
        if isinstance(err.instance, dict) and "name" in err.instance and "label" in err.instance:
            return where, MODEL_BOTH
        return where, MODEL_NONE
    if v == "not" and len(where) == 2 and where[0] == "measures":
        return where, f"{name}{MEASURE_BOTH}"
    if v == "minItems":
        return where, f"{name} 至少要写 {err.validator_value} 项"
    if v == "maxItems":
        return where, f"{name} 太多：最多 {err.validator_value} 项，现在 {len(err.instance)} 项"
    if v == "maxLength":
        return where, f"{name} 太长：最多 {err.validator_value} 个字，现在 {len(err.instance)} 个"
    if v == "minLength":
        return where, f"{name} 不能是空的"
    if v == "uniqueItems":
        return where, f"{name} 里有重复的项"
    if v == "minProperties":
        return where, f"{name} 至少要写一项"
    return where, f"{name}：{err.message}"


def schema_problems(rec: Loaded) -> list[Problem]:
    """Structural problems; fast path when the record is valid."""
    try:
        schema_check()(rec.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    out = []
    for err in _full().iter_errors(rec.data):
        where, msg = _schema_message(err)
        out.append(Problem(rec.path, rec.line(where), msg))
    return out


# --- guards on every text field -------------------------------------------------------------------

_HTML = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>|<\s*(?:script|iframe|img|svg|style|a)\b", re.I)
_HANDLER = re.compile(r"\bon[a-z]{3,}\s*=", re.I)
_JS = re.compile(r"(?:java|vb)script\s*:|data\s*:\s*text/html", re.I)
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])0[1-9][0-9]{1,2}-[0-9]{7,8}(?![0-9])")
_ID_CARD = re.compile(
    r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])"
)
_URL = re.compile(r"^https?://[^\s<>\"']+$")
# Characters no record needs and some can abuse: C0/C1 controls (newline and tab only in long text),
# Unicode non-characters, bidirectional overrides and zero-width characters (they can show a title
# reversed or hide text; U+200B is also the search index's own separator).
_NONCHARS = "\ufdd0-\ufdef" + "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0, 0x110000, 0x10000))
_BAD_CHAR = re.compile(
    f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_NONCHARS}\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c]"
)
_BAD_SHORT = re.compile(_BAD_CHAR.pattern[:-1] + "\t\n]")  # the same, plus newline and tab: short fields
_LONG_TEXT = frozenset({"summary", "text", "notes", "editor_notes", "withdrawn_reason"})
_BAD_NAMES = {
    "\n": "换行",
    "\t": "制表符（Tab）",
    "\u200b": "零宽空格",
    "\u200c": "零宽非连接符",
    "\u200d": "零宽连接符",
    "\ufeff": "零宽不换行空格（BOM）",
}
_JS_SPACE = re.compile(r"[\s\x00-\x1f]+")


def _bad_char_name(ch: str) -> str:
    if ch in _BAD_NAMES:
        return _BAD_NAMES[ch]
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"控制字符 U+{code:04X}"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069 or code == 0x061C or code in (0x200E, 0x200F):
        return f"文字方向控制符 U+{code:04X}（会让文字倒着显示）"
    if 0x2060 <= code <= 0x2064:
        return f"不可见字符 U+{code:04X}"
    return f"非字符 U+{code:04X}"


def _strings(data: Any, where: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, (*where, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, (*where, i))


_DIGIT_RUN = re.compile(r"[0-9]{7}")


def guard_problems(rec: Loaded) -> list[Problem]:
    """HTML, script, unsafe links and personal data in any text."""
    out = []
    for where, text in _strings(rec.data):
        found = []
        if "<" in text:
            if _HTML.search(text):
                found.append("里有 HTML 标签：只写纯文字，不要写 < > 标签")
            if _HANDLER.search(text):
                found.append("里有网页脚本事件（如 onclick=）：只写纯文字")
        if (":" in text or "&" in text) and _JS.search(_JS_SPACE.sub("", html.unescape(text))):
            found.append("里有 javascript: 之类的脚本链接：只写纯文字")
        bad = (_BAD_CHAR if where and where[-1] in _LONG_TEXT else _BAD_SHORT).search(text)
        if bad is not None:
            found.append(f"里有看不见的{_bad_char_name(bad.group())}（第 {bad.start() + 1} 个字）：请删去")
        if _DIGIT_RUN.search(text):
            if _MOBILE.search(text) or _LANDLINE.search(text):
                found.append("里有电话号码：不要公开个人联系方式，请删去")
            if _ID_CARD.search(text):
                found.append("里有身份证号：不要公开个人信息，请删去")
        elif "-" in text and _LANDLINE.search(text):
            found.append("里有电话号码：不要公开个人联系方式，请删去")
        if where and where[-1] == "url" and not _URL.match(text):
            found.append("必须是 http:// 或 https:// 开头的完整网址")
        for message in found:
            out.append(Problem(rec.path, rec.line(where), f"{field_name(where)} {message}"))
    return out


# --- one record's meaning ---------------------------------------------------------------------------


_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
_ID = re.compile(r"[a-z0-9][a-z0-9-]{2,63}")


def date_ok(text: str) -> bool:
    """Whether ``text`` is a real date written 2022, 2022-12 or 2022-12-06 (years 1900–2100)."""
    # fullmatch with [0-9]: Python's \d and int() accept any Unicode digit (２０２２, ٢٠٢٢) and
    # $ matches before a trailing newline; editors' IDEs (ECMAScript) would disagree.
    if not _DATE.fullmatch(text):
        return False
    parts = text.split("-")
    try:
        if len(parts) == 1:
            return 1900 <= int(parts[0]) <= 2100
        if len(parts) == 2:
            return 1900 <= int(parts[0]) <= 2100 and 1 <= int(parts[1]) <= 12
        dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        return 1900 <= int(parts[0]) <= 2100
    except ValueError:
        return False


class RecordChecker:
    """The meaning of one record (run only on records whose structure is valid)."""

    def __init__(self, rec: Loaded, divs: Divisions):
        self.rec = rec
        self.data: dict = rec.data
        self.divs = divs
        self.out: list[Problem] = []

    def add(self, where: Path_, message: str) -> None:
        self.out.append(Problem(self.rec.path, self.rec.line(where), message))

    def run(self) -> list[Problem]:
        # Each step also runs on a record with structural problems, so an editor sees every
        # mistake at once; a step that meets a field of the wrong shape stops there, silently,
        # because the schema has already reported that field.
        for step in (
            self.dates,
            self.terms,
            self.region,
            self.sources_and_refs,
            self.figures,
            self.indicators,
            self.english,
            self.status,
            self.identity,
            self.names,
            self.provenance,
            self.corrections,
            self.draft,
            self.advice,
            self.placeholders,
        ):
            try:
                step()
            except (KeyError, TypeError, AttributeError, IndexError, ValueError):
                continue
        return self.out

    def dates(self) -> None:
        d = self.data
        places: list[Path_] = [("added",)]
        places += [("period", k) for k in ("started", "reported") if k in d.get("period", {})]
        places += [("sources", i, "date") for i in range(len(d.get("sources", [])))]
        places += [("numbers", i, "date") for i, n in enumerate(d.get("numbers", [])) if "date" in n]
        for i, n in enumerate(d.get("numbers", [])):
            places += [("numbers", i, side, "date") for side in ("before", "after") if "date" in n.get(side, {})]
        places += [("corrections", i, "date") for i in range(len(d.get("corrections", [])))]
        if "updated" in d:
            places.append(("updated",))
        for where in places:
            value: Any = d
            for key in where:
                value = value[key]
            if isinstance(value, str) and not date_ok(value):
                if value != value.strip():
                    self.add(where, f"{field_name(where)} “{value.strip()}” 前后有换行或空格：只写日期本身")
                elif not value.isascii():
                    self.add(where, f"{field_name(where)} “{value}” 要用半角数字 0–9 书写")
                else:
                    self.add(where, f"{field_name(where)} “{value}” 不是真实存在的日期")

    def _term(self, where: Path_, kind: str, value: str) -> None:
        vocab = vocabulary(kind)
        if value in vocab:
            return
        hint = vocab.suggest(value)
        tip = f"，是不是 {hint}（{vocab.get(hint).zh}）？" if hint else ""
        self.add(where, f"{field_name(where)} “{value}” 不在词表 vocab/{kind}.yaml 里{tip}")

    def terms(self) -> None:
        d = self.data
        self._term(("theme",), "themes", d["theme"])
        self._term(("actor", "level"), "actor-levels", d["actor"]["level"])
        for i, g in enumerate(d["groups"]):
            self._term(("groups", i), "groups", g)
        for i, t in enumerate(d["topics"]):
            self._term(("topics", i), "topics", t)
        for i, m in enumerate(d["measures"]):
            self._term(("measures", i, "topic"), "topics", m["topic"])
        for i, r in enumerate(d.get("related", [])):
            self._term(("related", i, "relation"), "relations", r["relation"])
        for i, n in enumerate(d.get("numbers", [])):
            for sub in ((), ("before",), ("after",)):
                amount = n if not sub else n.get(sub[0])
                if isinstance(amount, dict) and "qualifier" in amount:
                    self._term(("numbers", i, *sub, "qualifier"), "qualifiers", amount["qualifier"])

    def region(self) -> None:
        region = self.data["region"]
        found: dict[str, Any] = {}
        for lvl in LEVELS:
            if lvl not in region:
                continue
            unit = region[lvl]
            where = ("region", lvl)
            div = self.divs.get(str(unit["code"]), lvl)
            if div is None:
                named = self.divs.children_named(None, lvl, unit["name"]) if lvl != "village" else []
                tip = "；叫这个名字的有：" + "、".join(d.code for d in named[:5]) if named else ""
                self.add(
                    (*where, "code"), f"{field_name((*where, 'code'))} “{unit['code']}” 不是{_LEVEL_ZH[lvl]}代码{tip}"
                )
                continue
            if div.name != unit["name"]:
                self.add(
                    (*where, "name"),
                    f"{field_name((*where, 'name'))} “{unit['name']}” 与代码 {div.code} 不符：代码对应的是“{div.name}”",
                )
            found[lvl] = div
        if "province" not in region:
            return
        # The hierarchy must agree: each unit's parent is the unit written one level up. A
        # municipality's districts sit under a placeholder city (市辖区) and a city without counties
        # (东莞市) has a county-level twin with its own code: such levels may be left out.
        for i, lower in enumerate(LEVELS[1:], 1):
            if lower not in found:
                continue
            child = found[lower]
            upper = next((lvl for lvl in reversed(LEVELS[:i]) if lvl in region), None)
            expected = LEVELS[i - 1]
            if upper is None or upper not in found:
                continue
            if upper == expected:
                if child.parent != found[upper].code:
                    actual = self.divs.parent_of(child)
                    self.add(
                        ("region", lower, "code"),
                        f"region {lower}“{child.name}”不属于{found[upper].name}"
                        + (f"，而属于{actual.name}（{actual.code}）" if actual else ""),
                    )
                continue
            # A level was skipped: allowed only through a placeholder city or a county-level twin.
            parent = self.divs.parent_of(child)
            if parent is not None and parent.placeholder and parent.parent == found[upper].code:
                continue
            if parent is not None and parent.level == "county" and upper == "city" and parent.code == found[upper].code:
                continue
            if parent is not None:
                self.add(
                    ("region",),
                    f"region 缺少 {expected}：{child.name}属于{parent.name}，请写 {expected}: "
                    f'{{name: {parent.name}, code: "{parent.code}"}}',
                )
            else:
                self.add(("region", lower), f"region 写了 {lower}，但缺少上一级 {expected}")
        # The folder must be the province's slug.
        prov = found.get("province")
        if prov is not None:
            term = province_by_code(prov.code)
            folder = PurePosixPath(self.rec.path).parent.name
            if term is not None and folder != term.slug:
                self.add(("region", "province"), f"文件放错了文件夹：{prov.name}的案例应放在 cases/{term.slug}/ 下")
        stem = PurePosixPath(self.rec.path).stem
        if stem != self.data["id"]:
            self.add(("id",), f"文件名与 id 不一致：id 是 {self.data['id']}，文件应命名为 {self.data['id']}.yaml")

    def sources_and_refs(self) -> None:
        sources = self.data["sources"]
        keys = [s["key"] for s in sources]
        for i, s in enumerate(sources):
            if keys.count(s["key"]) > 1 and keys.index(s["key"]) != i:
                self.add(("sources", i, "key"), f"sources 第{i + 1}项 key “{s['key']}” 重复")
            if s.get("publication") is None and not s.get("issuer") and "publication" not in s:
                self.add(
                    ("sources", i),
                    f"sources 第{i + 1}项 要写 publication（报刊名，未印出时写 null）或 issuer（发文单位）",
                )
            for f in s.get("inferred", []):
                if s.get(f) in (None, ""):
                    self.add(("sources", i, "inferred"), f"sources 第{i + 1}项 inferred 列了 {f}，但没有填写 {f}")
        several = len(sources) > 1
        for part in ("numbers", "quotes", "measures"):
            for i, item in enumerate(self.data.get(part, [])):
                ref = item.get("source")
                if ref is None:
                    if several and part != "measures":
                        self.add(
                            (part, i),
                            f"{part} 第{i + 1}项 要写 source：本案例有多个出处，请注明出自哪一个（{'、'.join(keys)}）",
                        )
                elif ref not in keys:
                    self.add(
                        (part, i, "source"),
                        f"{part} 第{i + 1}项 source “{ref}” 不在 sources 的 key 里（{'、'.join(keys)}）",
                    )

    def figures(self) -> None:
        for i, n in enumerate(self.data.get("numbers", [])):
            where = ("numbers", i)
            unit = "" if n.get("unit_printed") is False else n["unit"]
            has_value = any(k in n for k in ("value", "low", "high"))
            has_change = "before" in n or "after" in n
            if has_change:
                if not ("before" in n and "after" in n):
                    self.add(where, f"numbers 第{i + 1}项 变化要同时写 before 和 after")
                    continue
                if has_value:
                    self.add(where, f"numbers 第{i + 1}项 写了 before/after 就不要再写 value/low/high")
                for side in ("before", "after"):
                    amount = n[side]
                    for fld, msg in numbers.disagreements(amount, unit):
                        self.add((*where, side, fld), f"numbers 第{i + 1}项 {side}：{msg}")
                    if amount["printed"] not in n["printed"]:
                        self.add(
                            (*where, side, "printed"),
                            f"numbers 第{i + 1}项 {side} 的写法“{amount['printed']}”不在整句“{n['printed']}”里",
                        )
                continue
            if not has_value:
                self.add(where, f"numbers 第{i + 1}项 要写 value（或区间 low 和 high），或 before 和 after")
                continue
            for fld, msg in numbers.disagreements(n, unit):
                self.add((*where, fld), f"numbers 第{i + 1}项：{msg}")
            if "low" in n and "high" in n and n["low"] > n["high"]:
                self.add((*where, "low"), f"numbers 第{i + 1}项 low 大于 high")

    def indicators(self) -> None:
        """A figure's ``indicator`` (vocab/indicators.yaml, with the units it allows) and ``measure``
        (which of the case's measures it supports, counted from 1)."""
        vocab = vocabulary("indicators")
        count = len(self.data.get("measures", []))
        for i, n in enumerate(self.data.get("numbers", [])):
            slug = n.get("indicator")
            if isinstance(slug, str):
                if slug not in vocab:
                    self._term(("numbers", i, "indicator"), "indicators", slug)
                else:
                    term = vocab.get(slug)
                    allowed = [str(u) for u in term.extra.get("units", ())]
                    unit = n.get("unit")
                    if isinstance(unit, str) and unit not in allowed:
                        self.add(
                            ("numbers", i, "indicator"),
                            f"numbers 第{i + 1}项 单位“{unit}”不能用于指标 {slug}（{term.zh}）：这个指标的单位只能是 "
                            f"{'、'.join(allowed)}；统计的不是这一类量时，不写 indicator",
                        )
            ref = n.get("measure")
            if isinstance(ref, int) and not isinstance(ref, bool) and not 1 <= ref <= count:
                self.add(
                    ("numbers", i, "measure"),
                    f"numbers 第{i + 1}项 measure 写的是 {ref}，但本案例的 measures 只有 {count} 条："
                    f"measure 写措施的序号，从 1 数起（1–{count}）",
                )

    def english(self) -> None:
        en = self.data.get("en")
        if not en or "measures" not in en:
            return
        if len(en["measures"]) != len(self.data["measures"]):
            self.add(
                ("en", "measures"),
                f"en measures 有 {len(en['measures'])} 项，中文 measures 有 {len(self.data['measures'])} 项：要一一对应",
            )

    def status(self) -> None:
        if self.data.get("status") == "withdrawn" and not self.data.get("withdrawn_reason"):
            self.add(("status",), "status 为 withdrawn 时要写 withdrawn_reason（撤下原因）")

    def identity(self) -> None:
        rid = self.data["id"]
        if not isinstance(rid, str):
            return
        if not _ID.fullmatch(rid):
            if _ID.fullmatch(rid.strip()):
                self.add(("id",), f"id “{rid.strip()}” 前后有换行或空格：只写 id 本身")
        elif reserved_case_id(rid):
            self.add(("id",), f"id “{rid}” 是网站自己的页面名（案例总目录），不能用作案例 id：请换一个")
        target = self.data.get("replaced_by")
        if target == rid:
            self.add(("replaced_by",), "replaced_by 指向了自己：写合并或改名后的那个新案例的 id")

    def names(self) -> None:
        """A printed name or an editor's label, not both (the schema's oneOf/not, which the fast check skips)."""
        model = self.data["model"]
        if isinstance(model, dict):
            if "name" in model and "label" in model:
                self.add(("model",), MODEL_BOTH)
            elif "name" not in model and "label" not in model:
                self.add(("model",), MODEL_NONE)
        for i, m in enumerate(self.data.get("measures", [])):
            if isinstance(m, dict) and "name" in m and "label" in m:
                self.add(("measures", i), f"{field_name(('measures', i))}{MEASURE_BOTH}")

    def provenance(self) -> None:
        """Inferred marks must name something that is filled in."""
        for i, n in enumerate(self.data.get("numbers", [])):
            for sub in ((), ("before",), ("after",)):
                amount = n if not sub else n.get(sub[0], {})
                if "date" in amount.get("inferred", ()) and "date" not in amount:
                    where = ("numbers", i, *sub, "inferred")
                    self.add(where, f"{field_name(where)} 列了 date，但没有填写 date")
        for f in self.data.get("period", {}).get("inferred", ()):
            if f not in self.data["period"]:
                self.add(("period", "inferred"), f"period inferred 列了 {f}，但没有填写 {f}")

    def corrections(self) -> None:
        d = self.data
        fixes = d.get("corrections", [])
        updated = d.get("updated")
        if updated is not None and updated < d["added"]:
            self.add(("updated",), f"updated {updated} 早于收录日期 added {d['added']}")
        if not fixes:
            return
        latest = max(c["date"] for c in fixes)
        if updated is None:
            self.add(("corrections",), f"写了更正（corrections）就要写 updated（最近一次更正的日期，如 {latest}）")
        elif updated < latest:
            self.add(("updated",), f"updated {updated} 早于最后一条更正的日期 {latest}")
        for i, c in enumerate(fixes):
            if c["date"] < d["added"]:
                self.add(("corrections", i, "date"), f"corrections 第{i + 1}项 的日期早于收录日期 added {d['added']}")

    def draft(self) -> None:
        d = self.data
        confirm = d.get("confirm", [])
        if d.get("status") == "draft":
            left = f"还有 {len(confirm)} 项待确认（见 confirm）；" if confirm else ""
            self.add(
                ("status",),
                f"这是草稿（status: draft），不能发布：{left}核对完把 status 改为 published（或删去这一行）",
            )
        for i, item in enumerate(confirm):
            self.add(("confirm", i), f"待确认：{item}——核对原文无误后删去这一项")
        if confirm and d.get("status") != "draft":
            self.add(("confirm",), "confirm 里还有待确认的项：逐项核对后删去，全部删完再删去 confirm")

    def advice(self) -> None:
        """Warnings: they never fail a check."""
        units = vocabulary("units")
        for i, n in enumerate(self.data.get("numbers", [])):
            unit = n.get("unit")
            if isinstance(unit, str) and unit not in units:
                self.warn(
                    ("numbers", i, "unit"),
                    f"numbers 第{i + 1}项 单位“{unit}”不在 vocab/units.yaml 里：英文界面会照中文显示，请在表里补上它的英文",
                )
        places: list[Path_] = [("notes",)] + [("sources", i, "notes") for i in range(len(self.data["sources"]))]
        for where in places:
            notes: Any = self.data
            for key in where:
                notes = notes.get(key) if isinstance(notes, dict) else notes[key]
            leaked = sorted(set(_FIELD_WORD.findall(notes))) if isinstance(notes, str) else []
            if leaked:
                self.warn(
                    where,
                    f"{field_name(where)} 是给读者看的，里面有字段名（{'、'.join(leaked)}）：请用读者能懂的话写，"
                    "只给编辑看的说明写进 editor_notes",
                )

    def placeholders(self) -> None:
        """Warnings for text left as a placeholder (a skeleton's “x”): it passes the schema but says nothing."""
        places: list[Path_] = [("summary",)] + [("measures", i, "text") for i in range(len(self.data["measures"]))]
        for where in places:
            value: Any = self.data
            for key in where:
                value = value[key]
            if isinstance(value, str) and len(value.strip()) < SHORT_TEXT:
                self.warn(
                    where,
                    f"{field_name(where)} 只有 {len(value.strip())} 个字：像是还没写完的占位文字，请用自己的话写完整",
                )

    def warn(self, where: Path_, message: str) -> None:
        self.out.append(Problem(self.rec.path, self.rec.line(where), message, warning=True))


SHORT_TEXT = 4  # a summary or measure text shorter than this is a placeholder (warning)

_FIELD_WORD = re.compile(
    r"(?<![A-Za-z])(?:publication|actor|model\.name|model|issuer|author|inferred|printed|qualifier|"
    r"unit_printed|value|subject|measures?|period|reported|started|sources?|column|label|notes)(?![A-Za-z])"
)

_LEVEL_ZH = {
    "province": "省级",
    "city": "地级（市、州）",
    "county": "县级（区、县、县级市）",
    "town": "乡级（乡镇、街道）",
    "village": "村级（村、社区）",
}


# --- across records -------------------------------------------------------------------------------


def cross_problems(records: list[Loaded], known_ids: set[str] | None = None) -> list[Problem]:
    """Duplicate ids, dangling relations, the same case twice.

    ``known_ids`` (case-folded) also counts records that failed other checks, so a typo in one
    record does not make every link to it dangle.
    """
    out: list[Problem] = []
    by_id: dict[str, Loaded] = {}
    by_case: dict[tuple, Loaded] = {}
    for rec in records:
        rid = rec.data["id"]
        folded = rid.casefold()
        if folded in by_id:
            first = by_id[folded]
            out.append(
                Problem(rec.path, rec.line(("id",)), f"id “{rid}” 已被 {first.path} 使用：每个案例的 id 必须唯一")
            )
            out.append(
                Problem(
                    first.path,
                    first.line(("id",)),
                    f"id “{first.data['id']}” 与 {rec.path} 重复：每个案例的 id 必须唯一",
                )
            )
        else:
            by_id[folded] = rec
        key = (
            tuple(str(rec.data["region"][lvl]["code"]) for lvl in LEVELS if lvl in rec.data["region"]),
            rec.data["model"].get("name") or rec.data["model"].get("label"),
        )
        if key in by_case:
            first = by_case[key]
            for here, there in ((rec, first), (first, rec)):
                out.append(
                    Problem(
                        here.path,
                        here.line(("model", "name" if "name" in here.data["model"] else "label")),
                        f"与 {there.path} 是同一个案例（地区和模式名称都相同）：请合并成一个记录，或用 related 说明两者的关系",
                    )
                )
        else:
            by_case[key] = rec
    known = set(by_id) | (known_ids or set())
    for rec in records:
        for i, rel in enumerate(rec.data.get("related", [])):
            if rel["id"].casefold() not in known:
                out.append(
                    Problem(
                        rec.path, rec.line(("related", i, "id")), f"related 第{i + 1}项 id “{rel['id']}” 没有这个案例"
                    )
                )
            elif rel["id"] == rec.data["id"]:
                out.append(Problem(rec.path, rec.line(("related", i, "id")), f"related 第{i + 1}项 指向了自己"))
        target = rec.data.get("replaced_by")
        if target and target.casefold() not in known:
            out.append(Problem(rec.path, rec.line(("replaced_by",)), f"replaced_by “{target}” 没有这个案例"))
    # replaced_by must lead to a case in the end: a cycle (a → b → a) would send readers round forever.
    successor = {r.data["id"]: r.data.get("replaced_by") for r in records if r.data.get("replaced_by")}
    for rec in records:
        start = rec.data["id"]
        seen = [start]
        nxt = successor.get(start)
        while nxt and nxt != start and nxt not in seen[1:]:
            seen.append(nxt)
            nxt = successor.get(nxt)
        if nxt == start and len(seen) > 1:
            chain = " → ".join([*seen, start])
            out.append(
                Problem(
                    rec.path,
                    rec.line(("replaced_by",)),
                    f"replaced_by 绕成了一个圈（{chain}）：最后要指向一个未撤下的案例",
                )
            )
    return out


def record_problems(rec: Loaded, divs: Divisions) -> tuple[list[Problem], bool]:
    """Every problem of one record on its own, and whether its structure is valid."""
    problems = list(rec.problems)
    if rec.problems or rec.data is None:
        return problems, False
    if not isinstance(rec.data, dict):
        problems.append(Problem(rec.path, 1, "文件内容应当是“字段: 值”的映射，请按 CONTRIBUTING.md 的样例填写"))
        return problems, False
    structural = schema_problems(rec)
    problems.extend(structural)
    problems.extend(guard_problems(rec))
    problems.extend(RecordChecker(rec, divs).run())
    return problems, not structural


def check(
    records: list[Loaded],
    divs: Divisions,
    checked: list[tuple[list[Problem], bool]] | None = None,
    unloaded_ids: set[str] | None = None,
) -> list[Problem]:
    """All problems in ``records`` (already loaded), sorted by file and line.

    ``checked`` holds :func:`record_problems` results already computed (e.g. in worker processes).
    ``unloaded_ids`` are the ids read from the text of records that failed to load (a YAML error):
    links to them are not reported, the broken file is, once.
    """
    if checked is None:
        checked = [record_problems(rec, divs) for rec in records]
    problems: list[Problem] = []
    valid: list[Loaded] = []
    for rec, (found, ok) in zip(records, checked, strict=True):
        problems.extend(found)
        if ok:
            valid.append(rec)
    known = {r.data["id"].casefold() for r in records if isinstance(r.data, dict) and isinstance(r.data.get("id"), str)}
    known |= {i.casefold() for i in unloaded_ids or ()}
    problems.extend(cross_problems(valid, known))
    return sorted(set(problems))
