"""casebook.draft.source: source fields, printed or marked inferred."""

from casebook.draft.source import masthead, source_info
from casebook.draft.split import items
from casebook.draft.text import blocks

BRIEFING = "第 21 期\n\n中共宝鸡市委组织部办公室\n\n2022 年 12 月 6 日\n\n千阳：党建引领寄递物流行业健康发展\n\n今年以来，千阳县发挥党建引领作用，探索破解难题。\n"


def test_briefing_masthead_is_printed():
    bl = blocks(BRIEFING)
    info = source_info(items(bl)[0], masthead(bl))
    assert (info.kind, info.issue, info.issuer, info.date, info.title) == (
        "briefing", "第21期", "中共宝鸡市委组织部办公室", "2022-12-06", "千阳：党建引领寄递物流行业健康发展"
    )  # fmt: skip
    assert info.inferred == [] and info.publication is None


def test_newspaper_from_a_byline_of_the_page_is_inferred():
    bl = blocks(
        "# “红色引擎”让快递物流行业找到“家”\n\n■ 贵州日报天眼新闻记者 刘骏娇\n\n龙里县创新行业党建联建机制。\n\n"
        "## 多措并举提升人才归属感\n\n本报讯（周洁）娄山关街道联系服务人才。\n"
    )
    first, second = (source_info(i, masthead(bl)) for i in items(bl))
    assert (first.publication, first.author, first.date) == ("贵州日报", "刘骏娇", None)
    assert (second.publication, second.author) == ("贵州日报", "周洁")  # the page's paper, from another byline
    assert first.inferred == second.inferred == ["publication"]


def test_a_year_alone_is_not_the_report_year():
    assert masthead(blocks("2018年，五马镇采取新的组织方式。今年基地尝试套种。\n")).year is None


def test_year_from_qunian_is_inferred():
    mast = masthead(blocks("2022年初，五华区委组织部开展摸排，建起服务阵地。从去年开始，五华区街面上建起驿站。\n"))
    assert mast.year == 2023 and "去年" in mast.year_reason


def test_no_year_is_left_empty():
    bl = blocks("## 深圳： 精准服务\n\n深圳市创新实施“暖蜂行动”，建设驿站。\n")
    info = source_info(items(bl)[0], masthead(bl))
    assert info.date is None and info.publication is None
