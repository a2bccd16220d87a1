"""``casebook new``: the skeleton lands at the right path and the checker guides the rest."""

from __future__ import annotations

import os

import pytest
import yaml

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
    "扶风县为快递员建设服务站点。",
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


@pytest.mark.parametrize(
    "code, said",
    [
        ("52", "不是区划代码"),
        ("5227", "不是区划代码"),
        ("５２２７３０", "不是区划代码"),
        ("110100", "是直辖市下的统计分组"),
    ],
)
def test_short_and_placeholder_region_codes_are_refused(tmp_path, capsys, code, said):
    assert main(["new", "--cases-dir", str(tmp_path), "--id", "x-test", "--region", code]) == 2
    assert said in capsys.readouterr().err
    assert not any(tmp_path.rglob("*.yaml"))


@pytest.mark.parametrize(
    "code, levels",
    [
        ("520000", ["province"]),
        ("520300", ["province", "city"]),
        ("110101", ["province", "county"]),
        ("522730103", ["province", "city", "county", "town"]),
    ],
)
def test_every_documented_code_length_resolves(code, levels):
    from casebook.new import find_unit

    assert [lvl for lvl, _ in find_unit(code)] == levels


# --- answers are checked before anything is written ------------------------------------------------


def _refused(tmp_path, capsys, *argv: str) -> str:
    """Run ``casebook new`` with ``argv``; it must exit 1 with a message, write nothing, raise nothing."""
    cases = tmp_path / "cases"
    before = sorted(p for p in tmp_path.rglob("*"))
    assert main(["new", "--cases-dir", str(cases), "--region", "610324", *argv]) == 1
    assert sorted(p for p in tmp_path.rglob("*")) == before
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()
    return err


@pytest.mark.parametrize(
    "case_id",
    [
        "../../../outside/x",
        "../x-test",
        "beijing/x-test",
        "/tmp/x-test",
        "a" * 300,
        "x-test\n",
        "X-Test",
        "ab",
        "-x-test",
        "x_test",
        "ｘ-test",
        "x-test\u2028status: withdrawn",
    ],
)
def test_bad_id_is_refused(tmp_path, capsys, case_id):
    (tmp_path / "outside").mkdir()
    target = os.path.normpath(tmp_path / "cases" / "shaanxi" / f"{case_id}.yaml")  # where it would land
    err = _refused(tmp_path, capsys, f"--id={case_id}")
    assert "id" in err and "没有创建文件" in err
    assert not any((tmp_path / "outside").iterdir())
    assert not os.path.lexists(target)


@pytest.mark.parametrize(
    "date",
    [
        "2024-01-01\nstatus: withdrawn",
        "2024-01-01\n",
        " 2024-01-01",
        "２０２４-01-01",
        "٢٠٢٤-01-01",
        "2024-02-30",
        "2024-1-1",
        "2024",
        "2024-01-01T00:00",
        "",
    ],
)
def test_bad_date_is_refused(tmp_path, capsys, date):
    err = _refused(tmp_path, capsys, "--id", "fufeng-test", f"--date={date}")
    assert "收录日期" in err


@pytest.mark.parametrize(
    ("flag", "value", "said"),
    [
        ("--reported", "2022\nstatus: withdrawn", "period reported"),
        ("--source-date", "2022-13", "sources 第1项 date"),
        ("--title", "<script>alert(1)</script>", "title"),
        ("--theme", "new-employment", "theme"),
        ("--groups", "couriers,bogus", "groups 第2项"),
        ("--measure-topic", "servic-stations", "measures 第1项 topic"),
        ("--actor-level", "cunty", "actor level"),
        ("--source-kind", "tv", "sources 第1项 kind"),
    ],
)
def test_answers_the_checker_refuses_are_refused(tmp_path, capsys, flag, value, said):
    err = _refused(tmp_path, capsys, "--id", "fufeng-test", flag, value)
    assert said in err


def test_answers_cannot_add_fields(tmp_path):
    """Every answer stays inside its own value: no line break, even one YAML alone reads as one."""
    cases = tmp_path / "cases"
    odd = "概述\u2028status: withdrawn\u2029id: other"  # line breaks to YAML, not to the checker
    assert main(["new", "--cases-dir", str(cases), "--id", "fufeng-test", "--region", "610324", "--summary", odd]) == 0
    path = cases / "shaanxi" / "fufeng-test.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["summary"] == odd
    assert data["id"] == "fufeng-test" and "status" not in data


def test_existing_file_and_taken_id_are_not_overwritten(tmp_path, capsys):
    cases = tmp_path / "cases"
    path = cases / "shaanxi" / "fufeng-test.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("mine\n", encoding="utf-8")
    assert main(["new", "--cases-dir", str(cases), "--id", "fufeng-test", "--region", "610324"]) == 1
    assert path.read_text(encoding="utf-8") == "mine\n"
    assert "不会覆盖" in capsys.readouterr().err
    # the same id in another province's folder
    assert main(["new", "--cases-dir", str(cases), "--id", "fufeng-test", "--region", "522730"]) == 1
    assert "已被" in capsys.readouterr().err
    assert not (cases / "guizhou").exists()


def test_province_folder_linked_outside_is_refused(tmp_path, capsys):
    cases = tmp_path / "cases"
    outside = tmp_path / "outside"
    cases.mkdir()
    outside.mkdir()
    (cases / "shaanxi").symlink_to(outside, target_is_directory=True)
    assert main(["new", "--cases-dir", str(cases), "--id", "fufeng-test", "--region", "610324"]) == 1
    assert "不在案例文件夹" in capsys.readouterr().err
    assert not any(outside.iterdir())
