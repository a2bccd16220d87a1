"""Fuzz the loader and the checker with hostile YAML-ish input: nothing escapes, every problem is one line.

The examples go through :func:`casebook.check.check_paths` (what ``casebook check`` and the build run)
on a file written to a temporary ``cases/`` folder, and through :func:`casebook.load.load_text` for
strings no file can hold (lone surrogates). ``scripts/fuzz_check.py`` runs the same property on
10,000 examples; the suite runs 500.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.check import check_paths, display_path
from casebook.divisions import divisions
from casebook.load import _COMPOSE_SAFE, MAX_DEPTH, _depth_bound, _line_count, _StrictLoader, load_text
from casebook.paths import SCHEMA
from casebook.problems import Problem
from casebook.validate import record_problems

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "cases" / "shaanxi" / "fx-fufeng-sanjia.yaml"
BASE = FIXTURE.read_text(encoding="utf-8")
SUITE_EXAMPLES = 500


def _schema_keys() -> list[str]:
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            keys.update(node.get("properties", {}) if isinstance(node.get("properties"), dict) else ())
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return sorted(keys)


KEYS = _schema_keys()

_TOKENS = [
    "\n",
    "\n  ",
    "\n    ",
    "\n      ",
    "- ",
    "-",
    "? ",
    ": ",
    ":",
    ", ",
    "[",
    "]",
    "{",
    "}",
    "[]",
    "{}",
    "'",
    '"',
    "''",
    '""',
    "\\",
    "\\n",
    "\\x00",
    "\\u202e",
    "&a ",
    "*a",
    "&a [1]",
    "<<: *a",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!binary ",
    "!!python/object/apply:os.system ",
    "!x ",
    "!<tag:x> ",
    "\t",
    "# 注释",
    "|\n  ",
    ">-\n  ",
    "|+\n",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:x\n",
    "\ufeff",
    "\r\n",
    "\r",
    "：",
    "\u3000",
    "~",
    "null",
    "true",
    "NO",
    "on",
    "0800",
    "12:30",
    "2026-02-30",
    "0x1F",
    "1_000",
    "1e3",
    ".inf",
    "-.Inf",
    ".nan",
    "1.0e400",
    "-1.0e400",
    "1.5",
    "-0",
    "+7",
    "http://",
    "javascript:alert(1)",
    "<script>",
    "龙里县",
    "贵州省",
    "shaanxi",
    "fx-fufeng-sanjia",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufffe",
    "\U0001f600",
    "@",
    "`",
    "%",
]

_piece = st.one_of(
    st.sampled_from(KEYS).map(lambda k: f"{k}: "),
    st.sampled_from(KEYS).map(lambda k: f"\n{k}:\n  - "),
    st.sampled_from(_TOKENS),
    st.characters(max_codepoint=0x9F).filter(lambda c: c.isprintable() is False),  # control characters
    st.integers(1, 6000).map(lambda n: "9" * n),  # long integers (more than 4,300 digits fails int())
    st.integers(300, 100_000).map(lambda e: f"1.5e{e}"),  # floats that overflow to inf
    st.integers(1, 3000).map(lambda n: "[" * n),  # deep flow nesting, closed or not
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 3000).map(lambda n: "{a: " * n + "}" * n),
    st.integers(1, 3000).map(lambda n: "- " * n),  # deep block nesting on one line
    st.integers(1, 300).map(lambda n: "\n\ufeff" + "- " * n),  # libyaml skips a BOM at any line start
    st.integers(1, 300).map(lambda n: "\n--- " + "? " * n),
    st.integers(1, 200).map(lambda n: "".join(" " * i + f"k{i}:\n" for i in range(n))),
    st.text(max_size=12),
)
_big = st.sampled_from(["a" * (260 * 1024), "x: " + "[" * (260 * 1024)])  # over the size cap

yaml_ish = st.lists(_piece, max_size=40).map("".join)
near_valid = st.tuples(st.integers(0, len(BASE)), st.lists(_piece, min_size=1, max_size=4).map("".join)).map(
    lambda t: BASE[: t[0]] + t[1] + BASE[t[0] :]
)
line_swapped = st.tuples(st.integers(0, BASE.count("\n")), yaml_ish).map(
    lambda t: "\n".join(t[1] if i == t[0] else line for i, line in enumerate(BASE.split("\n")))
)
hostile_text = st.one_of(yaml_ish, yaml_ish, near_valid, line_swapped, _big)
hostile = st.one_of(
    hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=400),  # raw bytes, written as they are
    st.binary(max_size=200).map(lambda b: BASE.encode() + b),
)


def assert_clean(problems: list[Problem], path: str, source: str) -> None:
    """Every problem names ``path`` and a line of ``source`` and is one line of text."""
    last = _line_count(source.replace("\r\n", "\n"))
    for p in problems:
        assert isinstance(p, Problem)
        assert isinstance(p.path, str) and p.path == path, p
        assert type(p.line) is int and 0 <= p.line <= last, p
        assert isinstance(p.message, str) and p.message.strip(), p
        assert "Traceback" not in p.message and "Error" not in p.message.split("：")[0], p
        shown = str(p)
        assert shown.startswith(f"{path}:{p.line}: ") and len(shown.splitlines()) == 1, p
        assert "\r" not in shown and "\n" not in shown, p
        assert len(p.annotation().splitlines()) == 1, p


def check_bytes(raw: bytes) -> list[Problem]:
    """``raw`` as a record file in a fresh ``cases/`` folder, checked as ``casebook check`` does."""
    with tempfile.TemporaryDirectory() as tmp:
        cases = Path(tmp) / "cases"
        (cases / "shaanxi").mkdir(parents=True)
        path = cases / "shaanxi" / "fx-fufeng-sanjia.yaml"
        path.write_bytes(raw)
        records, problems = check_paths([path], context=cases)
        assert [r.path for r in records] == [display_path(path)]
        assert_clean(problems, display_path(path), raw.decode("utf-8", "replace"))
        return problems


def check_loose(raw: bytes) -> list[Problem]:
    """``raw`` decoded loosely (undecodable bytes become lone surrogates), loaded and checked as a string."""
    text = raw.decode("utf-8", "surrogateescape")
    loaded = load_text("cases/shaanxi/x.yaml", text)
    problems, _valid = record_problems(loaded, divisions())
    assert_clean(problems, "cases/shaanxi/x.yaml", text)
    return problems


def depth_within_bound(text: str) -> None:
    """:func:`casebook.load._depth_bound` never underestimates the depth libyaml reaches (so skipping the
    event scan below it is safe), and nothing deeper than MAX_DEPTH is ever composed."""
    body = text.lstrip("\ufeff").replace("\r\n", "\n")
    bound = _depth_bound(body)
    if bound > _COMPOSE_SAFE:
        return
    depth = 0
    try:
        for event in yaml.parse(body, Loader=_StrictLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                assert depth <= bound, (bound, body)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except (yaml.YAMLError, UnicodeEncodeError):
        pass
    loaded = load_text("f.yaml", text)
    deep = [p for p in loaded.problems if "嵌套太深" in p.message]
    assert len(deep) <= 1
    if loaded.data is not None:
        assert _data_depth(loaded.data) <= MAX_DEPTH


def _data_depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_data_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_data_depth, value), default=0)
    return 0


FUZZ = settings(
    max_examples=SUITE_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@FUZZ
@given(hostile)
def test_hostile_files_give_one_line_problems_never_an_exception(raw):
    check_bytes(raw)


@settings(FUZZ, max_examples=SUITE_EXAMPLES // 2)
@given(st.one_of(st.binary(max_size=300), hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_loosely_decoded_text_gives_one_line_problems(raw):
    check_loose(raw)


@settings(FUZZ, max_examples=SUITE_EXAMPLES // 2)
@given(hostile_text)
def test_depth_bound_is_sound(text):
    depth_within_bound(text)


def test_fuzz_strategies_reach_the_hostile_cases():
    """The examples above are worth something only if these inputs are among them."""
    for raw, needle in [
        (b"x: " + b"[" * 50000 + b"]" * 50000, "嵌套太深"),
        (b"value: " + b"9" * 5000, "不是有限的数字"),
        (b"value: 1.0e400", "不是有限的数字"),
        (b"a: 1\n" * 39 + b"b: \x01\n", "控制字符"),
        (b"a" * (260 * 1024), "文件太大"),
        (b"title: \xff\n", "UTF-8"),
    ]:
        assert any(needle in p.message for p in check_bytes(raw)), needle
