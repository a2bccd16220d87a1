"""``casebook verify``: records against the text of their sources (synthetic sources, and the real ones
in ../shared/sources where that folder exists)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from casebook.check import find_records
from casebook.cli import main
from casebook.load import load_file
from casebook.problems import errors
from casebook.verify import COPY_RUN, norm, place_names, verify

ROOT = Path(__file__).resolve().parent.parent
SHARED_SOURCES = ROOT.parent / "shared" / "sources"

# A scanned article: a paragraph cut by a line break inside a word, full-width digits and
# punctuation, a quotation with a nested quotation, a date, an issue number and a clock time.
SOURCE = """\
# 龙里：“红色引擎”让快递物流行业找到“家”

第 21 期　　2022 年 12 月 6 日

龙里县谷脚镇的快递物流集聚区占地２０００余亩，容纳企业（项目）50家，吸引了12万名新就业群体。县里建成“司机之

家”，联合发改、交通等18家职能部门成立行业联合党委，每月由一位负责人担任“轮值主席”，协调解决难题80余件。

“有‘轮值主席’真好，我们反映的公交站点问题，他们很快就帮忙协调解决了。”快递员郭宏登说。

12月14日下午3时，龙里司机之家接待了货车司机30名，免费提供休息场所。

另据了解，邻县去年新建驿站6个。
"""

RECORD = """\
id: longli-test
model:
  name: “红色引擎”
  parts:
    - 司机之家
    - 轮值主席
region:
  province: {name: 贵州省, code: "520000"}
  county: {name: 龙里县, code: "522730"}
summary: 县里建设服务站点，按月轮换联络人，为快递员和货车司机解决实际问题。
measures:
  - name: 轮值主席
    topic: grassroots-governance
    text: 企业负责人按月轮流收集职工诉求并协调解决。
  - label: 编者自拟的措施名称
    topic: service-stations
    text: 为货车司机提供休息场所。
numbers:
  - subject: 集聚区占地
    unit: 亩
    printed: 2000余亩
  - subject: 企业（项目）
    unit: 家
    printed: 50家
  - subject: 新就业群体
    unit: 名
    printed: 12万名
  - subject: 职能部门
    unit: 家
    printed: 18家
  - subject: 难题
    unit: 件
    printed: 80余件
  - subject: 接待的货车司机
    unit: 名
    printed: 30名
quotes:
  - text: 有“轮值主席”真好，我们反映的公交站点问题，他们很快就帮忙协调解决了。
    speaker: 快递员
sources:
  - key: gzrb
    kind: newspaper
    title: 测试
    date: "2022-12"
    file: source.txt
"""


def _setup(tmp_path: Path, record: str = RECORD, source: str = SOURCE, name: str = "case.yaml") -> Path:
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    (sources / "source.txt").write_text(source, encoding="utf-8")
    cases = tmp_path / "cases"
    cases.mkdir(exist_ok=True)
    path = cases / name
    path.write_text(record, encoding="utf-8")
    return path


def _run(tmp_path: Path, *paths: Path):
    return verify(list(paths) or [tmp_path / "cases"], sources_dir=tmp_path / "sources")


def _line_of(record: str, needle: str) -> int:
    return next(i for i, line in enumerate(record.splitlines(), 1) if needle in line)


def test_the_faithful_record_passes(tmp_path):
    """Verbatim across the scan's line break (司机之\\n\\n家), full-width digits (２０００余亩), a nested
    quotation written “…” in the record (‘…’ in the source): no error, no hint."""
    _setup(tmp_path)
    result = _run(tmp_path)
    assert result.verified == 1
    assert result.problems == []


def test_normalisation():
    assert norm("司机之\n\n家") == norm("司机之家")
    assert norm("（网约车）行业：共3，500人") == norm("(网约车)行业:共3,500人")
    assert norm("２０００余亩") == "2000余亩"
    assert (
        norm("有‘轮值主席’真好") == norm("有“轮值主席”真好") == norm("有「轮值主席」真好") == norm('有"轮值主席"真好')
    )
    assert norm("一是**“双找”摸清底数**。") == norm("一是“双找”摸清底数。")
    assert norm("李明·张") == norm("李明・张")
    assert norm("、") != norm(",")  # an enumeration comma is not a comma
    assert norm("。") != norm(".")


def test_full_and_half_width_punctuation(tmp_path):
    record = RECORD.replace("printed: 50家", "printed: 50家").replace(
        "  - name: 轮值主席\n", "  - name: 企业(项目)50家\n"
    )
    _setup(tmp_path, record)
    assert errors(_run(tmp_path).problems) == []


def test_a_changed_character_is_an_error_at_its_line(tmp_path, capsys):
    record = RECORD.replace("printed: 2000余亩", "printed: 2000多亩")
    path = _setup(tmp_path, record)
    result = _run(tmp_path)
    (problem,) = errors(result.problems)
    assert problem.path.endswith("case.yaml")
    assert problem.line == _line_of(record, "2000多亩")
    assert "numbers 第1项 printed “2000多亩” 在原文里找不到" in problem.message
    assert "一字不差" in problem.message
    assert "原文第 5 行附近相近的写法：“２０００余亩”" in problem.message
    assert main(["verify", str(path), "--sources", str(tmp_path / "sources")]) == 1
    out = capsys.readouterr()
    assert f"case.yaml:{problem.line}: numbers 第1项" in out.out
    assert "发现 1 处与原文不符" in out.err


def test_every_printed_field_is_checked(tmp_path):
    record = (
        RECORD.replace("name: “红色引擎”", "name: “绿色引擎”")
        .replace("    - 司机之家\n", "    - 司机的家\n")
        .replace("  - name: 轮值主席\n", "  - name: 轮流主席\n")
        .replace("他们很快就帮忙", "他们马上就帮忙")
    )
    _setup(tmp_path, record)
    found = {(p.line, p.message.split(" 在原文")[0]) for p in errors(_run(tmp_path).problems)}
    assert found == {
        (_line_of(record, "绿色引擎"), "model.name ““绿色引擎””"),
        (_line_of(record, "司机的家"), "model.parts 第1项 “司机的家”"),
        (_line_of(record, "轮流主席"), "measures 第1项 name “轮流主席”"),
        (
            _line_of(record, "马上"),
            "quotes 第1项 text “有“轮值主席”真好，我们反映的公交站点问题，他们马上就帮忙协调解决了。”",
        ),
    }


def test_a_number_is_not_found_inside_a_longer_one(tmp_path):
    record = RECORD.replace("printed: 12万名", "printed: 2万名")
    _setup(tmp_path, record)
    (problem,) = errors(_run(tmp_path).problems)
    assert problem.line == _line_of(record, "2万名")


def test_before_and_after_printed(tmp_path):
    source = SOURCE + "\n办理时间从七八分钟减少到一分多钟。\n"
    record = RECORD.replace(
        "quotes:\n",
        "  - subject: 办理时间\n    unit: 分钟\n    printed: 从七八分钟减少到一分多钟\n"
        "    before: {printed: 七八分钟}\n    after: {printed: 一分钟}\nquotes:\n",
    )
    _setup(tmp_path, record, source)
    (problem,) = errors(_run(tmp_path).problems)
    assert problem.line == _line_of(record, "after:")
    assert problem.message.startswith("numbers 第7项 after.printed “一分钟”")


def test_a_label_is_not_checked(tmp_path):
    record = RECORD.replace("name: “红色引擎”", "label: 编者概括的模式名称")
    _setup(tmp_path, record)
    assert _run(tmp_path).problems == []


def test_an_ellipsis_in_a_quotation_marks_words_left_out(tmp_path):
    record = RECORD.replace("我们反映的公交站点问题，他们很快", "我们反映的……他们很快")
    _setup(tmp_path, record)
    assert errors(_run(tmp_path).problems) == []
    record = RECORD.replace("我们反映的公交站点问题，他们很快", "我们反映的……他们马上")
    _setup(tmp_path, record)
    assert len(errors(_run(tmp_path).problems)) == 1


def test_a_copied_long_run_is_a_hint(tmp_path, capsys):
    copied = "联合发改、交通等18家职能部门成立行业联合党委"  # 23 characters of the source
    assert len(norm(copied)) >= COPY_RUN
    record = RECORD.replace("summary: 县里建设服务站点，", f"summary: 县里{copied}，建设服务站点，")
    path = _setup(tmp_path, record)
    result = _run(tmp_path)
    (hint,) = result.problems
    assert hint.warning
    assert hint.line == _line_of(record, "summary:")
    assert f"summary 与原文第 7 行附近连续 {len(norm(copied))} 个字相同：“{copied}”" in hint.message
    assert main(["verify", str(path), "--sources", str(tmp_path / "sources")]) == 0
    assert "提示：summary" in capsys.readouterr().out


def test_a_short_run_or_a_quoted_slogan_is_not_a_hint(tmp_path):
    short = "联合发改、交通等18家职能部门"  # 15 characters
    slogan = "“有‘轮值主席’真好，我们反映的公交站点问题”"  # in quotation marks: citing, not copying
    record = RECORD.replace("summary: 县里建设服务站点，", f"summary: 县里{short}，职工说{slogan}，")
    _setup(tmp_path, record)
    assert _run(tmp_path).problems == []


def test_an_unrecorded_figure_near_the_place_name_is_a_hint(tmp_path):
    record = RECORD.replace("  - subject: 接待的货车司机\n    unit: 名\n    printed: 30名\n", "")
    _setup(tmp_path, record)
    result = _run(tmp_path)
    (hint,) = result.problems
    assert hint.warning
    assert hint.line == _line_of(record, "numbers:")
    assert "原文第 11 行附近印有数字 “30名”" in hint.message
    assert "司机之家接待了货车司机30名，免费提供休息场所。" in hint.message
    # dates, clock times and issue numbers are not figures; 驿站6个 is in a paragraph that does not name 龙里
    # (the short form of 龙里县)
    assert not any(w in hint.message for w in ("12月", "3时", "21期", "6个"))


def test_a_figure_held_by_another_record_citing_the_source_is_not_a_hint(tmp_path):
    record = RECORD.replace("  - subject: 接待的货车司机\n    unit: 名\n    printed: 30名\n", "")
    other = RECORD.replace("id: longli-test", "id: other").replace("name: “红色引擎”", "label: 另一个")
    _setup(tmp_path, record)
    _setup(tmp_path, other, name="other.yaml")
    assert _run(tmp_path).problems == []


def test_a_figure_the_notes_mention_is_not_a_hint(tmp_path):
    record = RECORD.replace("  - subject: 接待的货车司机\n    unit: 名\n    printed: 30名\n", "").replace(
        "sources:\n", "notes: 原文“货车司机30名”是某一天的接待人数，不是案例统计，未录入。\nsources:\n"
    )
    _setup(tmp_path, record)
    assert _run(tmp_path).problems == []


def test_place_names_and_their_short_forms():
    assert place_names({"county": {"name": "龙里县"}, "town": {"name": "谷脚镇"}}) == [
        "龙里县",
        "龙里",
        "谷脚镇",
        "谷脚",
    ]
    assert place_names({"city": {"name": "黔南布依族苗族自治州"}}) == ["黔南布依族苗族自治州", "黔南"]
    assert place_names({"village": {"name": "乐遥村村民委员会"}}) == ["乐遥村村民委员会", "乐遥村", "乐遥"]
    assert place_names({"county": {"name": "泾县"}}) == ["泾县"]  # 泾 alone is too short to look for
    assert place_names({"province": {"name": "北京市"}}) == []  # a province matches the whole page


def test_a_missing_source_file_is_a_message_not_a_crash(tmp_path, capsys):
    path = _setup(tmp_path, RECORD.replace("file: source.txt", "file: absent.txt"))
    result = _run(tmp_path)
    (problem,) = result.problems
    assert problem.warning and problem.line == _line_of(RECORD, "file:")
    assert "原文文件 absent.txt 不在" in problem.message
    assert result.verified == 0
    assert main(["verify", str(path), "--sources", str(tmp_path / "sources")]) == 2
    assert "没有核对任何记录" in capsys.readouterr().err
    # no sources folder at all (a forge's CI): one line, exit 2
    assert main(["verify", str(path), "--sources", str(tmp_path / "nowhere")]) == 2
    out = capsys.readouterr()
    assert out.out.count("\n") == 1 and "原文文件夹不存在" in out.out


def test_source_option_applies_one_file_to_every_record(tmp_path):
    _setup(tmp_path, RECORD.replace("file: source.txt", "file: absent.txt"))
    _setup(tmp_path, RECORD.replace("    file: source.txt\n", ""), name="nofile.yaml")
    result = verify([tmp_path / "cases"], source_file=tmp_path / "sources" / "source.txt")
    assert result.verified == 2
    assert result.problems == []
    assert main(["verify", str(tmp_path / "cases"), "--source", str(tmp_path / "x.txt")]) == 2


def _records_with_sources() -> list[Path]:
    out = []
    for path in find_records([ROOT / "cases"]):
        data = load_file(path).data
        files = [s.get("file") for s in (data or {}).get("sources") or [] if isinstance(s, dict)]
        if files and all(isinstance(f, str) and (SHARED_SOURCES / f).is_file() for f in files):
            out.append(path)
    return out


def test_real_records_match_their_sources():
    """Every record in cases/ whose ``file:`` is in ../shared/sources: what it says is printed is."""
    if not SHARED_SOURCES.is_dir():
        pytest.skip(f"../shared/sources is absent: the sources are not redistributed ({SHARED_SOURCES})")
    records = _records_with_sources()
    if not records:
        pytest.skip(f"no record in cases/ cites a file present in {SHARED_SOURCES}")
    started = time.perf_counter()
    result = verify(records, sources_dir=SHARED_SOURCES)
    elapsed = time.perf_counter() - started
    assert result.verified == len(records)
    assert errors(result.problems) == [], "\n".join(map(str, errors(result.problems)))
    assert elapsed < 5, f"verify took {elapsed:.1f}s for {len(records)} records"
