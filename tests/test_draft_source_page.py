"""casebook.draft.source on whole pages: which headline, byline and column each item is printed under.

Made-up pages with several pieces: a feature in labelled parts ("北京： …"), columns, kickers, bylines
above and below, photo captions, and a headline whose body the scan lost. A draft cites only a title
the item is printed under; where the page does not say which article an item belongs to, the title is
left empty with a note and a confirm entry.
"""

from casebook.draft import draft_text
from casebook.draft.source import head, masthead, page_sources
from casebook.draft.split import items
from casebook.draft.text import blocks
from casebook.draft.write import render

FEATURE = "坚持党建引领 为驿站小哥提供服务"
PAGE = f"""深度关注

# {FEATURE}

本报记者 甲乙 丙丁

## 北京： 增进融入感

北京市东城区搭建暖心驿站，帮助快递员解决吃饭难、喝水难。东城区建成驿站300多个。

上图：浙江省德清县搭建“红色驿站”，为新就业群体提供贴心服务。王树成摄（人民视觉）

## 红船观澜

### 坚持正确政绩观②

浙江省诸暨市枫桥镇枫源村坚持“三上三下”议事，矛盾不上交。

## 山东省沂源县：

# 整合资源 形成合力

左效强

山东省沂源县以党建为引领，在南鲁山镇聘请4名调解员。

## 浙江省青田县：

# 组织动员，参与治理

青田县组织外卖员成立流动宣传队，带动30多名快递员参与志愿服务。

## 深圳： 精准服务

深圳市创新实施“暖蜂行动”，建设数百个“暖蜂驿站”。
"""


def infos(text):
    bl = blocks(text)
    its = items(bl)
    return its, page_sources(its, masthead(bl))


def by_place(text, word):
    its, got = infos(text)
    return next(info for it, info in zip(its, got, strict=True) if any(word in b.text for b in it.body))


def test_a_part_printed_under_the_headline_takes_its_title_byline_and_column():
    info = by_place(PAGE, "东城区")
    assert (info.title, info.author, info.column) == (FEATURE, "本报记者 甲乙 丙丁", "深度关注")
    assert "author" not in info.inferred and "column" not in info.inferred and info.confirm == []


def test_a_part_after_other_pieces_is_left_for_the_editor():
    info = by_place(PAGE, "深圳市")
    assert (info.title, info.author, info.column) == (None, None, None)
    note = "；".join(info.notes)
    assert "深圳： 精准服务" in note and FEATURE in note and "看不出" in note
    assert len(info.confirm) == 1 and info.confirm[0].startswith("sources[0].title：") and FEATURE in info.confirm[0]


def test_a_labelled_piece_without_a_byline_is_not_given_its_own_heading_as_title():
    info = by_place(PAGE, "青田县")
    assert info.title is None and info.author is None
    assert "浙江省青田县：组织动员，参与治理" in "；".join(info.notes) and info.confirm


def test_a_labelled_piece_with_its_own_byline_is_its_own_article():
    info = by_place(PAGE, "沂源县")
    assert (info.title, info.author, info.column, info.confirm) == (
        "山东省沂源县：整合资源 形成合力",
        "左效强",
        None,
        [],
    )


def test_a_column_line_is_the_column_not_the_title():
    info = by_place(PAGE, "枫源村")
    assert (info.title, info.column, info.author) == ("坚持正确政绩观②", "红船观澜", None)


def test_a_photo_caption_has_no_title_and_its_credit_as_author():
    info = by_place(PAGE, "德清县")
    assert info.title is None and info.author == "王树成摄（人民视觉）"
    assert info.confirm and "图片说明" in info.confirm[0]


def test_no_title_is_one_the_item_is_not_printed_under():
    its, got = infos(PAGE)
    for it, info in zip(its, got, strict=True):
        if info.title is None:
            continue
        own = "".join(b.text for b in it.header + it.blocks if b.kind == "heading").replace(" ", "")
        assert all(part in own for part in info.title.replace(" ", "").split("：")), (info.title, own)


def test_a_part_right_after_the_last_part_takes_the_headline_marked_inferred():
    page = (
        f"深度关注\n\n# {FEATURE}\n\n本报记者 甲乙\n\n## 北京： 增进融入感\n\n北京市东城区搭建暖心驿站300多个。\n\n"
        "## 深圳： 精准服务\n\n深圳市创新实施“暖蜂行动”，建设驿站。\n"
    )
    info = by_place(page, "深圳市")
    assert (info.title, info.author, info.column) == (FEATURE, "本报记者 甲乙", "深度关注")
    assert {"author", "column"} <= set(info.inferred) and info.confirm == []


def test_a_labelled_headline_right_after_a_part_is_still_left_for_the_editor():
    page = (
        f"# {FEATURE}\n\n本报记者 甲乙\n\n## 北京： 增进融入感\n\n北京市东城区搭建暖心驿站300多个。\n\n"
        "## 浙江省青田县：\n\n# 组织动员，参与治理\n\n青田县组织外卖员成立流动宣传队。\n"
    )
    info = by_place(page, "青田县")
    assert info.title is None and "紧接" in "；".join(info.notes)


def test_labelled_headlines_on_a_page_without_parts_are_their_own():
    page = (
        "第 21 期\n\n中共宝鸡市委组织部办公室\n\n2022 年 12 月 6 日\n\n千阳：党建引领寄递物流行业健康发展\n\n"
        "千阳县建成2个县级配送中心。\n\n扶风：党建赋能新业态 “三家”工程暖人心\n\n扶风县组织“建家”行动。\n"
    )
    _, got = infos(page)
    assert [i.title for i in got] == ["千阳：党建引领寄递物流行业健康发展", "扶风：党建赋能新业态 “三家”工程暖人心"]
    assert all(i.confirm == [] and i.issue == "第21期" for i in got)


def test_equal_rank_column_and_kicker_are_not_title_or_column():
    page = (
        "### 图片新闻\n\n### 支部带动 助丰收\n\n■ 罗京来 龙梦前 摄影报道\n\n▲从江县党员志愿者在椪柑基地帮助果农收椪柑。\n\n"
        "仁怀五马镇\n\n## 柑橘迎丰收 村民喜增收\n\n**本报讯（王仲梅）**又是一年柑橘丰收时，五马镇三元村建起基地。\n"
    )
    _, got = infos(page)
    assert [(i.title, i.column, i.author) for i in got] == [
        ("支部带动 助丰收", "图片新闻", "罗京来 龙梦前"),
        ("柑橘迎丰收 村民喜增收", None, "王仲梅"),
    ]


def test_a_headline_whose_body_the_scan_lost_is_not_cited_nor_its_byline():
    page = (
        "泸西县凝聚新兴领域力量——\n\n广泛参与社会治理\n\n泸西县打造“红色驿站”，快递小哥有了歇脚处。\n\n"
        "本报记者 饶勇\n\n省第一人民医院外科党支部——\n\n塑造党建品牌 践行医者仁心\n\n本报记者 饶勇\n\n"
        "勐海县打洛村党总支——\n\n强化示范引领 聚力兴边富民\n\n打洛村种植了400余亩火龙果，村民年收入突破2万元，西瓜等\n\n"
        "本报记者 戴振华 文/图\n"
    )
    _, got = infos(page)
    assert [(i.title, i.author) for i in got] == [
        ("泸西县凝聚新兴领域力量——广泛参与社会治理", "本报记者 饶勇"),
        ("勐海县打洛村党总支——强化示范引领 聚力兴边富民", "本报记者 戴振华"),
    ]


def test_a_line_between_byline_and_body_does_not_replace_the_headline():
    page = (
        "◎聚焦\n\n五华区推动“两新”群体融入基层治理——\n\n“家的味道更浓了”\n\n本报记者 龙舟 文/图\n\n"
        "五华区“两新”组织党工委向外卖骑手发放物品\n\n近年来，五华区建成“红色小哥之家”30个。\n"
    )
    _, got = infos(page)
    assert (got[0].title, got[0].author, got[0].column) == (
        "五华区推动“两新”群体融入基层治理——“家的味道更浓了”", "本报记者 龙舟", "聚焦"
    )  # fmt: skip


def test_a_caption_without_a_credit_has_no_author():
    page = "左图：北京市东城区搭建暖心驿站300多个，帮助快递员解决吃饭难问题。\n"
    (info,) = infos(page)[1]
    assert info.title is None and info.author is None and info.confirm


def test_head_of_an_item_without_any_heading():
    its, got = infos("北京市东城区搭建暖心驿站300多个。\n")
    assert head(its[0]).kind == "none" and got[0].title is None
    assert got[0].confirm == ["sources[0].title：没有找到印出的标题——请照原版填写"]


def test_drafts_carry_the_decision_into_the_file(tmp_path):
    drafts = draft_text(PAGE)
    shenzhen = next(d for d in drafts if d.place.name == "深圳市")
    text, _ = render(shenzhen, "s1-440300", "page.txt", "s1", "2026-01-01", tmp_path)
    assert "\n    title: \n" in text or "\n    title:\n" in text
    assert "浙江省青田县" not in text.split("sources:")[1].split("notes:")[0]
    confirm = text.split("confirm:")[1].split("\n# ")[0]
    assert "sources[0].title：没有起草" in confirm and FEATURE in confirm
    beijing = next(d for d in drafts if d.place.name == "东城区" and d.source.title)
    assert beijing.source.title == FEATURE


def test_parts_under_lower_rank_subheads_keep_the_headline_or_are_left_for_the_editor():
    page = (
        "# 党建引领聚合力\n\n本报记者 甲乙\n\n## 一、建阵地\n\n北京市东城区搭建暖心驿站300多个。\n\n"
        "## 二、强服务\n\n北京市朝阳区开通服务热线。\n\n### 党建传真\n\n## 宣讲辅导短视频 助学习\n\n"
        "贵州省直机关工委推出短视频20集。\n\n## 三、促融入\n\n北京市昌平区组建18个党支部。\n"
    )
    _, got = infos(page)
    assert [(i.title, i.author, i.column) for i in got] == [
        ("党建引领聚合力", "本报记者 甲乙", None),
        ("党建引领聚合力", "本报记者 甲乙", None),  # right after the first part: byline marked inferred
        ("宣讲辅导短视频 助学习", None, "党建传真"),  # a column opens a piece of its own
        (None, None, None),  # 三、… after that piece: which article is not printed
    ]
    assert "author" in got[1].inferred and got[0].inferred == []
    assert "一、建阵地" in "；".join(got[3].notes) and got[3].confirm
