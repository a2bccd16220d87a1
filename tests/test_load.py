"""The strict YAML loader: no YAML 1.1 surprises, no anchors/tags/duplicate keys, hints for slips."""

from __future__ import annotations

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
