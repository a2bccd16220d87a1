"""casebook.draft: within one place, a practice starts where another acting unit (an enterprise) takes
over, and goes back to the place's own practice when the place opens a paragraph again."""

import yaml

from casebook.draft import draft_text
from casebook.draft.rules import without
from casebook.draft.split import enterprises, split
from casebook.draft.text import blocks
from casebook.draft.write import write_drafts

# A made-up section: the city acts, an enterprise acts, the city again.
CITY_FIRM_CITY = (
    "## 杭州： 精准服务\n\n"
    "杭州市紧扣新就业群体需求，创新实施“小哥暖心”行动，标准化建设一批驿站，让骑手有地方歇脚。\n\n"
    "飞驰物流将杭州120名党员司机按区域编成6个流动党支部。“支部让司机有了家。”杭州飞驰物流科技有限公司党委书记说。\n\n"
    "目前，杭州市各新就业群体党支部已帮助协调解决80余件困难诉求，推动平台企业为骑手参保。\n"
)


def practices(text):
    return [(p.place.code, p.unit, [b.line for b in p.paragraphs]) for p in split(blocks(text))]


def test_an_enterprise_that_acts_after_the_place_starts_a_practice_at_the_same_place():
    assert practices(CITY_FIRM_CITY) == [("330100", None, [3, 7]), ("330100", "飞驰物流", [5])]


def test_the_enterprise_practice_has_the_enterprise_as_actor_and_a_note():
    city, firm = draft_text(CITY_FIRM_CITY)
    assert (city.actor.name, city.actor.level) == ("杭州市", "city")
    assert (firm.actor.name, firm.actor.level) == ("飞驰物流", "enterprise")
    assert [f.printed for f in firm.figures] == ["120名", "6个"]
    assert [f.printed for f in city.figures] == ["80余件"]
    assert any("按实施单位" in n and "飞驰物流" in n for n in firm.notes)


def test_the_rule_can_be_switched_off():
    with without({"unit-openers"}):
        assert practices(CITY_FIRM_CITY) == [("330100", None, [3, 5, 7])]


def test_a_full_enterprise_name_with_a_role_speaking_for_it_starts_a_practice():
    text = (
        "宁波市坚持党建引领，创新推出“骑手之家”，在全市建成服务站。\n\n"
        "宁波顺远客运服务有限公司党委副书记介绍，公司在充电站设立休息室，提供数十项服务。\n"
    )
    assert practices(text) == [("330200", None, [1]), ("330200", "宁波顺远客运服务有限公司", [3])]


def test_a_paragraph_sharing_a_quoted_name_moves_with_the_enterprise():
    text = (
        "宁波市坚持党建引领，创新推出“骑手之家”，在全市建成服务站。\n\n"
        "网约车司机经常到充电站充电，充电间歇在站内的“司机小屋”吃饭、看书。\n\n"
        "宁波顺远客运服务有限公司党委副书记介绍，“司机小屋”提供数十项服务。\n"
    )
    assert practices(text) == [("330200", None, [1]), ("330200", "宁波顺远客运服务有限公司", [3, 5])]


def test_an_enterprise_practice_naming_no_place_is_at_the_place_it_was_cut_from():
    text = (
        "温州市紧扣快递员需求，创新实施暖心行动，建成一批驿站。\n\n"
        "飞驰物流还将党员司机编成流动党支部。温州飞驰物流有限公司党委书记说，支部帮司机办实事。\n"
    )
    assert practices(text) == [("330300", None, [1]), ("330300", "飞驰物流", [3])]


def test_a_worker_of_an_enterprise_does_not_start_a_practice():
    text = (
        "杭州市紧扣新就业群体需求，创新实施暖心行动，建成一批驿站。\n\n"
        "“在驿站能喝上热水。”杭州飞驰物流科技有限公司司机小王说，他每天都来歇脚。\n\n"
        "飞驰物流司机小李也常来这里，说这里像家一样。\n"
    )
    assert practices(text) == [("330100", None, [1, 3, 5])]


def test_the_places_own_bodies_do_not_start_a_practice():
    text = (
        "青田县推出“青蜂侠”快递物流行业党建联盟，组织快递员参与志愿服务。\n\n"
        "“群众有所需，我们要有所为。”青田县快递行业党建联盟负责人介绍，联盟带动30多名快递员参与服务。\n\n"
        "青田县委组织部副部长介绍，青田县还组织开展社区与快递物流站结对共建。\n"
    )
    assert practices(text) == [("331121", None, [1, 3, 5])]


def test_an_enterprise_after_a_lede_takes_the_lede_instead_of_splitting():
    text = (
        "夜幕降临，杭州街头的外卖骑手还在奔忙，寒气袭人，他们最需要一个歇脚的地方。\n\n"
        "飞驰物流将党员骑手编成流动党支部，在杭州设立骑手驿站。杭州飞驰物流科技有限公司党委书记说，驿站很受欢迎。\n"
    )
    assert practices(text) == [("330100", "飞驰物流", [1, 3])]


def test_a_company_that_is_not_a_name_does_not_count():
    text = (
        "杭州市紧扣新就业群体需求，创新实施暖心行动，建成一批驿站。\n\n"
        "基地纳入公司化管理，同时采取线上线下同步销售模式。推行社区党组织领办物业管理公司等集体经济实体。\n"
    )
    assert enterprises(blocks(text)) == []
    assert practices(text) == [("330100", None, [1, 3])]


def test_listed_measures_stay_one_practice():
    text = (
        "扶风县聚力创新突破，探索实施“三家”工程，确保新业态企业发展到哪里，党的组织就延伸到哪里。\n\n"
        "组织“建家”，筑牢战斗堡垒。一是摸清底数。二是建强组织。\n\n"
        "党员“兴家”，彰显先锋作用。一是推行主题党日。二是开展“三亮三比”活动。\n"
    )
    assert practices(text) == [("610324", None, [1, 3, 5])]


def test_a_recorded_enterprise_practice_is_told_apart_by_its_actor(tmp_path):
    out = tmp_path / "cases"
    (out / "zhejiang").mkdir(parents=True)
    rec = {
        "id": "feichi-branches",
        "region": {"province": {"name": "浙江省", "code": "330000"}, "city": {"name": "杭州市", "code": "330100"}},
        "actor": {"name": "飞驰物流", "level": "enterprise"},
        "sources": [{"file": "a.txt"}],
    }
    (out / "zhejiang" / "feichi-branches.yaml").write_text(yaml.safe_dump(rec, allow_unicode=True), encoding="utf-8")
    written = write_drafts(draft_text(CITY_FIRM_CITY), "a.txt", out, key="a")
    assert [(w.case_id, w.already) for w in written] == [("a-330100", None), ("feichi-branches", "feichi-branches")]
    rec["id"], rec["actor"] = "hangzhou-stations", {"name": "杭州市", "level": "city"}
    (out / "zhejiang" / "hangzhou-stations.yaml").write_text(yaml.safe_dump(rec, allow_unicode=True), encoding="utf-8")
    (out / "zhejiang" / "a-330100.yaml").unlink()
    written = write_drafts(draft_text(CITY_FIRM_CITY), "a.txt", out, key="a")
    assert [w.already for w in written] == ["hangzhou-stations", "feichi-branches"]
