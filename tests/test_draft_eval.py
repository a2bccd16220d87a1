"""The drafter against the gold set (tests/gold/cases) over ../shared/sources — skipped without them."""

import pytest

from casebook.draft.evaluate import THRESHOLDS, evaluate, field_verdict, leftovers_table, strip_confirm
from casebook.paths import project_root
from casebook.verify import default_sources_dir

SOURCES = default_sources_dir()
GOLD = project_root() / "tests" / "gold" / "cases"
# Where a threshold is not met, the figure reached (docs-notes/draft.md says why). A change that does
# better should lower nothing here; one that does worse fails.
SHORT_OF: dict[tuple[str, str], float] = {}


@pytest.fixture(scope="module")
def result():
    if not SOURCES.is_dir() or not any(SOURCES.glob("*.txt")):
        pytest.skip(f"no sources in {SOURCES}: the articles are not redistributed, so the gold evaluation cannot run")
    return evaluate(SOURCES, GOLD)


def test_gold_set_is_the_four_sources(result):
    assert sorted(result["all"]) == ["000", "001", "002", "004"]
    assert sum(s.practices_recorded for s in result["all"].values()) == 31


@pytest.mark.parametrize("source", ["000", "001", "002", "004"])
def test_thresholds_per_source(result, source):
    rates = result["all"][source].rates()
    for key, goal in THRESHOLDS.items():
        want = SHORT_OF.get((source, key), goal)
        if key == "false_figures":
            assert rates[key] <= goal, (source, key, rates[key])
        else:
            assert rates[key] >= want - 1e-9, (source, key, rates[key])


def test_leave_one_source_out_totals(result):
    total = None
    for s in result["loso"].values():
        total = s if total is None else total + s
    rates = total.rates()
    assert rates["figures_right"] >= 0.9 and rates["false_figures"] <= 0.2
    assert rates["practices_found"] >= 0.85 and rates["names_found"] >= 0.8


def test_strip_confirm_changes_nothing_else():
    text = 'id: x\nstatus: draft\nconfirm:\n  - "a"\n  - "b"\n# 标题\ntitle:\n'
    assert strip_confirm(text) == "id: x\n# 标题\ntitle:\n"


def test_leftovers_table_names_empty_fields_and_counts_anything_else():
    found = {
        "a.yaml": ["title 还没有填写", "measures 第1项 text 还没有填写", "measures 第2项 text 还没有填写"],
        "b.yaml": ["title 还没有填写", "region city code 不在行政区划数据里"],
    }
    text = leftovers_table(found)
    assert "| a.yaml | 3 | measures[].text ×2、title |" in text
    assert "errors other than an empty field: 1." in text and "title 2" in text


def test_no_drafted_source_field_cites_what_the_record_does_not(result):
    assert [s.titles_wrong for mode in ("all", "loso") for s in result[mode].values()] == [0] * 8
    assert [s.wrong_fields for s in result["all"].values()] == [[]] * 4
    assert sum(s.titles_right for s in result["all"].values()) >= 24  # docs-notes/draft.md: 7 left for the editor


def test_field_verdicts():
    assert field_verdict("坚持正确政绩观④", "坚持正确政绩观④") == "right"
    assert field_verdict(None, None) == "right"
    assert field_verdict(None, "坚持党建引领") == "empty"
    assert field_verdict("单位工作人员 孙 靓", "孙靓（单位工作人员）") == "form"
    assert field_verdict("浙江省青田县：组织动员", "坚持党建引领") == "wrong"
    assert field_verdict("贵州日报", None) == "wrong"
