"""The checker: one fixture per class of editor mistake, asserting the exact ``path:line: message``."""

from __future__ import annotations

import json
from pathlib import Path

import fastjsonschema
import pytest

from casebook.check import check_paths, display_path
from casebook.load import load_text
from casebook.validate import _full, _inline_refs, _schema, schema_check

from .conftest import FIXTURES

BASE = (FIXTURES / "cases" / "shaanxi" / "fx-fufeng-sanjia.yaml").read_text(encoding="utf-8")
NUMBERS = """numbers:
  - subject: 快递从业人员
    value: 2000
    qualifier: more-than
    unit: 名
    printed: 2000余名
"""


def write(tmp_path: Path, text: str, name: str = "fx-fufeng-sanjia", province: str = "shaanxi") -> Path:
    folder = tmp_path / "cases" / province
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle`` (so expectations follow the fixture)."""
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in fixture")


def problems_for(path: Path) -> list[str]:
    _, problems = check_paths([path])
    return [str(p) for p in problems]


def test_base_fixture_is_valid(tmp_path):
    assert problems_for(write(tmp_path, BASE)) == []


CASES = [
    # (name, mutation(old, new), line needle, message)
    (
        "wrong type",
        ("added: 2026-11-04", "added: [2026]"),
        "added: [2026]",
        "added 应当是文字",
    ),
    (
        "unquoted code",
        ('county: {name: 扶风县, code: "610324"}', "county: {name: 扶风县, code: 610324}"),
        "county: {name: 扶风县, code: 610324}",
        'region county code 应当是文字（数字请加引号，如 "610324"）',
    ),
    (
        "unknown tag",
        ("groups: [couriers, delivery-riders]", "groups: [couriers, riders]"),
        "groups: [couriers, riders]",
        "groups 第2项 “riders” 不在词表 vocab/groups.yaml 里，是不是 delivery-riders（外卖配送员）？",
    ),
    (
        "tag written in Chinese",
        ("topics: [organisation-coverage, service-stations]", "topics: [organisation-coverage, 服务阵地]"),
        "topics: [organisation-coverage, 服务阵地]",
        "topics 第2项 “服务阵地” 不在词表 vocab/topics.yaml 里，是不是 service-stations（服务阵地）？",
    ),
    (
        "unknown field",
        ("summary: 扶风县", "sumary: 扶风县"),
        "sumary:",
        "不认识的字段 sumary，是不是要写 summary？",
    ),
    (
        "html in text",
        ("summary: 扶风县以", "summary: <script>alert(1)</script>扶风县以"),
        "summary: <script>",
        "summary 里有 HTML 标签：只写纯文字，不要写 < > 标签",
    ),
    (
        "javascript link",
        ("text: 建立行业党组织。", "text: '[x](javascript:alert(1))'"),
        "javascript:alert",
        "measures 第1项 text 里有 javascript: 之类的脚本链接：只写纯文字",
    ),
    (
        "event handler",
        ("text: 建设服务阵地。", 'text: 建设 <img src=x onerror="alert(1)">'),
        "onerror",
        "measures 第2项 text 里有网页脚本事件（如 onclick=）：只写纯文字",
    ),
    (
        "phone number",
        ("text: 建设服务阵地。", "text: 联系电话13812345678"),
        "13812345678",
        "measures 第2项 text 里有电话号码：不要公开个人联系方式，请删去",
    ),
    (
        "id card number",
        ("text: 建设服务阵地。", "text: 身份证610324199001011234"),
        "610324199001011234",
        "measures 第2项 text 里有身份证号：不要公开个人信息，请删去",
    ),
    (
        "path-like id",
        ("id: fx-fufeng-sanjia", "id: ../../etc/passwd"),
        "id: ../../etc/passwd",
        "id “../../etc/passwd” 不合规：只能用小写英文字母、数字和连字符（-），3–64 个字符，以字母或数字开头；不能含空格、汉字、/ 或 ..",
    ),
    (
        "region name and code disagree",
        ('county: {name: 扶风县, code: "610324"}', 'county: {name: 千阳县, code: "610324"}'),
        "county: {name: 千阳县",
        "region county name “千阳县” 与代码 610324 不符：代码对应的是“扶风县”",
    ),
    (
        "hierarchy disagrees",
        ('city: {name: 宝鸡市, code: "610300"}', 'city: {name: 西安市, code: "610100"}'),
        "county: {name: 扶风县",
        "region county“扶风县”不属于西安市，而属于宝鸡市（610300）",
    ),
    (
        "impossible date",
        ('period: {started: "2022", reported: "2022-12-06"}', 'period: {started: "2022", reported: "2024-13-45"}'),
        "period:",
        "period reported “2024-13-45” 不是真实存在的日期",
    ),
    (
        "http url only",
        ("    issue: 第21期", "    issue: 第21期\n    url: ftp://example.org/x"),
        "url: ftp",
        "sources 第1项 url 必须是 http:// 或 https:// 开头的完整网址",
    ),
    (
        "english measures must match",
        ("    - name: Warm stations\n      text: Build service stations.\n", ""),
        "  measures:\n",
        None,  # checked separately below (line is the en block's measures)
    ),
]


@pytest.mark.parametrize("name, change, needle, message", [c for c in CASES if c[3]], ids=[c[0] for c in CASES if c[3]])
def test_mistake_reported_at_its_line(tmp_path, name, change, needle, message):
    old, new = change
    assert old in BASE
    text = BASE.replace(old, new, 1)
    path = write(tmp_path, text)
    expected = f"{display_path(path)}:{line_of(text, needle)}: {message}"
    assert expected in problems_for(path)


def test_figure_value_and_wording_disagree(tmp_path):
    text = BASE.replace("period:", NUMBERS.replace("value: 2000", "value: 200") + "period:")
    path = write(tmp_path, text)
    expected = f"{display_path(path)}:{line_of(text, 'value: 200')}: numbers 第1项：value 写的是 200，但原文“2000余名”是 2000（万、亿要换算成整数）"
    assert expected in problems_for(path)


def test_figure_qualifier_disagrees(tmp_path):
    text = BASE.replace("period:", NUMBERS.replace("qualifier: more-than", "qualifier: nearly") + "period:")
    path = write(tmp_path, text)
    expected = f"{display_path(path)}:{line_of(text, 'qualifier: nearly')}: numbers 第1项：qualifier 写的是 nearly，但原文“2000余名”表示 more-than"
    assert expected in problems_for(path)


def test_figure_range_needs_low_high(tmp_path):
    fig = "numbers:\n  - subject: 取餐耗时\n    value: 78\n    unit: 分钟\n    printed: 七八分钟\n"
    text = BASE.replace("period:", fig + "period:")
    path = write(tmp_path, text)
    expected = f"{display_path(path)}:{line_of(text, 'value: 78')}: numbers 第1项：原文“七八分钟”是一个区间，请写 low 和 high，不要写 value"
    assert expected in problems_for(path)


def test_english_measures_count(tmp_path):
    text = BASE.replace("    - name: Warm stations\n      text: Build service stations.\n", "")
    path = write(tmp_path, text)
    line = text.splitlines().index("  measures:") + 1  # the key of the list
    assert f"{display_path(path)}:{line}: en measures 有 1 项，中文 measures 有 2 项：要一一对应" in problems_for(path)


def test_missing_required_field_names_it(tmp_path):
    text = BASE.replace("theme: new-employment-groups\n", "")
    path = write(tmp_path, text)
    assert f"{display_path(path)}:2: 缺少必填字段 theme" in problems_for(path)


def test_every_problem_reported_at_once(tmp_path):
    text = (
        BASE.replace("groups: [couriers, delivery-riders]", "groups: [couriers, riders]")
        .replace("summary: 扶风县以", "summary: <b>x</b>扶风县以")
        .replace('county: {name: 扶风县, code: "610324"}', 'county: {name: 千阳县, code: "610324"}')
    )
    path = write(tmp_path, text)
    found = problems_for(path)
    assert len(found) == 3
    assert [int(p.split(":")[1]) for p in found] == sorted(int(p.split(":")[1]) for p in found)


def test_file_path_must_match_id_and_province(tmp_path):
    path = write(tmp_path, BASE, name="other-name", province="shanxi")
    found = problems_for(path)
    assert (
        f"{display_path(path)}:2: 文件名与 id 不一致：id 是 fx-fufeng-sanjia，文件应命名为 fx-fufeng-sanjia.yaml"
        in found
    )
    assert f"{display_path(path)}:10: 文件放错了文件夹：陕西省的案例应放在 cases/shaanxi/ 下" in found


def test_duplicate_ids_even_after_case_folding(tmp_path):
    a = write(tmp_path, BASE)
    other = BASE.replace("id: fx-fufeng-sanjia", "id: fx-fufeng-sanjia-2").replace(
        "name: “三家”工程", "name: 另一个模式"
    )
    b = write(tmp_path, other, name="fx-fufeng-sanjia-2")
    # the same id as a, in another file: reported in both files
    third = BASE.replace("name: “三家”工程", "name: 第三个模式")
    c = write(tmp_path, third, name="fx-fufeng-sanjia", province="shaanxi-copy")
    _, problems = check_paths([tmp_path / "cases"])
    text = [str(p) for p in problems]
    assert any(p.startswith(f"{display_path(a)}:2: id “fx-fufeng-sanjia” 与 ") for p in text)
    assert any(p.startswith(f"{display_path(c)}:2: id “fx-fufeng-sanjia” 已被 ") for p in text)
    assert not any(p.startswith(display_path(b) + ":2: id") for p in text)


def test_same_case_twice(tmp_path):
    write(tmp_path, BASE)
    other = BASE.replace("id: fx-fufeng-sanjia", "id: fx-fufeng-again")
    b = write(tmp_path, other, name="fx-fufeng-again")
    _, problems = check_paths([tmp_path / "cases"])
    assert any(str(p).startswith(f"{display_path(b)}:6: 与 ") and "是同一个案例" in str(p) for p in problems)


def test_dangling_related_id(tmp_path):
    text = BASE.replace("en:\n", "related:\n  - id: no-such-case\n    relation: same-model\nen:\n")
    path = write(tmp_path, text)
    assert (
        f"{display_path(path)}:{line_of(text, 'no-such-case')}: related 第1项 id “no-such-case” 没有这个案例"
        in problems_for(path)
    )


def test_several_sources_need_a_named_source(tmp_path):
    two = '    issue: 第21期\n  - key: second\n    kind: newspaper\n    publication: null\n    title: 另一篇\n    date: "2022"\n'
    text = BASE.replace("    issue: 第21期\n", two).replace("period:", NUMBERS + "period:")
    path = write(tmp_path, text)
    line = line_of(text, "- subject: 快递从业人员")
    assert (
        f"{display_path(path)}:{line}: numbers 第1项 要写 source：本案例有多个出处，请注明出自哪一个（bj、second）"
        in problems_for(path)
    )


def test_checker_exit_code_and_summary(tmp_path, capsys):
    from casebook.cli import main

    good = write(tmp_path, BASE)
    assert main(["check", str(good)]) == 0
    bad = write(tmp_path, BASE.replace("theme: new-employment-groups", "theme: unknown-theme"))
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr()
    assert "theme “unknown-theme” 不在词表" in out.out
    assert "发现 1 个问题，涉及 1 个文件" in out.err


def test_github_annotation_format(tmp_path, capsys):
    from casebook.cli import main

    bad = write(tmp_path, BASE.replace("theme: new-employment-groups", "theme: x"))
    assert main(["check", "--format", "github", str(bad)]) == 1
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith(f"::error file={display_path(bad)},line=8::theme “x” 不在词表")


SCHEMA_MUTATIONS = [c[1] for c in CASES] + [
    ("theme: ", "theme: 123\nx_theme: "),
    ("groups: [couriers, delivery-riders]", "groups: []"),
    ("groups: [couriers, delivery-riders]", "groups: [couriers, couriers]"),
    ("    issue: 第21期", "    issue: ''"),
    ("printed: 2000余名", "printed: 2000余名\n    extra: 1"),
]


@pytest.mark.parametrize("change", SCHEMA_MUTATIONS, ids=range(len(SCHEMA_MUTATIONS)))
def test_compiled_schema_agrees_with_the_schema(change):
    """The pass/fail check runs on a copy of the schema with its references written out."""
    text = BASE.replace(*change) if change[0] in BASE else BASE + NUMBERS.replace(*change)
    data = load_text("x.yaml", text).data
    try:
        schema_check()(data)
        fast_ok = True
    except fastjsonschema.JsonSchemaException:
        fast_ok = False
    assert fast_ok == (not list(_full().iter_errors(data)))
    assert '"$ref"' not in json.dumps(_inline_refs(_schema(), _schema()["definitions"]))
