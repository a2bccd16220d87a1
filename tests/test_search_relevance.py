"""Relevance suite: queries written from the real cases, each with the cases that must be among the
first five answers, run in headless Chromium against the site built from the frozen copy of those
records in tests/corpus (``corpus_site``) — not from cases/, where every added case may push an
expected answer out of the top five.

The answers come from the site's own search engine (window.casebookSearch.rank, the ranking the
header box and the search page show): Pagefind over the per-character index, ranked title and
model name first, then measures, then the rest, newest first within each. A last test checks the
search page shows the same order.
"""

from __future__ import annotations

import pytest

# (query, cases that must be in the top 5). Grouped by what the query is.
ZH = [
    # model names and slogans
    ("司机之家", ["shenzhen-drivers-home-shenkang", "longli-express-logistics-party-committee"]),
    ("青蜂侠", ["qingtian-qingfengxia"]),
    ("暖蜂行动", ["shenzhen-nuanfeng-action"]),
    ("三家工程", ["fufeng-sanjia-project"]),
    ("组织建家、党员兴家、阵地暖家", ["fufeng-sanjia-project"]),
    ("红润五华·新新向融", ["kunming-wuhua-red-courier-homes"]),
    ("红色小哥之家", ["kunming-wuhua-red-courier-homes"]),
    ("五个体系", ["bijie-five-systems-urban-party-building"]),
    ("党支部+合作社+农户", ["congjiang-ponkan-party-branch-cooperative", "renhuai-wuma-sanyuan-citrus-cooperative"]),
    ("六无村", ["huichuan-maoshi-leyao-six-no-village"]),
    ("四建提四力", ["qianyang-sijian-sili"]),
    ("一员三室", ["nanlushan-yiyuan-sanshi"]),
    ("一张网", ["yiyuan-rural-governance-network"]),
    ("三上三下", ["fengyuan-sanshang-sanxia"]),
    ("蜂享小屋", ["deqing-red-station-fengxiang-hut"]),
    ("四堂课", ["lancang-four-lessons-congress-outreach"]),
    ("暖心驿站", ["dongcheng-warm-stations"]),
    ("华联家园驿站", ["tiantongyuanbei-hualian-jiayuan-station"]),
    ("行业共建、区域联建", ["changping-new-employment-party-building"]),
    ("用真情暖新心", ["luxi-new-sector-social-governance"]),
    # groups served and their names in the text
    ("外卖骑手", ["luxi-new-sector-social-governance", "kunming-wuhua-red-courier-homes"]),
    ("流动党员", ["qingtian-qingfengxia", "fufeng-sanjia-project", "longli-express-logistics-party-committee"]),
    ("货拉拉 司机", ["shenzhen-huolala-mobile-branches"]),
    ("网约车司机", ["shenzhen-meilin-spring-festival"]),
    (
        "网络主播",
        [
            "changning-new-employment-industry-party-committee",
            "fufeng-sanjia-project",
            "luxi-new-sector-social-governance",
        ],
    ),
    ("口袋党员", ["fufeng-sanjia-project"]),
    # measures
    ("流动党支部", ["beijing-new-employment-services", "shenzhen-huolala-mobile-branches"]),
    ("轮值主席", ["longli-express-logistics-party-committee"]),
    ("小哥加油站", ["beijing-new-employment-services"]),
    ("二次分拣", ["balizhuang-huamao-courier-management"]),
    ("小石灶", ["dongcheng-warm-stations"]),
    ("随手拍", ["changping-new-employment-party-building"]),
    ("红黑榜", ["huichuan-maoshi-leyao-six-no-village"]),
    ("火塘党课", ["lancang-four-lessons-congress-outreach"]),
    ("人才库", ["tongzi-loushanguan-talent-service"]),
    ("换届", ["xifeng-dengta-village-election"]),
    ("积分联奖惩", ["yiyuan-rural-governance-network"]),
    ("工伤险", ["shenzhen-nuanfeng-action"]),
    ("小哥驿站", ["qianyang-sijian-sili"]),
    ("侨乡先锋驿站", ["qingtian-qingfengxia"]),
    ("节日慰问", ["shenzhen-meilin-spring-festival"]),
    ("二十大 短视频", ["guizhou-provincial-organs-congress-study-videos"]),
    ("从江椪柑", ["congjiang-ponkan-party-branch-cooperative"]),
    ("小香葱", ["luxi-new-sector-social-governance"]),
    ("不动产登记", ["tianjin-property-registration-legacy-titles"]),
    ("上海交通大学", ["daguan-cadre-training-shanghai"]),
    (
        "党群服务中心",
        ["beijing-new-employment-services", "shenzhen-meilin-spring-festival", "shenzhen-nuanfeng-action"],
    ),
    # places
    (
        "深圳",
        [
            "shenzhen-drivers-home-shenkang",
            "shenzhen-huolala-mobile-branches",
            "shenzhen-meilin-spring-festival",
            "shenzhen-nuanfeng-action",
        ],
    ),
    (
        "遵义",
        [
            "huichuan-maoshi-leyao-six-no-village",
            "renhuai-wuma-sanyuan-citrus-cooperative",
            "tongzi-loushanguan-talent-service",
        ],
    ),
    ("宝鸡", ["fufeng-sanjia-project", "qianyang-sijian-sili"]),
    ("昌平", ["changping-new-employment-party-building", "tiantongyuanbei-hualian-jiayuan-station"]),
    ("沂源", ["nanlushan-yiyuan-sanshi", "yiyuan-rural-governance-network"]),
    ("枫桥", ["fengyuan-sanshang-sanxia"]),
    ("打洛", ["menghai-daluo-village-border-prosperity"]),
    ("司机之家 深圳", ["shenzhen-drivers-home-shenkang"]),
    # subjects of figures
    ("单工伤保险", ["kunming-wuhua-red-courier-homes"]),
    ("日均快递处理量", ["longli-express-logistics-party-committee"]),
    ("外卖员取餐平均耗时", ["tiantongyuanbei-hualian-jiayuan-station"]),
    ("椪柑年产量", ["congjiang-ponkan-party-branch-cooperative"]),
    ("电子商务交易额", ["fufeng-sanjia-project"]),
    ("火龙果亩产", ["menghai-daluo-village-border-prosperity"]),
    ("耙耙柑", ["renhuai-wuma-sanyuan-citrus-cooperative"]),
    # typed in traditional characters
    ("司機之家", ["shenzhen-drivers-home-shenkang", "longli-express-logistics-party-committee"]),
    ("外賣騎手", ["luxi-new-sector-social-governance", "kunming-wuhua-red-courier-homes"]),
    ("青蜂俠", ["qingtian-qingfengxia"]),
    ("流動黨員", ["qingtian-qingfengxia", "fufeng-sanjia-project"]),
    ("暖心驛站", ["dongcheng-warm-stations"]),
]

EN = [
    ("drivers home", ["shenzhen-drivers-home-shenkang", "longli-express-logistics-party-committee"]),
    ("Green Hornet", ["qingtian-qingfengxia"]),
    ("Three Homes", ["fufeng-sanjia-project"]),
    ("Red Courier Homes", ["kunming-wuhua-red-courier-homes"]),
    (
        "Shenzhen",
        [
            "shenzhen-drivers-home-shenkang",
            "shenzhen-huolala-mobile-branches",
            "shenzhen-meilin-spring-festival",
            "shenzhen-nuanfeng-action",
        ],
    ),
    ("司机之家", ["shenzhen-drivers-home-shenkang", "longli-express-logistics-party-committee"]),
    ("青蜂侠", ["qingtian-qingfengxia"]),
]


@pytest.fixture(scope="module")
def ranker(browser, corpus_site, serve):
    base = serve(corpus_site)
    context = browser.new_context()
    pages = {}
    outside, failed, errors = [], [], []

    def rank(query: str, lang: str = "zh") -> list[str]:
        if lang not in pages:
            pg = context.new_page()
            pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith("http://127.0.0.1") else None)
            pg.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            pg.on("pageerror", lambda e: errors.append(str(e)))
            pg.goto(base + ("en/index.html" if lang == "en" else "index.html"), wait_until="networkidle")
            pages[lang] = pg
        return pages[lang].evaluate("q => window.casebookSearch.rank(q)", query)

    rank.base = base
    yield rank
    context.close()
    assert outside == [] and failed == [] and errors == []


def test_the_suite_is_big_enough():
    assert len(ZH) >= 40 and len({q for q, _ in ZH}) == len(ZH)


@pytest.mark.parametrize("query, expected", ZH, ids=[q for q, _ in ZH])
def test_chinese_query(ranker, query, expected):
    got = ranker(query)
    missing = [e for e in expected if e not in got[:5]]
    assert missing == [], f"{query}: top 5 {got[:5]}"


@pytest.mark.parametrize("query, expected", EN, ids=[q for q, _ in EN])
def test_english_site_query(ranker, query, expected):
    got = ranker(query, "en")
    missing = [e for e in expected if e not in got[:5]]
    assert missing == [], f"{query}: top 5 {got[:5]}"


def test_title_and_model_matches_rank_first(ranker):
    # 党群服务中心 is in the model of one case and the titles of two; others only mention it.
    got = ranker("党群服务中心")
    assert set(got[:3]) == {
        "beijing-new-employment-services",
        "shenzhen-meilin-spring-festival",
        "shenzhen-nuanfeng-action",
    }
    assert len(got) > 3
    # 红色驿站: in the model of two cases (newest first), in the measures or text of others
    got = ranker("红色驿站")
    assert got[:2] == ["luxi-new-sector-social-governance", "deqing-red-station-fengxiang-hut"], got


def test_search_page_shows_the_same_order(ranker, browser):
    context = browser.new_context()
    pg = context.new_page()
    for query in ("快递员", "党群服务中心", "驿站"):
        pg.goto(ranker.base + "search/index.html?q=" + query)
        pg.wait_for_selector(f'#cb-search[data-cb-state=done][data-cb-query="{query}"]')
        shown = [li.get_attribute("data-id") for li in pg.query_selector_all("#cb-results li.cb-result")]
        assert shown == ranker(query)[: len(shown)] and shown
    context.close()
