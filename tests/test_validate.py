"""The checker: one fixture per class of editor mistake, asserting the exact ``path:line: message``."""

from __future__ import annotations

import json
from pathlib import Path

import fastjsonschema
import pytest

from casebook.check import check_paths, display_path
from casebook.load import load_text
from casebook.validate import FAST_SKIPPED, _full, _inline_refs, _schema, schema_check

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
    (
        "model name and label both",
        ("  name: “三家”工程\n", "  name: “三家”工程\n  label: 三家工程\n"),
        "model:",
        "model 的 name 和 label 只能写一个：原文印出的名称写 name，编者概括的写 label",
    ),
    (
        "model without a name",
        ("  name: “三家”工程\n", ""),
        "model:",
        "model 缺少名称：原文印出的名称写 name（照原文），原文没有名称时写 label（编者概括）",
    ),
    (
        "measure name and label both",
        ("  - name: 组织建家\n", "  - name: 组织建家\n    label: 建家\n"),
        "  - name: 组织建家",
        "measures 第1项 的 name 和 label 只能写一个：原文印出的措施名称写 name，编者概括的写 label",
    ),
    (
        "full-width digits in a date",
        ("added: 2026-11-04", "added: ２０２６-１１-０４"),
        "added:",
        "added “２０２６-１１-０４” 不是日期：写成 2022、2022-12 或 2022-12-06",
    ),
    (
        "Arabic-Indic digits in a date",
        ('reported: "2022-12-06"', 'reported: "٢٠٢٢"'),
        "period:",
        "period reported “٢٠٢٢” 不是日期：写成 2022、2022-12 或 2022-12-06",
    ),
    (
        "trailing newline in a date",
        ('reported: "2022-12-06"', 'reported: "2022-12-06\\n"'),
        "period:",
        "period reported “2022-12-06” 前后有换行或空格：只写日期本身",
    ),
    (
        "full-width digits in a division code",
        ('county: {name: 扶风县, code: "610324"}', 'county: {name: 扶风县, code: "６１０３２４"}'),
        "county: {name: 扶风县",
        "region county code “６１０３２４” 不是区划代码：省、市、县写 6 位（省 520000、市 520300 也写满 6 位），"
        "乡镇街道 9 位，村社区 12 位，只用半角数字 0–9",
    ),
    (
        "reserved id",
        ("id: fx-fufeng-sanjia", "id: index"),
        "id: index",
        "id “index” 是网站自己的页面名（案例总目录），不能用作案例 id：请换一个",
    ),
    (
        "reserved paged id",
        ("id: fx-fufeng-sanjia", "id: index-p2"),
        "id: index-p2",
        "id “index-p2” 是网站自己的页面名（案例总目录），不能用作案例 id：请换一个",
    ),
    (
        "bidi override in a title",
        ("title: 扶风县实施“三家”工程", 'title: "扶风县\\u202e实施“三家”工程"'),
        "title:",
        "title 里有看不见的文字方向控制符 U+202E（会让文字倒着显示）（第 4 个字）：请删去",
    ),
    (
        "C1 control in a title",
        ("title: 扶风县实施“三家”工程", 'title: "扶风县\\x85实施"'),
        "title:",
        "title 里有看不见的控制字符 U+0085（第 4 个字）：请删去",
    ),
    (
        "NUL in a summary",
        ("summary: 扶风县以", 'summary: "扶风县\\0以"\nnotes: 扶风县以'),
        "summary:",
        "summary 里有看不见的控制字符 U+0000（第 4 个字）：请删去",
    ),
    (
        "non-character in a name",
        ("  - name: 组织建家", '  - name: "组织\\uFFFE建家"'),
        'name: "组织',
        "measures 第1项 name 里有看不见的非字符 U+FFFE（第 3 个字）：请删去",
    ),
    (
        "newline in a title",
        ("title: 扶风县实施“三家”工程", 'title: "扶风县\\n实施"'),
        "title:",
        "title 里有看不见的换行（第 4 个字）：请删去",
    ),
    (
        "javascript link hidden by an entity",
        ("text: 建立行业党组织。", "text: 'java&#115;cript:alert(1)'"),
        "java&#115;cript",
        "measures 第1项 text 里有 javascript: 之类的脚本链接：只写纯文字",
    ),
    (
        "javascript link split by a tab",
        ("text: 建立行业党组织。", 'text: "java\\tscript:alert(1)"'),
        "script:alert",
        "measures 第1项 text 里有 javascript: 之类的脚本链接：只写纯文字",
    ),
    (
        "source key with a space",
        ("  - key: bj", "  - key: b j"),
        "  - key: b j",
        "sources 第1项 key “b j” 只能用小写英文字母、数字、连字符和下划线（不能有空格或 #），最多 32 个字符",
    ),
    (
        "replaced_by itself",
        (
            "added: 2026-11-04",
            "added: 2026-11-04\nstatus: withdrawn\nwithdrawn_reason: 合并\nreplaced_by: fx-fufeng-sanjia",
        ),
        "replaced_by:",
        "replaced_by 指向了自己：写合并或改名后的那个新案例的 id",
    ),
    (
        "a draft is never published",
        ("added: 2026-11-04", "added: 2026-11-04\nstatus: draft\nconfirm:\n  - region\n  - numbers 第1项"),
        "status: draft",
        "这是草稿（status: draft），不能发布：还有 2 项待确认（见 confirm）；核对完把 status 改为 published（或删去这一行）",
    ),
    (
        "each entry left to confirm at its line",
        ("added: 2026-11-04", "added: 2026-11-04\nstatus: draft\nconfirm:\n  - region\n  - numbers 第1项"),
        "  - numbers 第1项",
        "待确认：numbers 第1项——核对原文无误后删去这一项",
    ),
    (
        "a correction without updated",
        ("added: 2026-11-04", "added: 2026-11-04\ncorrections:\n  - {date: 2026-11-30, text: 删去原文未写的组织者。}"),
        "corrections:",
        "写了更正（corrections）就要写 updated（最近一次更正的日期，如 2026-11-30）",
    ),
    (
        "updated before the last correction",
        (
            "added: 2026-11-04",
            "added: 2026-11-04\nupdated: 2026-11-10\ncorrections:\n  - {date: 2026-11-30, text: 删去原文未写的组织者。}",
        ),
        "updated:",
        "updated 2026-11-10 早于最后一条更正的日期 2026-11-30",
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
    errors = [e for e in _full().iter_errors(data) if e.validator not in FAST_SKIPPED]
    assert fast_ok == (not errors)  # oneOf/not are left to RecordChecker.names (same messages)
    assert '"$ref"' not in json.dumps(_inline_refs(_schema(), _schema()["definitions"]))


def test_corrections_and_provenance_marks_pass(tmp_path):
    text = BASE.replace(
        "added: 2026-11-04",
        "added: 2026-11-04\nupdated: 2026-11-30\ncorrections:\n  - {date: 2026-11-30, text: 删去原文未写的组织者。}",
    )
    text = text.replace("  name: “三家”工程", "  label: 三家工程").replace("  - name: 阵地暖家", "  - label: 阵地暖家")
    text = text.replace(
        "actor: {name: 扶风县委组织部, level: county}", "actor: {name: 扶风县委组织部, level: county, inferred: true}"
    )
    text = text.replace(
        "period:",
        """numbers:
  - subject: 办理时长
    unit: 小时
    printed: 从2016年的13小时压缩到2022年的0.04小时
    before: {value: 13, printed: 13小时, date: "2016"}
    after: {value: 0.04, printed: 0.04小时, date: "2022", inferred: [date]}
  - subject: 快递员
    value: 30
    unit: 名
    printed: 30名
    date: "2021"
    inferred: [date]
period:""",
    )
    text = text.replace("    issue: 第21期", "    issue: 第21期\n    column: 党建\n    inferred: [column]")
    text = text.replace(
        'en:\n  title: Fufeng County\'s "Three Homes" project\n  summary:', "en:\n  title: Fufeng\n  summary:"
    )
    assert problems_for(write(tmp_path, text)) == []


def test_english_title_without_summary_passes(tmp_path):
    head, _, _ = BASE.partition("en:\n")
    text = head + "en:\n  title: Fufeng County's Three Homes project\n  model: The Three Homes project\n"
    assert problems_for(write(tmp_path, text)) == []


def test_warnings_do_not_fail_the_check(tmp_path):
    from casebook.cli import main

    text = BASE.replace(
        "period:", NUMBERS.replace("unit: 名", "unit: 架次").replace("2000余名", "2000余架次") + "period:"
    )
    text = text.replace("en:\n", "notes: 原文未印出报名，故 publication 为 null。\nen:\n")
    path = write(tmp_path, text)
    found = problems_for(path)
    assert (
        f"{display_path(path)}:{line_of(text, 'unit: 架次')}: 提示：numbers 第1项 单位“架次”不在 vocab/units.yaml 里：英文界面会照中文显示，请在表里补上它的英文"
        in found
    )
    assert any(
        p.startswith(
            f"{display_path(path)}:{line_of(text, 'notes:')}: 提示：notes 是给读者看的，里面有字段名（publication）"
        )
        for p in found
    )
    assert main(["check", str(path)]) == 0
    assert main(["check", "--format", "github", str(path)]) == 0


def test_warnings_are_github_warnings(tmp_path, capsys):
    from casebook.cli import main

    text = BASE.replace(
        "period:", NUMBERS.replace("unit: 名", "unit: 架次").replace("2000余名", "2000余架次") + "period:"
    )
    main(["check", "--format", "github", str(write(tmp_path, text))])
    out = capsys.readouterr().out
    assert "::warning file=" in out and "::error" not in out


def _linked_pair(tmp_path: Path, broken: str) -> tuple[Path, list[Path]]:
    """A record with ``broken`` text and three records linking to it (related and replaced_by)."""
    target = write(tmp_path, broken, name="fx-target")
    linking = []
    for k, (field, model) in enumerate([("related", "甲"), ("related", "乙"), ("replaced_by", "丙")]):
        cid = f"fx-linking-{k}"
        link = (
            "related:\n  - id: fx-target\n    relation: same-model\n"
            if field == "related"
            else "replaced_by: fx-target\n"
        )
        text = BASE.replace("id: fx-fufeng-sanjia", f"id: {cid}").replace("name: “三家”工程", f"name: 模式{model}")
        linking.append(write(tmp_path, text.replace("en:\n", link + "en:\n"), name=cid))
    return target, linking


@pytest.mark.parametrize("id_line", ["id: fx-target", 'id: "fx-target"', "id: 'FX-Target'  # 注释"])
def test_a_record_with_a_yaml_error_is_reported_once_not_by_every_link(tmp_path, id_line):
    text = BASE.replace("id: fx-fufeng-sanjia", id_line).replace("\nsummary: ", "\nsummary: : 多了冒号 [", 1)
    target, linking = _linked_pair(tmp_path, text)
    _, problems = check_paths([tmp_path / "cases"])
    found = [str(p) for p in problems if not p.warning]
    assert found == [
        f"{display_path(target)}:{line_of(text, '多了冒号')}: YAML 格式错误：这里多了一个冒号：文本里有“: ”时，请给整段文字加上引号"
    ]
    # Named alone (as pre-commit does), a linking record still finds the broken one in cases/.
    _, alone = check_paths([linking[0]], tmp_path / "cases")
    assert [p for p in alone if not p.warning] == []


def test_links_still_dangle_when_no_record_declares_the_id(tmp_path):
    # The broken record's id line is itself unreadable (indented under another key): the links
    # to fx-target are reported, as before.
    text = BASE.replace("id: fx-fufeng-sanjia", "other:\n  id: fx-target").replace("\nsummary: ", "\nsummary: : x [", 1)
    _target, linking = _linked_pair(tmp_path, text)
    _, problems = check_paths([tmp_path / "cases"])
    dangling = [p for p in problems if "没有这个案例" in p.message]
    assert sorted({p.path for p in dangling}) == sorted(display_path(p) for p in linking)


def test_a_symlinked_broken_record_is_not_read_for_its_id(tmp_path):
    from casebook.check import id_in_text

    outside = tmp_path / "outside.yaml"
    outside.write_text("id: fx-target\nsummary: : [\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(outside)
    assert id_in_text(outside) == "fx-target"
    assert id_in_text(link) is None


def test_a_placeholder_summary_is_a_warning(tmp_path):
    text = BASE.replace("summary: 扶风县以组织建家、党员兴家、阵地暖家为内容推进新就业群体党建。", 'summary: "x"')
    path = write(tmp_path, text)
    found = problems_for(path)
    assert (
        f"{display_path(path)}:{line_of(text, 'summary:')}: 提示：summary 只有 1 个字：像是还没写完的占位文字，请用自己的话写完整"
        in found
    )


def test_replaced_by_in_a_cycle_is_reported(tmp_path):
    a = BASE.replace(
        "added: 2026-11-04", "added: 2026-11-04\nstatus: withdrawn\nwithdrawn_reason: 合并\nreplaced_by: fx-fufeng-b"
    )
    b = a.replace("id: fx-fufeng-sanjia", "id: fx-fufeng-b").replace(
        "replaced_by: fx-fufeng-b", "replaced_by: fx-fufeng-sanjia"
    )
    b = b.replace("  name: “三家”工程", "  name: “三家”工程二")
    pa = write(tmp_path, a)
    write(tmp_path, b, name="fx-fufeng-b")
    _, problems = check_paths([tmp_path / "cases"])
    expected = (
        f"{display_path(pa)}:{line_of(a, 'replaced_by:')}: "
        "replaced_by 绕成了一个圈（fx-fufeng-sanjia → fx-fufeng-b → fx-fufeng-sanjia）：最后要指向一个未撤下的案例"
    )
    assert expected in [str(p) for p in problems]


def test_a_path_in_file_is_explained(tmp_path):
    text = BASE.replace("    issue: 第21期", "    issue: 第21期\n    file: ../shared/sources/x.txt")
    path = write(tmp_path, text)
    assert any("要写存档原文的文件名，不带文件夹" in p for p in problems_for(path))


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "workers"])
def test_a_slim_check_reports_the_same_as_a_full_one(tmp_path, monkeypatch, parallel):
    # casebook check keeps only what the cross-record rules read of each record (check_paths slim):
    # every cross-record mistake must still be found, at the same lines.
    import casebook.check as cbcheck

    if parallel:
        monkeypatch.setattr(cbcheck, "PARALLEL_FROM", 1)
    write(tmp_path, BASE)
    write(tmp_path, BASE.replace("name: “三家”工程", "name: 第三个模式"), name="fx-fufeng-sanjia", province="x")
    write(tmp_path, BASE.replace("id: fx-fufeng-sanjia", "id: fx-fufeng-again"), name="fx-fufeng-again")
    dangling = BASE.replace("id: fx-fufeng-sanjia", "id: fx-dangling").replace("name: “三家”工程", "name: 四个")
    write(
        tmp_path,
        dangling.replace("en:\n", "related:\n  - id: no-such-case\n    relation: same-model\nen:\n"),
        name="fx-dangling",
    )
    cycle = BASE.replace("id: fx-fufeng-sanjia", "id: fx-c1").replace("name: “三家”工程", "name: 五个")
    cycle = cycle.replace(
        "added: 2026-11-04", "added: 2026-11-04\nstatus: withdrawn\nwithdrawn_reason: 合并\nreplaced_by: fx-c1"
    )
    write(tmp_path, cycle, name="fx-c1")
    full_records, full = check_paths([tmp_path / "cases"])
    slim_records, slim = check_paths([tmp_path / "cases"], slim=True)
    assert [str(p) for p in slim] == [str(p) for p in full]
    assert len(slim_records) == len(full_records) == 5
    assert sum("重复" in str(p) or "已被" in str(p) for p in full) >= 2  # the mistakes are there
    assert any("no-such-case" in str(p) for p in full) and any("replaced_by" in str(p) for p in full)
    assert any("是同一个案例" in str(p) for p in full)
