"""casebook.draft.split: items, practices and their places."""

from casebook.draft.split import split
from casebook.draft.text import blocks


def places(text):
    return [(p.place.code, len(p.paragraphs)) for p in split(blocks(text))]


def test_section_headings_start_items():
    text = (
        "## 北京： 增进融入感\n\n在北京市昌平区，通过行业共建，组建了党支部，服务快递员。\n\n"
        "## 深圳： 精准服务\n\n深圳市紧扣新就业群体需求，创新实施“暖蜂行动”，建设驿站。\n"
    )
    assert places(text) == [("110114", 1), ("440300", 1)]


def test_a_paragraph_opening_with_a_new_place_starts_a_practice():
    text = (
        "## 北京： 增进融入感\n\n推开北京市昌平区天通苑北街道的库房门，顿感暖意融融。天通苑北街道党工委副书记说，驿站很贴心。\n\n"
        "朝阳区商圈多、企业多，快递员有时面临停车难的问题。\n"
    )
    assert places(text) == [("110114008", 1), ("110105", 1)]


def test_dui_ci_goes_on_with_the_practice_before():
    text = (
        "## 北京：\n\n朝阳区商圈多、企业多，快递员有时面临停车难的问题，需要想办法解决好。\n\n"
        "对此，朝阳区八里庄街道党工委统筹协调，开辟专门区域。八里庄街道党工委书记说，秩序更好了。\n"
    )
    assert places(text) == [("110105015", 2)]


def test_several_places_as_examples_do_not_split():
    text = (
        "近年来，昆明市五华区引导新就业群体参与基层治理，涌现了很多暖心故事，五华区还建了驿站。\n\n"
        "故事很多。在红云街道，小哥化身宣传员。在龙翔街道，小哥化身监督员。在莲华街道，小哥化身战斗员。\n"
    )
    assert places(text) == [("530102", 2)]


def test_a_speaker_title_is_not_a_new_practice():
    text = (
        "去年以来，澜沧拉祜族自治县推行实训模式，上好“四堂课”，推动精神落地生根。\n\n"
        "代表用双语宣讲，很受欢迎。左都村党支部书记鲍永海先用汉语宣讲，然后用佤族语言解读，澜沧县群众很欢迎。\n"
    )
    assert places(text) == [("530828", 2)]


def test_a_separate_caption_is_its_own_item():
    text = (
        "在昌平区，通过行业共建，组建了党支部，服务快递员外卖员，效果很好。\n\n"
        "上图：浙江省德清县搭建“红色驿站·蜂享小屋”，为新就业群体提供贴心服务。王树成摄（人民视觉）\n"
    )
    assert places(text) == [("110114", 1), ("330521", 1)]


def test_a_place_named_in_passing_does_not_win():
    text = (
        "位于龙里县谷脚镇的贵州快递物流集聚区车水马龙，包裹被分装上车，驶向各个城市，十分繁忙。\n\n"
        "为把货车司机凝聚在党组织周围，龙里县创新行业党建联建机制，成立联合党委。今年，龙里加大资源整合力度。\n"
    )
    assert places(text) == [("522730", 2)]


def test_province_only_by_level_words_is_the_article_province():
    text = (
        "## 宣讲辅导短视频\n\n本报讯（记者）近日，省直机关工委推出宣讲辅导系列短视频，邀请省直10家单位解读。\n\n"
        "推动精神在贵州落地生根、开花结果，省直机关工委将指导各级党组织做好收看工作。\n"
    )
    assert places(text) == [("520000", 2)]


def test_an_item_with_no_place_gives_no_practice():
    assert places("编者按：近年来，随着平台经济蓬勃兴起，催生了大量新就业群体，现将经验刊发。\n") == []
