"""Reading printed figures: cn2an for numerals plus qualifiers, ranges and "several"."""

from __future__ import annotations

import pytest

from casebook.numbers import Reading, Unreadable, disagreements, read


@pytest.mark.parametrize(
    "printed, unit, reading",
    [
        ("2000余名", "名", Reading("more-than", value=2000)),
        ("近600个", "个", Reading("nearly", value=600)),
        ("七八分钟", "分钟", Reading("range", low=7, high=8)),
        ("三四家", "家", Reading("range", low=3, high=4)),
        ("9.46亿元", "元", Reading("exact", value=946000000)),
        ("1.5万件", "件", Reading("exact", value=15000)),
        ("数百个", "个", Reading("several", value=100)),
        ("一分多钟", "分钟", Reading("more-than", value=1)),
        ("20多万斤", "斤", Reading("more-than", value=200000)),
        ("400万单以上", "单", Reading("more-than", value=4000000)),
        ("超过2万吨", "吨", Reading("more-than", value=20000)),
        ("约3000人", "人", Reading("about", value=3000)),
        ("1名及以上", "名", Reading("at-least", value=1)),
        ("近百名", "名", Reading("nearly", value=100)),
        ("半小时", "小时", Reading("exact", value=0.5)),
        ("2346.82万元", "元", Reading("exact", value=23468200)),
        ("80%以上", "%", Reading("more-than", value=80)),
        ("3-5年", "年", Reading("range", low=3, high=5)),
        ("两千名", "名", Reading("exact", value=2000)),
        ("1,383家", "家", Reading("exact", value=1383)),
        ("超过30万", "", Reading("more-than", value=300000)),
    ],
)
def test_read(printed, unit, reading):
    assert read(printed, unit) == reading


@pytest.mark.parametrize("printed, unit", [("很多名", "名"), ("2000余名", "个"), ("", "名"), ("近约600个", "个")])
def test_unreadable(printed, unit):
    with pytest.raises(Unreadable):
        read(printed, unit)


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
