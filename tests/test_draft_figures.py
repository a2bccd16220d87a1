"""casebook.draft.figures: every figure wording the checker accepts, and what is left out."""

import pytest

from casebook.draft.figures import figures
from casebook.draft.text import blocks
from casebook.numbers import read

ACCEPTED = [
    ("2000余名", "名"), ("近600个", "个"), ("七八分钟", "分钟"), ("9.46亿元", "元"), ("数百个", "个"),
    ("1.5万件", "件"), ("超过2万吨", "吨"), ("400万单以上", "单"), ("1名及以上", "名"), ("2吨左右", "吨"),
    ("不足3000元", "元"), ("至少有3家", "家"), ("12元钱", "元"), ("一个多月", "个月"), ("上万份", "份"),
    ("近百名", "名"), ("3-5年", "年"), ("78.47%", "%"), ("半小时", "小时"), ("三四家", "家"), ("20多万斤", "斤"),
    ("3万余次", "次"), ("10秒内", "秒"), ("突破2万元", "元"), ("数十项", "项"), ("两个", "个"), ("1,383家", "家"),
    ("约3000人", "人"), ("不超过5个", "个"), ("逾百家", "家"), ("6大类", "大类"), ("20余场次", "场次"),
]  # fmt: skip


def found(text):
    return figures(blocks(text), text, 2022)


@pytest.mark.parametrize(("printed", "unit"), ACCEPTED)
def test_every_accepted_wording_is_drafted_as_the_checker_reads_it(printed, unit):
    text = f"目前，全县共有{printed}参加了这项工作。\n"
    (f,) = found(text).figures
    assert (f.printed, f.unit) == (printed, unit)
    assert f.reading == read(printed, unit)
    assert f.sentence == text.strip()


def test_a_change_is_one_figure_with_before_and_after():
    (f,) = found("有了直通过道，外卖员取餐平均耗时从七八分钟减少到一分多钟。\n").figures
    assert f.printed == "从七八分钟减少到一分多钟" and f.unit == "分钟"
    assert f.before[0] == "七八分钟" and f.before[1].low == 7 and f.after[1].qualifier == "more-than"


def test_a_figure_with_no_unit_after_renkou():
    (f,) = found("在深圳，从事快递员等工作的人口超过30万。\n").figures
    assert (f.printed, f.unit, f.unit_printed, f.reading.value) == ("超过30万", "人", False, 300000)


def test_a_qualifier_the_reader_cannot_combine_is_dropped():
    (f,) = found("今年耙耙柑产量大概有20多万斤。\n").figures
    assert f.printed == "20多万斤"


@pytest.mark.parametrize(
    ("text", "reason"),
    [("2018年，五马镇采取新方式。", "年份或时间"), ("12月14日，他来到驿站。", "日期或年份"), ("39岁的赵小兵是队长。", "年龄（个人信息）"),
     ("下午3点开会。", "时刻"), ("住在3楼。", "楼层"), ("拨打12345热线。", "号码或没有单位的数字"), ("“三家”工程暖人心。", "名称里的数字"),
     ("推进五个体系建设。", "名称里的数字"), ("与千家万户打交道。", "成语或修辞"), ("上世纪90年代建房。", "年份或时间")],
)  # fmt: skip
def test_non_statistics_are_left_out_with_a_note(text, reason):
    got = found(text + "\n")
    assert got.figures == []
    assert reason in [s.reason for s in got.skipped]


@pytest.mark.parametrize(
    "text", ["一位快递员说。", "二次分拣。", "2022年上半年的情况。", "走进三元村。", "推进万亩农业。", "第21期简报。"]
)
def test_words_that_only_look_like_figures(text):
    assert found(text + "\n").figures == []


def test_dates_of_figures():
    got = found("去年先后开展送学活动30余次。2022年上半年交易额9.46亿元。\n").figures
    assert [(f.date, f.date_inferred) for f in got] == [("2021", True), ("2022", False)]


def test_subject_and_line():
    (f,) = found("首行。\n\n吸引了12万名新就业群体。\n").figures
    assert (f.subject, f.line) == ("新就业群体", 3)
