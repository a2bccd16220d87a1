"""casebook.draft.names: printed names, listed measures, quotes."""

from casebook.draft.names import measures, names, quotes
from casebook.draft.text import blocks


def texts(body, heading=""):
    hs = [b for b in blocks(heading) if b.kind == "heading"] if heading else []
    return [n.text for n in names(hs, blocks(body))]


def test_quoted_name_with_its_noun():
    assert texts("扶风县探索实施“三家”工程，推进工作。\n")[0] == "“三家”工程"
    got = texts("青田县推出“青蜂侠”快递物流行业党建联盟、侨乡先锋驿站等载体平台。\n")
    assert "“青蜂侠”快递物流行业党建联盟" in got


def test_name_in_a_frame_and_with_a_number():
    got = texts("今年以来，昌宁县以实施扩面提质、凝“新”聚力为抓手，推进工作。通过实施强边固防等六项工程，压实责任。\n")
    assert got[:2] == ["扩面提质、凝“新”聚力", "六项工程"]


def test_heading_names_come_first():
    got = texts(
        "毕节市推进五个体系建设，成效明显，全市城市基层党建工作全面提升。\n",
        "## 毕节“五个体系”推动城市基层党建全域提升\n",
    )
    assert got[0] == "“五个体系”"


def test_verb_pair_and_built_names():
    got = texts("千阳县通过抓“四建”提“四力”，破解难题。北京市东城区搭建暖心驿站300多个。\n")
    assert "抓“四建”提“四力”" in got and "暖心驿站" in got


def test_speech_is_not_a_name():
    assert texts("“出门请戴好口罩，请勿燃放烟花爆竹……”春节期间，宣传队走街串巷。\n") == []


def test_listed_measures():
    (b,) = blocks(
        "组织“建家”，筑牢战斗堡垒。一是“双找”摸清底数。深入开展活动。二是规范组织设置。按照原则建立党组织。\n"
    )
    got = [n.text for n in measures(b)]
    assert got == ["组织“建家”，筑牢战斗堡垒", "“双找”摸清底数", "规范组织设置"]
    (b,) = blocks(
        "村委会通过实施“党建+积分”超市试点工程，建立决策咨询委员会，推行“红黑榜”管理制度等举措，村容大变样。\n"
    )
    assert [n.text for n in measures(b)] == ["“党建+积分”超市试点工程", "决策咨询委员会", "“红黑榜”管理制度"]


def test_quotes_keep_the_role_never_the_name():
    body = (
        "“我们为司机提供信息咨询服务，也提供了免费休息的场所。”龙里县交通运输局副局长刘延强每周都会来看看。\n\n"
        "石门社区党委书记李秀贤说：“快递员能吃苦、肯奉献，是一支重要力量。”\n\n"
        "“能提供一些帮助，自己也开心。”刘小波说。\n"
    )
    got = [(q.speaker, q.text[:6]) for q in quotes(blocks(body))]
    assert got == [("龙里县交通运输局副局长", "我们为司机提供"[:6]), ("石门社区党委书记", "快递员能吃苦")]


def test_long_quotes_are_cut_at_a_sentence():
    long = "第一句话说得很长" * 10 + "。" + "第二句。"
    (q,) = quotes(blocks(f"“{long * 2}”有关负责人说。\n"))
    assert len(q.text) <= 100 and q.text.endswith("。")
