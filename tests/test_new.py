"""``casebook new``: the skeleton lands at the right path and the checker guides the rest."""

from __future__ import annotations

from casebook.check import check_paths
from casebook.cli import main

ANSWERS = [
    "--title",
    "扶风县测试",
    "--model",
    "“三家”工程",
    "--theme",
    "new-employment-groups",
    "--actor-name",
    "扶风县委组织部",
    "--actor-level",
    "county",
    "--groups",
    "couriers,delivery-riders",
    "--topics",
    "service-stations",
    "--summary",
    "概述",
    "--measure-topic",
    "service-stations",
    "--measure-text",
    "建设驿站",
    "--reported",
    "2022",
    "--source-kind",
    "briefing",
    "--source-title",
    "简报",
    "--source-date",
    "2022-12-06",
]


def test_all_answers_give_a_valid_record(tmp_path):
    cases = tmp_path / "cases"
    assert (
        main(
            [
                "new",
                "--cases-dir",
                str(cases),
                "--id",
                "fufeng-test",
                "--region",
                "610324",
                "--date",
                "2026-11-23",
                *ANSWERS,
            ]
        )
        == 0
    )
    path = cases / "shaanxi" / "fufeng-test.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "added: 2026-11-23" in text
    assert 'city: {name: 宝鸡市, code: "610300"}' in text
    _, problems = check_paths([path])
    assert problems == []


def test_missing_answers_are_listed_by_line(tmp_path):
    cases = tmp_path / "cases"
    assert (
        main(["new", "--cases-dir", str(cases), "--id", "tiantong-test", "--region", "110114008", "--title", "测试"])
        == 0
    )
    path = cases / "beijing" / "tiantong-test.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert 'province: {name: 北京市, code: "110000"}' in lines[lines.index("region:") + 1]
    assert not any("市辖区" in line for line in lines)  # a municipality's placeholder city is left out
    _, problems = check_paths([path])
    got = {(p.line, p.message) for p in problems}
    theme_line = next(n for n, line in enumerate(lines, 1) if line.startswith("theme:"))
    summary_line = next(n for n, line in enumerate(lines, 1) if line.startswith("summary:"))
    assert (theme_line, "theme 还没有填写") in got
    assert (summary_line, "summary 还没有填写") in got


def test_unknown_region_code_is_refused(tmp_path, capsys):
    assert main(["new", "--cases-dir", str(tmp_path), "--id", "x-test", "--region", "999999"]) == 2
    assert "没有这个区划代码" in capsys.readouterr().err
