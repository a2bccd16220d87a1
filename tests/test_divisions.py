"""English division names (casebook.divisions.english_name and casebook/data/place-names-en.yaml).

The rules are tested on closed sets from the division dataset (every province, every autonomous
prefecture, county and banner, every league) and on a golden table for the places of the frozen
corpus (tests/corpus/cases): never on cases/, so a new village never turns CI red.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from casebook.divisions import divisions, english_name, name_by_rules, pinyin_word, place_name_rules
from casebook.vocab import vocabulary

CORPUS = Path(__file__).parent / "corpus" / "cases"

GOLDEN = {
    "八里庄街道": "Balizhuang Subdistrict",
    "宝鸡市": "Baoji City",
    "保山市": "Baoshan City",
    "北京市": "Beijing",
    "毕节市": "Bijie City",
    "昌宁县": "Changning County",
    "昌平区": "Changping District",
    "朝阳区": "Chaoyang District",
    "从江县": "Congjiang County",
    "大关县": "Daguan County",
    "打洛镇": "Daluo Town",
    "打洛村民委员会": "Daluo Village",
    "灯塔村": "Dengta Village",
    "德清县": "Deqing County",
    "东城区": "Dongcheng District",
    "枫桥镇": "Fengqiao Town",
    "枫源村委会": "Fengyuan Village",
    "扶风县": "Fufeng County",
    "福田区": "Futian District",
    "广东省": "Guangdong",
    "贵阳市": "Guiyang City",
    "贵州省": "Guizhou",
    "谷脚镇": "Gujiao Town",
    "红河哈尼族彝族自治州": "Honghe Hani and Yi Autonomous Prefecture",
    "汇川区": "Huichuan District",
    "湖州市": "Huzhou City",
    "昆明市": "Kunming City",
    "澜沧拉祜族自治县": "Lancang Lahu Autonomous County",
    "乐遥村村民委员会": "Leyao Village",
    "丽水市": "Lishui City",
    "龙里县": "Longli County",
    "娄山关街道": "Loushanguan Subdistrict",
    "泸西县": "Luxi County",
    "毛石镇": "Maoshi Town",
    "梅林街道": "Meilin Subdistrict",
    "勐海县": "Menghai County",
    "南鲁山镇": "Nanlushan Town",
    "普洱市": "Pu'er City",
    "黔东南苗族侗族自治州": "Qiandongnan Miao and Dong Autonomous Prefecture",
    "黔南布依族苗族自治州": "Qiannan Bouyei and Miao Autonomous Prefecture",
    "千阳县": "Qianyang County",
    "青田县": "Qingtian County",
    "仁怀市": "Renhuai City",
    "三元村村民委员会": "Sanyuan Village",
    "陕西省": "Shaanxi",
    "山东省": "Shandong",
    "绍兴市": "Shaoxing City",
    "深圳市": "Shenzhen City",
    "天津市": "Tianjin",
    "天通苑北街道": "Tiantongyuanbei Subdistrict",
    "桐梓县": "Tongzi County",
    "五华区": "Wuhua District",
    "五马镇": "Wuma Town",
    "息烽县": "Xifeng County",
    "西双版纳傣族自治州": "Xishuangbanna Dai Autonomous Prefecture",
    "养龙司镇": "Yanglongsi Town",
    "沂源县": "Yiyuan County",
    "云南省": "Yunnan",
    "昭通市": "Zhaotong City",
    "浙江省": "Zhejiang",
    "诸暨市": "Zhuji City",
    "淄博市": "Zibo City",
    "遵义市": "Zunyi City",
}


def corpus_places() -> set[str]:
    names = set()
    for path in CORPUS.glob("*/*.yaml"):
        for place in yaml.safe_load(path.read_text(encoding="utf-8"))["region"].values():
            if isinstance(place, dict) and "name" in place:
                names.add(place["name"])
    return names


def test_golden_table_covers_every_place_of_the_frozen_corpus():
    assert corpus_places() == set(GOLDEN)
    assert {name: english_name(name) for name in GOLDEN} == GOLDEN


@pytest.mark.parametrize(
    "zh, en",
    [
        ("凯旋社区", "Kaixuan Community"),
        ("多福巷社区居委会", "Duofuxiang Community"),
        ("银闸社区居民委员会", "Yinzha Community"),
        ("新村", "Xincun Village"),
        ("西安市", "Xi'an City"),
        ("六安市", "Lu'an City"),
        ("长治市", "Changzhi City"),
        ("于都县", "Yudu County"),
        ("锡林郭勒盟", "Xilingol League"),
        ("科尔沁右翼前旗", "Horqin Right Front Banner"),
        ("阿拉善左旗", "Alxa Left Banner"),
        ("达尔罕茂明安联合旗", "Darhan Muminggan United Banner"),
        ("鄂伦春自治旗", "Oroqen Autonomous Banner"),
        ("龙胜各族自治县", "Longsheng Multi-ethnic Autonomous County"),
        ("积石山保安族东乡族撒拉族自治县", "Jishishan Bonan, Dongxiang and Salar Autonomous County"),
        ("东乡族自治县", "Dongxiang Autonomous County"),
        ("于家务回族乡", "Yujiawu Hui Ethnic Township"),
        ("恩和俄罗斯族民族乡", "Enhe Russian Ethnic Township"),
        ("沙后所满族镇", "Shahousuo Manchu Ethnic Town"),
        ("四族镇", "Sizu Town"),
        ("内蒙古自治区", "Inner Mongolia"),
        ("西藏自治区", "Tibet (Xizang)"),
        ("绿春县", "Lüchun County"),
    ],
)
def test_rules_on_names_the_review_found_or_that_are_easy_to_get_wrong(zh, en):
    assert english_name(zh) == en


def test_every_province_takes_its_name_from_the_province_vocabulary():
    labels = {t.zh: t.en for t in vocabulary("provinces").terms}
    provinces = divisions().all("province")
    assert len(provinces) == 31
    for p in provinces:
        assert english_name(p.name) == labels[p.name]
    assert english_name("陕西省") == "Shaanxi" and english_name("山西省") == "Shanxi"


def _autonomous_units() -> list:
    return [d for level in ("city", "county") for d in divisions().all(level) if re.search("自治[州县旗]$", d.name)]


def test_every_autonomous_prefecture_county_and_banner_names_its_peoples_in_words():
    ethnic = place_name_rules()["ethnic"]
    units = _autonomous_units()
    assert len(units) >= 150
    alternatives = "|".join(sorted(ethnic, key=len, reverse=True))
    kinds = {"自治州": "Autonomous Prefecture", "自治县": "Autonomous County", "自治旗": "Autonomous Banner"}
    for d in units:
        en = english_name(d.name)
        assert en.endswith(" " + kinds[d.name[-3:]]), (d.name, en)
        head = en[: -len(kinds[d.name[-3:]]) - 1]
        # the peoples named in Chinese (X族, or X just before 自治), each as its English word
        expected = [ethnic[zh] for zh in re.findall(f"({alternatives})(?:族|(?=自治))", d.name)]
        named = [w for w in re.split(r", | and | ", head) if w in ethnic.values() or w == "Multi-ethnic"]
        assert sorted(named) == sorted(expected) and named, (d.name, en)
        # no pinyin run together: no "…zu" (族) word, no lower-case word but "and"
        assert not re.search(r"zu\b", en), (d.name, en)
        assert all(w[:1].isupper() or w == "and" for w in en.replace(",", "").split()), (d.name, en)


def test_every_banner_and_league_ends_with_its_kind():
    units = [d for level in ("city", "county") for d in divisions().all(level)]
    banners = [d for d in units if d.name.endswith("旗")]
    leagues = [d for d in units if d.name.endswith("盟")]
    assert len(banners) >= 50 and len(leagues) == 3
    for d in banners:
        assert english_name(d.name).endswith(" Banner"), d.name
        assert re.fullmatch(r"[A-Z][\w'-]*( [A-Z][\w'-]*)*", english_name(d.name)), d.name
    for d in leagues:
        assert english_name(d.name).endswith(" League"), d.name


def test_every_city_and_county_reads_as_words_with_a_kind():
    kinds = (
        "City|County|District|Prefecture|Banner|League|Area|Zone|Park|New Area|Special District"
        "|Forestry District|Islands|Administrative Committee|Divisions under the Province"
        "|Divisions under the Autonomous Region|Districts|Counties|New Town|Waters of the Zhongsha Islands"
    )
    for level in ("city", "county"):
        for d in divisions().all(level):
            en = english_name(d.name)
            assert re.search(f" ({kinds})$", en) or d.placeholder, (d.name, en)
            assert "  " not in en and en == en.strip()


def test_the_fifty_six_peoples_and_all_peoples():
    ethnic = place_name_rules()["ethnic"]
    assert len(ethnic) == 57 and ethnic["各"] == "Multi-ethnic"
    assert len(set(ethnic.values())) == 57
    assert ethnic["布依"] == "Bouyei" and ethnic["哈尼"] == "Hani" and ethnic["拉祜"] == "Lahu"


def test_every_override_is_needed():
    """Each whole-name and proper-name override differs from what the rules alone would give."""
    rules = place_name_rules()
    for zh, en in rules["names"].items():
        assert name_by_rules(zh) != en, zh
    for zh, en in rules["stems"].items():
        assert pinyin_word(zh) != en, zh


def test_apostrophes_where_syllables_would_run_together():
    assert pinyin_word("普洱") == "Pu'er"
    assert pinyin_word("西安") == "Xi'an"
    assert pinyin_word("都安") == "Du'an"
    assert pinyin_word("延安") == "Yan'an"
    assert pinyin_word("昆明") == "Kunming"  # n + m: no apostrophe needed
    assert english_name("宁洱哈尼族彝族自治县") == "Ning'er Hani and Yi Autonomous County"


def test_english_case_pages_and_search_use_the_same_names(corpus_site):
    """The search index is made from the case pages' text: a 陕西 case says Shaanxi, never Shanxi."""
    for cid in ("fufeng-sanjia-project", "qianyang-sijian-sili"):
        page = (corpus_site / "en" / "cases" / f"{cid}.html").read_text(encoding="utf-8")
        assert "Shaanxi" in page and "Shanxi" not in page
    facets = (corpus_site / "en" / "search" / "facets.json").read_text(encoding="utf-8")
    assert "Shaanxi" in facets and "Shanxi" not in facets


def test_english_search_for_shanxi_finds_no_shaanxi_case(browser, corpus_site, serve):
    context = browser.new_context()
    page = context.new_page()
    page.goto(serve(corpus_site) + "en/index.html", wait_until="networkidle")

    def rank(query: str) -> list[str]:
        return page.evaluate("q => window.casebookSearch.rank(q)", query)

    shaanxi = {"fufeng-sanjia-project", "qianyang-sijian-sili"}
    assert shaanxi <= set(rank("Shaanxi"))
    assert shaanxi.isdisjoint(rank("Shanxi"))
    assert "menghai-daluo-village-border-prosperity" in rank("Xishuangbanna")
    context.close()
