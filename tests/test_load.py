"""The strict YAML loader: no YAML 1.1 surprises, no anchors/tags/duplicate keys, hints for slips."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.divisions import divisions
from casebook.load import load_text
from casebook.validate import check


def messages(text: str) -> list[str]:
    return [str(p) for p in load_text("f.yaml", text).problems]


def test_yaml_11_surprises_stay_text():
    data = load_text("f.yaml", "a: NO\nb: on\nc: 0800\nd: 12:30\ne: 2024-13-45\nf: yes\ng: 1e3\nh: 0x1F\n").data
    assert data == {
        "a": "NO",
        "b": "on",
        "c": "0800",
        "d": "12:30",
        "e": "2024-13-45",
        "f": "yes",
        "g": "1e3",
        "h": "0x1F",
    }


def test_plain_numbers_booleans_null():
    data = load_text("f.yaml", "a: 12\nb: -3\nc: 1.5\nd: true\ne: ~\nf:\n").data
    assert data == {"a": 12, "b": -3, "c": 1.5, "d": True, "e": None, "f": None}


def test_dates_stay_text():
    assert load_text("f.yaml", "added: 2026-11-23\n").data == {"added": "2026-11-23"}


def test_anchor_and_alias_are_errors():
    assert messages("a: &x 1\nb: *x\n") == [
        "f.yaml:1: 不能使用 YAML 锚点（&x）：请把内容直接写出来",
        "f.yaml:2: 不能使用 YAML 别名（*x）：请把内容直接写出来",
    ]


def test_custom_tags_are_errors():
    assert messages("a: !!python/object/apply:os.system ['ls']\n")[0].startswith("f.yaml:1: 不能使用 YAML 标签")
    assert messages("a: !!binary aGVsbG8=\n")[0].startswith("f.yaml:1: 不能使用 YAML 标签")


def test_duplicate_keys_are_errors():
    assert messages("a: 1\nb: 2\na: 3\n") == ["f.yaml:3: 字段“a”重复出现（第一次在第 1 行）：每个字段只能写一次"]


def test_merge_key_is_an_error():
    assert messages("a: {x: 1}\nb:\n  <<: {x: 1}\n")[0] == "f.yaml:3: 键名必须是简单的文字（不能用 <<、列表或映射作键）"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("title：x\n", "f.yaml:1: 键名后面用了全角冒号“：”，请改成半角冒号“:”并在后面加一个空格"),
        ("a:\n\u3000b: 1\n", "f.yaml:2: 行首有全角空格（\u3000），请改用半角空格缩进"),
        ("a:\n\tb: 1\n", "f.yaml:2: 行首用了制表符（Tab），YAML 只能用空格缩进"),
        ("\ufeffa: 1\n", "f.yaml:1: 文件开头有 BOM（字节顺序标记）：请在编辑器里另存为“UTF-8（无 BOM）”"),
        ("a: 1\r\nb: 2\r\n", "f.yaml:1: 换行符是 Windows 的 CRLF：请在编辑器里改为 LF（Unix）换行"),
    ],
)
def test_input_method_slips_get_a_hint(text, expected):
    assert expected in messages(text)


def test_syntax_error_in_chinese_with_line():
    assert messages("a: 1\nb: x: y\n") == [
        "f.yaml:2: YAML 格式错误：这里多了一个冒号：文本里有“: ”时，请给整段文字加上引号"
    ]


def test_lines_are_kept_for_every_value():
    loaded = load_text("f.yaml", "a:\n  b:\n    - x\n    - y: 1\n")
    assert loaded.line(("a",)) == 1
    assert loaded.line(("a", "b", 0)) == 3
    assert loaded.line(("a", "b", 1, "y")) == 4


def test_not_utf8_is_reported(tmp_path):
    from casebook.load import load_file

    p = tmp_path / "x.yaml"
    p.write_bytes(b"a: 1\ntitle: " + "龙里".encode("gbk") + b"\n")
    assert [str(x) for x in load_file(p, "x.yaml").problems] == [
        "x.yaml:2: 文件不是 UTF-8 编码：请在编辑器里另存为 UTF-8"
    ]


yaml_like = st.lists(
    st.sampled_from(
        list("abc:- \n\t'\"[]{}&*!|>#%@`,?0123456789龙里县：\u3000\ufeff\r")
        + ["id: ", "title: ", "region:\n  ", "numbers:\n  - ", "printed: ", "value: ", "code: "]
    ),
    max_size=80,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_like)
def test_arbitrary_text_gives_clean_errors_never_a_crash(text):
    loaded = load_text("cases/x/y.yaml", text)
    problems = check([loaded], divisions())
    for p in problems:
        assert p.path == "cases/x/y.yaml"
        assert p.line >= 0
        assert "Traceback" not in p.message and p.message


record_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "region",
                    "numbers",
                    "printed",
                    "value",
                    "unit",
                    "code",
                    "name",
                    "sources",
                    "measures",
                    "model",
                    "en",
                    "related",
                    "period",
                    "qualifier",
                    "before",
                    "after",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_like)
def test_arbitrary_structures_never_crash_the_checker(data):
    import yaml

    text = yaml.safe_dump(data, allow_unicode=True)
    problems = check([load_text("cases/x/y.yaml", text)], divisions())
    assert all(p.message for p in problems)


# --- hostile input: size, nesting, numbers, characters, links (docs-notes/safety-input.md) -------------

DEEP = "嵌套太深：从这一行起超过了 20 层列表或映射（案例记录最多只有四五层）；请检查是否多写了 [ 或 {，或缩进错了"
NOT_FINITE = "太大，不是有限的数字：请检查是否多打了数字或写错了指数"
LINK = "是符号链接（快捷方式）：cases/ 里只能放真实的文件和文件夹，链接不会被读取或发布；请删除链接，把记录本身放进来"
DANGLING = "是失效的符号链接（指向的文件不存在）：请删除它"


def _nested_keys(levels: int, first_line: int = 1) -> str:
    """``levels`` mappings, each one key deeper on its own line (level n on line first_line + n - 1)."""
    return "".join(" " * i + f"k{i}:\n" for i in range(levels)) + " " * levels + "v\n"


def test_a_100_kb_bracket_bomb_is_one_problem_not_a_segfault(tmp_path):
    import subprocess
    import sys

    bomb = "x: " + "[" * 50000 + "]" * 50000 + "\n"  # the reported file: exit 139, no output
    assert messages(bomb) == [f"f.yaml:1: {DEEP}"]
    path = tmp_path / "bomb.yaml"
    path.write_text("title: 正常\n" + bomb, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "casebook", "check", str(path)], capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines() == [f"bomb.yaml:2: {DEEP}"]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("levels", [900, 5000, 20000])
def test_nesting_that_gave_a_recursion_error_is_reported(levels):
    assert messages("a: 1\nx: " + "[" * levels + "]" * levels + "\n") == [f"f.yaml:2: {DEEP}"]
    assert messages("a: 1\nx:\n" + "- " * levels + "v\n") == [f"f.yaml:3: {DEEP}"]


def test_twenty_levels_are_allowed_and_the_twenty_first_is_reported_on_its_line():
    assert messages("x: " + "[" * 19 + "]" * 19 + "\n") == []  # the record's mapping is level 1
    assert messages("x: " + "[" * 20 + "]" * 20 + "\n") == [f"f.yaml:1: {DEEP}"]
    assert messages(_nested_keys(20)) == []
    # Level n starts on line n: the mapping holding k20 is the 21st.
    assert messages(_nested_keys(21)) == [f"f.yaml:21: {DEEP}"]


def test_depth_is_reported_alike_with_or_without_the_event_scan():
    from casebook.load import _COMPOSE_SAFE, _depth_bound

    text = _nested_keys(30)
    # Cheap bound small: libyaml composes, the builder counts. Many brackets in a comment push the
    # bound up: the event scan counts before composing. Both name the same line.
    padded = "# " + "[" * (_COMPOSE_SAFE + 1) + "\n" + text
    assert _depth_bound(text) <= _COMPOSE_SAFE < _depth_bound(padded)
    assert messages(text) == [f"f.yaml:21: {DEEP}"]
    assert messages(padded) == [f"f.yaml:22: {DEEP}"]


@pytest.mark.parametrize(
    "text",
    [
        "---\n\ufeff" + "- " * 60 + "x\n",
        "? " + "- " * 60 + "x\n",
        "a:\n" + "".join(" " * (2 * i) + "- k:\n" for i in range(30)),
    ],
)
def test_the_cheap_depth_bound_is_never_below_the_real_depth(text):
    import yaml

    from casebook.load import MAX_DEPTH, _depth_bound, _StrictLoader

    depth = deepest = 0
    for event in yaml.parse(text, Loader=_StrictLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    assert deepest > MAX_DEPTH and _depth_bound(text) >= deepest
    assert any("嵌套太深" in p.message for p in load_text("f.yaml", text).problems)


def test_caps_leave_a_wide_margin_over_the_real_records():
    """On the frozen corpus (real records, frozen): a new, larger record in cases/ must not turn CI red."""
    import yaml

    from casebook.load import MAX_BYTES, MAX_DEPTH, _StrictLoader

    from .conftest import CORPUS

    files = sorted(CORPUS.rglob("*.yaml"))
    assert files
    deepest = 0
    for f in files:
        assert load_text(str(f), f.read_text(encoding="utf-8")).problems == []
        depth = 0
        for event in yaml.parse(f.read_text(encoding="utf-8"), Loader=_StrictLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    assert deepest * 4 <= MAX_DEPTH  # measured: 4
    assert max(f.stat().st_size for f in files) * 8 <= MAX_BYTES  # measured: 14,062 bytes


def test_an_oversized_file_is_refused_before_parsing(tmp_path):
    from casebook.load import load_file

    line = "summary: " + "字" * 40 + "\n"  # 130 bytes
    text = line * 2100 + "x: " + "[" * 5000 + "\n"  # 278,004 bytes (271 KB), and a syntax error never reached
    p = tmp_path / "big.yaml"
    p.write_text(text, encoding="utf-8")
    crossing = 256 * 1024 // len(line.encode()) + 1
    assert crossing == 2017
    expected = [
        f"big.yaml:{crossing}: 文件太大（271 KB）：一个案例记录通常只有几 KB，上限是 256 KB，"
        "从这一行起超出；请检查是否粘贴了多余的内容"
    ]
    assert [str(x) for x in load_file(p, "big.yaml").problems] == expected
    assert [str(x) for x in load_text("big.yaml", text).problems] == expected


@pytest.mark.parametrize(
    "literal",
    ["1" * 4301, "-" + "9" * 20000, "9" * 309, "1.0e400", "-1.0e400", "1" * 400 + ".5", "12345.0e99999"],
)
def test_numbers_that_are_not_finite_are_refused_at_their_line(literal):
    loaded = load_text("f.yaml", f"numbers:\n  - subject: 人数\n    value: {literal}\n    unit: 名\n")
    (problem,) = loaded.problems
    assert (problem.path, problem.line) == ("f.yaml", 3)
    assert problem.message.startswith(f"数字 {literal[:16]}") and problem.message.endswith(NOT_FINITE)


def test_large_finite_numbers_and_inf_spellings_stay_what_they_are():
    data = load_text("f.yaml", f"a: {'9' * 308}\nb: 1.5e308\nc: .inf\nd: -.Inf\ne: .nan\nf: .NaN\n").data
    assert data["a"] == int("9" * 308) and data["b"] == 1.5e308
    assert [data[k] for k in "cdef"] == [".inf", "-.Inf", ".nan", ".NaN"]  # text: the schema wants a number


def test_a_huge_integer_does_not_stop_the_other_files(tmp_path):
    from casebook.check import check_paths, display_path

    folder = tmp_path / "cases"
    folder.mkdir()
    bad = folder / "a.yaml"
    bad.write_text("id: a\nvalue: " + "7" * 5000 + "\n", encoding="utf-8")
    other = folder / "b.yaml"
    other.write_text("id: b\nx: [\n", encoding="utf-8")
    _, problems = check_paths([folder])
    shown = {(p.path, p.line) for p in problems}
    assert (display_path(bad), 2) in shown
    assert any(p.path == display_path(other) for p in problems)


def test_control_character_on_line_40_is_reported_there_in_chinese():
    text = "".join(f"k{i}: 第{i}行\n" for i in range(1, 40)) + "k40: 有\x01控制符\nk41: x\x1b[2J\n"
    assert messages(text) == [
        "f.yaml:40: 这一行有看不见的控制字符（U+0001）：YAML 不允许，请删去",
        "f.yaml:41: 这一行有看不见的控制字符（U+001B）：YAML 不允许，请删去",
    ]


def test_a_lone_surrogate_in_text_is_reported_not_raised():
    assert messages("a: 1\nb: \udcff\n") == ["f.yaml:2: 这一行有不成对的代理字符（U+DCFF）：YAML 不允许，请删去"]


def test_a_fifo_named_like_a_record_is_refused_without_blocking(tmp_path):
    import os

    from casebook.load import load_file

    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    assert [str(x) for x in load_file(fifo, "x.yaml").problems] == ["x.yaml:0: 不是普通文件，不能作为案例记录读取"]


@pytest.fixture
def linked_cases(tmp_path):
    """A cases/ folder with one valid record, and links out of it to a secret and to a valid record."""
    from .conftest import FIXTURES

    record = (FIXTURES / "cases" / "shaanxi" / "fx-fufeng-sanjia.yaml").read_text(encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secrets.yaml").write_text("db_password: hunter2-SECRET\n", encoding="utf-8")
    (outside / "fx-outside.yaml").write_text(record.replace("fx-fufeng-sanjia", "fx-outside"), encoding="utf-8")
    cases = tmp_path / "project" / "cases"
    (cases / "shaanxi").mkdir(parents=True)
    (cases / "shaanxi" / "fx-fufeng-sanjia.yaml").write_text(record, encoding="utf-8")
    (cases / "shaanxi" / "s.yaml").symlink_to(outside / "secrets.yaml")
    (cases / "shaanxi" / "fx-outside.yaml").symlink_to(outside / "fx-outside.yaml")
    (cases / "more").symlink_to(outside, target_is_directory=True)
    (cases / "shaanxi" / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (cases / "shaanxi" / "twin.yaml").symlink_to("fx-fufeng-sanjia.yaml")  # inside, still a link
    return cases


def _link_problems(cases):
    from casebook.check import display_path

    def shown(rel):
        return display_path(cases / rel)

    return [
        f"{shown('more')}:0: {LINK}",
        f"{shown('shaanxi/fx-outside.yaml')}:0: {LINK}",
        f"{shown('shaanxi/gone.yaml')}:0: {DANGLING}",
        f"{shown('shaanxi/s.yaml')}:0: {LINK}",
        f"{shown('shaanxi/twin.yaml')}:0: {LINK}",
    ]


def test_links_in_cases_are_reported_and_never_read(linked_cases, monkeypatch):
    from casebook.check import check_paths

    monkeypatch.chdir(linked_cases.parent)
    records, problems = check_paths([linked_cases], context=linked_cases)
    assert sorted(str(p) for p in problems) == _link_problems(linked_cases)
    printed = "\n".join(str(p) for p in problems)
    assert "hunter2" not in printed and "db_password" not in printed
    assert str(linked_cases.parent.parent / "outside") not in printed and "nowhere" not in printed
    assert all(r.data is None for r in records if r.problems)


def test_check_and_build_agree_on_links(linked_cases, monkeypatch):
    from casebook.check import check_paths
    from casebook.problems import ProblemsFound
    from casebook.site import load_cases

    monkeypatch.chdir(linked_cases.parent)
    _, checked = check_paths([linked_cases], context=linked_cases)
    with pytest.raises(ProblemsFound) as built:
        load_cases(linked_cases)  # what `casebook build` and the MkDocs hook run first
    assert sorted(str(p) for p in built.value.problems) == sorted(str(p) for p in checked)


def test_a_file_named_through_a_linked_folder_is_reported_as_the_link(linked_cases, monkeypatch):
    from casebook.check import check_paths

    monkeypatch.chdir(linked_cases.parent)
    # As pre-commit names changed files: relative to the project, cases/ as context.
    _, problems = check_paths([Path("cases/more/secrets.yaml"), Path("cases/shaanxi/s.yaml")], context=linked_cases)
    assert sorted(str(p) for p in problems) == [f"cases/more:0: {LINK}", f"cases/shaanxi/s.yaml:0: {LINK}"]


def test_upper_case_extension_is_reported(tmp_path, monkeypatch):
    from casebook.check import check_paths

    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "x.YAML").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "cases" / "y.Yml").write_text("id: y\n", encoding="utf-8")
    _, problems = check_paths([tmp_path / "cases"])
    assert [str(p) for p in problems] == [
        "cases/x.YAML:0: 扩展名要用小写：请把文件改名为 x.yaml，否则不会被当作案例记录",
        "cases/y.Yml:0: 扩展名要用小写：请把文件改名为 y.yml，否则不会被当作案例记录",
    ]


FORGED = "a\n::error file=cases/x.yaml,line=1::伪造\r\x1b[2Jb"


def test_a_newline_in_a_value_cannot_forge_an_output_line():
    text = f'"{FORGED!s}": 1\n"{FORGED!s}": 2\n'.replace("\n::", "\\n::").replace("\r", "\\r").replace("\x1b", "\\e")
    (problem,) = load_text("f.yaml", text).problems
    assert "\n::error" in problem.message  # the duplicated key, quoted as it is
    assert str(problem).splitlines() == [str(problem)]
    assert (
        str(problem)
        == "f.yaml:2: 字段“a↵::error file=cases/x.yaml,line=1::伪造↵\\x1b[2Jb”重复出现（第一次在第 1 行）：每个字段只能写一次"
    )
    assert problem.annotation().splitlines() == [problem.annotation()]
    assert problem.annotation().startswith("::error file=f.yaml,line=2::字段“a%0A::error file=")


def test_a_newline_in_a_file_name_cannot_forge_an_output_line():
    from casebook.problems import Problem

    p = Problem("cases/a\n::error file=x,line=1::b.yaml", 3, "x")
    assert str(p) == "cases/a↵::error file=x,line=1::b.yaml:3: x"
    assert p.annotation() == "::error file=cases/a%0A%3A%3Aerror file=x%2Cline=1%3A%3Ab.yaml,line=3::x"


@pytest.mark.parametrize(
    "text",
    ["a: !!int 0x1F\n", "a: !!int\n", "a: !!float abc\n", "a: !!float .inf\n", "a: !!bool yes\n", "a: !!null x\n"],
)
def test_explicit_standard_tags_that_disagree_with_the_value_are_errors_not_crashes(text):
    assert messages(text) == [
        f"f.yaml:1: 不能使用 YAML 标签（{text.split()[1].replace('!!', 'tag:yaml.org,2002:')}）：请直接写文字、数字或列表"
    ]


def test_explicit_standard_tags_that_agree_are_the_plain_value():
    assert load_text("f.yaml", "a: !!int 12\nb: !!float 1.5\nc: !!bool true\nd: !!str 12\n").data == {
        "a": 12,
        "b": 1.5,
        "c": True,
        "d": "12",
    }


def test_a_syntax_error_at_the_end_is_reported_on_the_last_line():
    # libyaml marks the end of the stream on the line after the last one.
    assert messages("a: 1\nb: 2\n.") == ["f.yaml:3: YAML 格式错误：缺少冒号，或上一行的引号没有配对"]
