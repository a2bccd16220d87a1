"""Reading printed figures: cn2an for numerals plus qualifiers, ranges and "several".

Every wording the reader accepts has a row in READINGS; every wording it refuses, with the part of the
message that names what could not be read, a row in UNREADABLE. The qualifier words come from
vocab/qualifiers.yaml alone: test_every_word_of_the_vocabulary_is_read and the tests that change the file
prove it.
"""

from __future__ import annotations

import math
import random
import shutil

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook import numbers, vocab
from casebook.numbers import Reading, Unreadable, disagreements, read

READINGS = [
    # -- accepted before the reader took its words from vocab/qualifiers.yaml (same readings) --
    ("2000余名", "名", Reading("more-than", value=2000)),
    ("近600个", "个", Reading("nearly", value=600)),
    ("七八分钟", "分钟", Reading("range", low=7, high=8)),
    ("三四家", "家", Reading("range", low=3, high=4)),
    ("9.46亿元", "元", Reading("exact", value=946000000)),
    ("1.5万件", "件", Reading("exact", value=15000)),
    ("数百个", "个", Reading("several", value=100)),
    ("数十项", "项", Reading("several", value=10)),
    ("一分多钟", "分钟", Reading("more-than", value=1)),
    ("一个多月", "个月", Reading("more-than", value=1)),
    ("20多万斤", "斤", Reading("more-than", value=200000)),
    ("3万余件", "件", Reading("more-than", value=30000)),
    ("100余万元", "元", Reading("more-than", value=1000000)),
    ("400万单以上", "单", Reading("more-than", value=4000000)),
    ("超过2万吨", "吨", Reading("more-than", value=20000)),
    ("突破2万元", "元", Reading("more-than", value=20000)),
    ("上万份", "份", Reading("more-than", value=10000)),
    ("约3000人", "人", Reading("about", value=3000)),
    ("2吨左右", "吨", Reading("about", value=2)),
    ("1名及以上", "名", Reading("at-least", value=1)),
    ("近百名", "名", Reading("nearly", value=100)),
    ("半小时", "小时", Reading("exact", value=0.5)),
    ("2346.82万元", "元", Reading("exact", value=23468200)),
    ("80%以上", "%", Reading("more-than", value=80)),
    ("3-5年", "年", Reading("range", low=3, high=5)),
    ("两千名", "名", Reading("exact", value=2000)),
    ("两个", "个", Reading("exact", value=2)),
    ("1,383家", "家", Reading("exact", value=1383)),
    ("超过30万", "", Reading("more-than", value=300000)),
    ("120平米", "平米", Reading("exact", value=120)),
    # -- upper bounds: at-most (以内, 内, 之内, 及以下, 不超过) and less-than (不足, 不到, 以下 …) --
    ("10秒内", "秒", Reading("at-most", value=10)),
    ("10秒以内", "秒", Reading("at-most", value=10)),
    ("30分钟之内", "分钟", Reading("at-most", value=30)),
    ("3年及以下", "年", Reading("at-most", value=3)),
    ("不超过3家", "家", Reading("at-most", value=3)),
    ("不足3000元", "元", Reading("less-than", value=3000)),
    ("不到50人", "人", Reading("less-than", value=50)),
    ("不满18周岁", "周岁", Reading("less-than", value=18)),
    ("少于5次", "次", Reading("less-than", value=5)),
    ("低于60%", "%", Reading("less-than", value=60)),
    ("100人以下", "人", Reading("less-than", value=100)),
    # -- words after the unit: 有余, and other printed spellings of the unit (vocab/units.yaml) --
    ("一年有余", "年", Reading("more-than", value=1)),
    ("两年有余", "年", Reading("more-than", value=2)),
    ("1元钱", "元", Reading("exact", value=1)),
    ("3万元钱", "元", Reading("exact", value=30000)),
    # -- at-least, also with a filler between the word and the numeral (fillers in qualifiers.yaml) --
    ("至少3家", "家", Reading("at-least", value=3)),
    ("至少有3家", "家", Reading("at-least", value=3)),
    ("至少要5名", "名", Reading("at-least", value=5)),
    ("至少达到80%", "%", Reading("at-least", value=80)),
    ("不少于10个", "个", Reading("at-least", value=10)),
    ("约有3000人", "人", Reading("about", value=3000)),
    ("超过 30万", "", Reading("more-than", value=300000)),
    # -- emphasis: 多达, 高达 are exact; with another qualifier word that one counts --
    ("多达300个", "个", Reading("exact", value=300)),
    ("高达9.46亿元", "元", Reading("exact", value=946000000)),
    ("多达2000余名", "名", Reading("more-than", value=2000)),
    ("多达七八个", "个", Reading("range", low=7, high=8)),
    # -- magnitudes and ranges --
    ("上千名", "名", Reading("more-than", value=1000)),
    ("几十家", "家", Reading("several", value=10)),
    ("3至5年", "年", Reading("range", low=3, high=5)),
    ("3万-5万元", "元", Reading("range", low=30000, high=50000)),
    ("3-5万元", "元", Reading("range", low=30000, high=50000)),
    ("1,000-2,000人", "人", Reading("range", low=1000, high=2000)),
    # -- the before/after parts of 从2016年的13小时压缩到2022年的0.04小时 (the lead reads the years) --
    ("13小时", "小时", Reading("exact", value=13)),
    ("0.04小时", "小时", Reading("exact", value=0.04)),
]


@pytest.mark.parametrize("printed, unit, reading", READINGS, ids=[r[0] or "empty" for r in READINGS])
def test_read(printed, unit, reading):
    assert read(printed, unit) == reading


SEVERAL = "“240人、208人和80人”里有 3 个数字：一条 numbers 只记一个数字，请分成 3 条，printed 各写其中一个（如“240人”），subject 分别写清统计的是什么"

UNREADABLE = [
    ("很多名", "名", "“很多”里没有数字"),
    ("", "名", "没有数字"),
    ("2000余名", "个", "原文印出的单位是“名”，不是“个”：unit 写 名"),
    ("2000余xx", "个", "写法里找不到单位“个”"),
    ("近约600个", "个", "数字前面有两个限定词“近”和“约”"),
    ("超过3家以下", "家", "限定词“超过”（more-than）和“以下”（less-than）互相矛盾"),
    ("近七八个", "个", "“七八”是区间，不能再带限定词“近”"),
    ("约3-5年", "年", "“3-5”是区间，不能再带限定词“约”"),
    ("240人、208人和80人", "人", SEVERAL),
    ("10秒左内", "秒", "单位“秒”后面的“左内”读不懂：单位后面的限定词只能是 以上、"),
    ("一年余", "年", "单位“年”后面的“余”读不懂"),
    ("1元钱左", "元", "单位“元钱”后面的“左”读不懂"),
    ("至少共有3家", "家", "“至少”和数字之间的“共有”读不懂：这里只能是 有、要、达、达到、在"),
    ("超过了3家", "家", "“超过”和数字之间的“了”读不懂：“超过”后面要紧跟数字"),
    ("大致3000人", "人", "数字前面的“大致”读不懂：数字前面的限定词只能是 多达、高达、超过"),
    ("30个来人", "人", "数字和单位“人”之间的“个来”读不懂：这里只能是 余、多"),
    ("30万人以上", "", "数字后面的“人”读不懂"),
    ("3万5千x元", "元", "数字和单位“元”之间的“x”读不懂"),
    ("3,5人", "人", "“3,5”里的逗号不是千位分隔"),
    ("5-3人", "人", "区间“5-3”前一个数比后一个数大"),
    ("9" * 400 + "个", "个", "不是有限的数字"),
    (
        "从2016年的13小时压缩到2022年的0.04小时",
        "小时",
        "是一个变化：请写 before 和 after，各自的 printed 写变化前、后的那个数字（如“13小时”和“0.04小时”）",
    ),
]


@pytest.mark.parametrize("printed, unit, message", UNREADABLE, ids=[r[0][:20] or "empty" for r in UNREADABLE])
def test_unreadable_names_what_it_could_not_read(printed, unit, message):
    with pytest.raises(Unreadable) as exc:
        read(printed, unit)
    assert message in str(exc.value)


def test_cn2an_alone_would_misread_ranges():
    import cn2an

    assert cn2an.cn2an("七八", "smart") == 78  # why the range layer exists
    assert read("七八个", "个") == Reading("range", low=7, high=8)


def test_disagreements_name_the_field():
    assert disagreements({"value": 2000, "qualifier": "more-than", "printed": "2000余名"}, "名") == []
    assert [f for f, _ in disagreements({"value": 200, "qualifier": "more-than", "printed": "2000余名"}, "名")] == [
        "value"
    ]
    assert [f for f, _ in disagreements({"value": 2000, "printed": "2000余名"}, "名")] == ["qualifier"]
    assert disagreements({"value": 10, "qualifier": "at-most", "printed": "10秒内"}, "秒") == []
    assert disagreements({"value": 10, "qualifier": "more-than", "printed": "10秒内"}, "秒") == [
        ("qualifier", "qualifier 写的是 more-than，但原文“10秒内”表示 at-most")
    ]


def test_disagreement_messages():
    several = disagreements({"value": 240, "printed": "240人、208人和80人"}, "人")
    assert several == [("printed", SEVERAL)]  # complete on its own: no "读不出" before it, no hint after it
    assert disagreements({"value": 10, "qualifier": "at-most", "printed": "10秒左内"}, "秒") == [
        (
            "printed",
            "读不出“10秒左内”：单位“秒”后面的“左内”读不懂：单位后面的限定词只能是 "
            "以上、有余、及以上、以内、之内、内、及以下、以下、左右、上下（vocab/qualifiers.yaml）；"
            "如果“左内”是统计的对象，printed 只写到单位为止（“10秒”），“左内”写进 subject",
        )
    ]
    [(field, message)] = disagreements({"value": 2000, "printed": "2000余名"}, "个")
    assert field == "printed" and message.endswith("printed 要照原文写数字和单位，如 2000余名、近600个")


@pytest.mark.parametrize(
    "amount, field",
    [
        ({"value": math.inf, "qualifier": "more-than", "printed": "2000余名"}, "value"),
        ({"value": -math.inf, "printed": "2000名"}, "value"),
        ({"value": math.nan, "printed": "2000名"}, "value"),
        ({"low": math.nan, "high": 8, "qualifier": "range", "printed": "七八个"}, "low"),
        ({"low": 7, "high": math.inf, "qualifier": "range", "printed": "七八个"}, "high"),
    ],
)
def test_a_value_that_is_not_finite_is_an_error(amount, field):
    problems = disagreements(amount, "名" if "名" in amount["printed"] else "个")
    assert problems == [(field, f"{field} 写的是 {amount[field]}，不是有限的数字：请照原文写出具体数值")]


TEXT = st.text(alphabet="0123456789.,-万亿百千十一二两七八九数几上余多近约超过以上内下不足至少有钱元年个人名、和 ")


@settings(max_examples=400, deadline=None)
@given(TEXT, st.sampled_from(["", "个", "元", "年", "分钟"]))
def test_the_reader_gives_a_finite_reading_or_says_why_not(printed, unit):
    try:
        reading = read(printed, unit)
    except Unreadable as exc:
        assert str(exc)
        return
    for x in (reading.value, reading.low, reading.high):
        assert x is None or math.isfinite(x)
    assert (reading.value is None) == (reading.qualifier == "range")


def _sample(position: str, word: str) -> tuple[str, Reading]:
    """A printed wording with ``word`` at ``position``, and how it reads."""
    if position == "before":
        return f"{word}30个", Reading("", value=30)
    if position == "inside":
        return f"30{word}个", Reading("", value=30)
    if position == "after":
        return f"30个{word}", Reading("", value=30)
    if position == "magnitude":
        return f"{word}百个", Reading("", value=100)
    assert position == "between"
    return f"3{word}5个", Reading("", low=3, high=5)


def test_every_word_of_the_vocabulary_is_read():
    qualifiers = vocab.vocabulary("qualifiers")
    seen = 0
    for term in qualifiers.terms:
        expected = term.slug
        for position in ("before", "inside", "after", "magnitude", "between"):
            for word in term.extra.get(position, []):
                printed, reading = _sample(position, word)
                assert read(printed, "个") == Reading(expected, reading.value, reading.low, reading.high), printed
                seen += 1
        for filler in term.extra.get("fillers", []):
            for word in term.extra["before"]:
                assert read(f"{word}{filler}30个", "个") == Reading(expected, value=30)
    assert seen >= 40


@pytest.fixture
def edited_vocabulary(tmp_path, monkeypatch):
    """A copy of vocab/ to edit; the reader reads it instead of the real one until the test ends."""
    folder = tmp_path / "vocab"
    shutil.copytree(vocab.VOCAB, folder)
    monkeypatch.setattr(vocab, "VOCAB", folder)

    def edit(kind: str, change) -> None:
        path = folder / f"{kind}.yaml"
        rows = yaml.safe_load(path.read_text(encoding="utf-8"))
        change({r["slug"]: r for r in rows})
        path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
        vocab.vocabulary.cache_clear()
        numbers.reload()

    yield edit
    monkeypatch.undo()
    vocab.vocabulary.cache_clear()
    numbers.reload()


def test_a_word_added_to_the_vocabulary_is_read(edited_vocabulary):
    with pytest.raises(Unreadable):
        read("起码3家", "家")
    with pytest.raises(Unreadable):
        read("30岁开外", "岁")
    with pytest.raises(Unreadable):
        read("5块钱", "元")

    def add(terms):
        terms["at-least"]["before"].append("起码")
        terms["more-than"]["after"].append("开外")
        terms["at-least"]["fillers"].append("也有")

    edited_vocabulary("qualifiers", add)
    edited_vocabulary("units", lambda units: units["元"]["printed"].append("块钱"))
    assert read("起码3家", "家") == Reading("at-least", value=3)
    assert read("至少也有3家", "家") == Reading("at-least", value=3)
    assert read("30岁开外", "岁") == Reading("more-than", value=30)
    assert read("5块钱", "元") == Reading("exact", value=5)


def test_a_word_removed_from_the_vocabulary_is_no_longer_read(edited_vocabulary):
    assert read("10秒内", "秒") == Reading("at-most", value=10)

    def remove(terms):
        terms["at-most"]["after"].remove("内")
        terms["exact"]["before"] = []

    edited_vocabulary("qualifiers", remove)
    with pytest.raises(Unreadable, match="单位“秒”后面的“内”读不懂"):
        read("10秒内", "秒")
    with pytest.raises(Unreadable, match="数字前面的“多达”读不懂"):
        read("多达300个", "个")
    assert read("10秒以内", "秒") == Reading("at-most", value=10)


def test_a_qualifier_word_needs_a_position(edited_vocabulary):
    edited_vocabulary("qualifiers", lambda terms: terms["about"].update(words=["大致"]))
    with pytest.raises(ValueError, match="about 有不认识的键 words"):
        read("约3000人", "人")


def test_a_word_may_mean_one_qualifier_only(edited_vocabulary):
    edited_vocabulary("qualifiers", lambda terms: terms["about"]["after"].append("以上"))
    with pytest.raises(ValueError, match="after 的“以上”同时属于 more-than 和 about"):
        read("约3000人", "人")


def test_generated_figures_agree_with_their_wording():
    from casebook.generate import _figure

    rng = random.Random(7)
    printed = set()
    for _ in range(3000):
        figure = _figure(rng, "驿站")
        unit = figure["unit"]
        for amount in [figure["before"], figure["after"]] if "before" in figure else [figure]:
            assert disagreements(amount, unit) == [], amount
            printed.add(amount["printed"])
    for word in ("分钟内", "不足", "至少有", "年有余", "多达", "以下"):
        assert any(word in p for p in printed), word


def test_a_different_printed_unit_is_named():
    with pytest.raises(numbers.Unreadable, match="原文印出的单位是“平米”，不是“平方米”：unit 写 平米"):
        numbers.read("120平米", "平方米")


def test_a_noun_after_the_measure_word_is_explained():
    with pytest.raises(numbers.Unreadable, match="printed 只写到单位为止（“3个”），“编制”写进 subject"):
        numbers.read("3个编制", "个")
