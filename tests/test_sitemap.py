"""sitemap.xml: written with absolute URLs only when CASEBOOK_SITE_URL gives the published address;
copies without one (intranet, previews) ship no sitemap at all (casebook/sitemap.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from casebook.sitemap import SiteUrlError, pages, site_url, sitemap_xml, write_sitemap

from .conftest import FIXTURES, ROOT, build_site

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locs(xml: str) -> list[str]:
    return [e.text or "" for e in ET.fromstring(xml).iter(NS + "loc")]


def test_site_url_is_read_and_checked():
    assert site_url({}) is None and site_url({"CASEBOOK_SITE_URL": "  "}) is None
    assert site_url({"CASEBOOK_SITE_URL": "https://org.example/casebook"}) == "https://org.example/casebook/"
    assert site_url({"CASEBOOK_SITE_URL": "https://org.example/"}) == "https://org.example/"
    for wrong in ("org.example/casebook", "/casebook/", "https://org.example/a b", "javascript:alert(1)"):
        with pytest.raises(SiteUrlError):
            site_url({"CASEBOOK_SITE_URL": wrong})


def test_pages_and_xml(tmp_path):
    for path in ("index.html", "404.html", "en/404.html", "en/index.html", "cases/a&b.html", "assets/x.html"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "facets.json").write_text("{}")
    assert pages(tmp_path) == ["cases/a&b.html", "en/index.html", "index.html"]
    assert write_sitemap(tmp_path, "https://org.example/cb/") == 3
    xml = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert locs(xml) == [
        "https://org.example/cb/cases/a%26b.html",
        "https://org.example/cb/en/index.html",
        "https://org.example/cb/index.html",
    ]
    assert sitemap_xml("https://org.example/cb/", pages(tmp_path)) == xml  # deterministic
    (tmp_path / "sitemap.xml.gz").write_bytes(b"old")
    assert write_sitemap(tmp_path, None) == 0
    assert not (tmp_path / "sitemap.xml").exists() and not (tmp_path / "sitemap.xml.gz").exists()


def test_a_site_without_an_address_ships_no_sitemap(corpus_site):
    assert (corpus_site / "index.html").is_file()
    assert list(corpus_site.rglob("sitemap.xml*")) == []


def test_a_site_with_an_address_lists_every_page_of_both_languages(tmp_path):
    site = tmp_path / "site"
    proc = build_site(
        FIXTURES / "cases", site, search=False, extra_env={"CASEBOOK_SITE_URL": "https://org.example/casebook"}
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (site / "sitemap.xml.gz").exists() and not (site / "en" / "sitemap.xml").exists()
    urls = locs((site / "sitemap.xml").read_text(encoding="utf-8"))
    html = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    assert urls == ["https://org.example/casebook/" + p for p in html]
    assert "https://org.example/casebook/index.html" in urls and "https://org.example/casebook/en/index.html" in urls
    assert any("/cases/" in u for u in urls) and any("/en/cases/" in u for u in urls)


def test_the_publish_workflow_sets_the_published_address():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    builds = [s for job in workflow["jobs"].values() for s in job["steps"] if "casebook build" in s.get("run", "")]
    assert len(builds) == 1
    assert builds[0]["env"]["CASEBOOK_SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    configure = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/configure-pages"))
    assert steps[configure]["id"] == "pages" and configure < steps.index(builds[0])
    assert "CASEBOOK_SITE_URL" in Path(ROOT / "README.md").read_text(encoding="utf-8")
