"""casebook draft end to end: files, the checker's verdict, never overwrite, no invented actor."""

import pytest
import yaml

from casebook.check import check_paths
from casebook.cli import main
from casebook.draft import draft_text
from casebook.draft.evaluate import strip_confirm
from casebook.draft.write import write_drafts
from casebook.problems import errors

ARTICLE = """## 浙江省青田县：

# 组织动员，参与基层治理

目前，青田县共有2000余名外卖员、快递员、网络电商新业态从业者。青田县推出“青蜂侠”快递物流行业党建联盟等载体平台。

“群众有所需，我们要有所为。快递员熟悉居民、了解社区。”青田县快递行业党建联盟负责人王发旺介绍，联盟带动30多名年轻快递员参与志愿服务。
"""


@pytest.fixture
def article(tmp_path):
    p = tmp_path / "qt.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    return p


def run(article, out, *extra):
    return main(["draft", str(article), "--out", str(out), "--source-key", "qt", "--date", "2026-11-30", *extra])


def test_a_draft_is_reported_by_the_checker_with_each_confirm_item(article, tmp_path, capsys):
    out = tmp_path / "cases"
    assert run(article, out) == 0
    (path,) = out.rglob("*.yaml")
    assert path == out / "zhejiang" / "qt-331121.yaml"
    assert "写出 1 个草稿" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    assert "status: draft" in text and "region: " not in text.split("confirm:")[0]
    _, problems = check_paths([path], context=out)
    messages = [p.message for p in errors(problems)]
    assert any("这是草稿" in m for m in messages)
    confirm = [m for m in messages if m.startswith("待确认：")]
    assert any("region：青田县（331121" in m for m in confirm)
    assert any("numbers[0]：2000余名" in m for m in confirm)
    assert any("quotes[0]：说话人“青田县快递行业党建联盟负责人”" in m for m in confirm)
    data = yaml.safe_load(text)
    published = {k: v for k, v in data.items() if k not in ("editor_notes", "confirm")}
    assert "王发旺" not in str(published)  # never a private person's name (comments may quote the source)


def test_never_overwrites_and_reports_what_is_recorded(article, tmp_path, capsys):
    out = tmp_path / "cases"
    assert run(article, out) == 0
    (path,) = out.rglob("*.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft\n", ""), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    capsys.readouterr()
    assert run(article, out) == 0
    assert "已收录为 qt-331121" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == before and len(list(out.rglob("*.yaml"))) == 1


def test_an_id_in_use_is_not_taken_again(article, tmp_path):
    out = tmp_path / "cases"
    (out / "beijing").mkdir(parents=True)
    (out / "beijing" / "qt-331121.yaml").write_text("id: qt-331121\n", encoding="utf-8")
    written = write_drafts(draft_text(ARTICLE), "other.txt", out, key="qt")
    assert [w.case_id for w in written] == ["qt-331121-2"]


def test_bad_source_key_is_refused(article, tmp_path):
    assert main(["draft", str(article), "--out", str(tmp_path / "c"), "--source-key", "../x"]) == 2
    assert not (tmp_path / "c").exists()


def test_actor_only_when_the_article_names_who_acted(tmp_path):
    (d,) = draft_text(
        "龙里县谷脚镇的集聚区车水马龙，包裹被分装上车。这里吸引了12万名新就业群体，司机和快递员很忙碌。\n"
    )
    assert d.actor is None
    (d,) = draft_text("为把货车司机凝聚在党组织周围，龙里县创新行业党建联建机制，成立联合党委。\n")
    assert (d.actor.name, d.actor.level) == ("龙里县", "county")
    (d,) = draft_text("对此，北京市朝阳区八里庄街道党工委统筹协调，开辟专门区域。\n")
    assert (d.actor.name, d.actor.level) == ("北京市朝阳区八里庄街道党工委", "street-town")


def test_no_actor_is_made_from_a_place_name(tmp_path):
    out = tmp_path / "cases"
    text = "近年来，青田县外卖员、快递员越来越多，这群人中有本地党员10余人。\n"
    (w,) = write_drafts(draft_text(text), "a.txt", out, key="a")
    data = yaml.safe_load(w.path.read_text(encoding="utf-8"))
    assert data["actor"] == {"name": None, "level": None}


def test_stripping_the_marks_leaves_only_what_the_editor_writes(article, tmp_path):
    out = tmp_path / "cases"
    assert run(article, out) == 0
    (path,) = out.rglob("*.yaml")
    path.write_text(strip_confirm(path.read_text(encoding="utf-8")), encoding="utf-8")
    _, problems = check_paths([path], context=out)
    left = [p.message for p in errors(problems)]
    assert left and all("还没有填写" in m for m in left), left
    assert any(m.startswith("title") for m in left) and any(m.startswith("summary") for m in left)


def test_dry_run_writes_nothing(article, tmp_path):
    assert run(article, tmp_path / "cases", "--dry-run") == 0
    assert not (tmp_path / "cases").exists()


def test_python_m_entry_point(article, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "cases"
    got = subprocess.run(
        [sys.executable, "-m", "casebook.draft", str(article), "--out", str(out), "--source-key", "qt"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert got.returncode == 0, got.stderr
    assert (out / "zhejiang" / "qt-331121.yaml").is_file()
