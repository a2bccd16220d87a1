"""The render stage on its own: record text is always text, even when the checker was bypassed."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import yaml
from hypothesis import given
from hypothesis import strategies as st

from casebook.index import build_catalog
from casebook.model import build_case
from casebook.rawblocks import CLOSE, OPEN, mark
from casebook.render import Ctx, _template_text, citation, environment, pages, rel_url, ui
from casebook.site import load_cases

from .conftest import CORPUS, FIXTURES

HOSTILE = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    '<img src=x onerror="alert(1)">',
    "</title><script>alert(2)</script>",
    "**x** # x ^0^ {{ x }} \\(x\\)",
]


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def hostile_case(text: str):
    data = yaml.safe_load((FIXTURES / "cases" / "guizhou" / "fx-longli-drivers-home.yaml").read_text(encoding="utf-8"))
    data["title"] = "标题" + text
    data["summary"] = text
    data["model"]["name"] = text
    data["measures"][0]["name"] = text
    data["measures"][0]["text"] = text
    data["numbers"][0]["subject"] = text
    data["quotes"][0]["text"] = text
    data["sources"][0]["title"] = text
    data["actor"]["name"] = text
    return build_case(data, "cases/guizhou/fx-longli-drivers-home.yaml")


def render_case_html(case, lang: str = "zh") -> tuple[str, Collect]:
    catalog = build_catalog([case])
    md = dict(pages(catalog, lang))["cases/fx-longli-drivers-home.md"]
    body = md.split("---", 2)[2]
    html = markdown.markdown(body, extensions=["toc", "attr_list", "tables"])
    parsed = Collect()
    parsed.feed(html)
    return md, parsed


def test_hostile_text_never_becomes_markup():
    for text in HOSTILE:
        md, parsed = render_case_html(hostile_case(text))
        tags = [t for t, _ in parsed.tags]
        assert "script" not in tags and "img" not in tags
        for _, attrs in parsed.tags:
            for key in ("href", "src", "action", "formaction"):
                assert not (attrs.get(key) or "").strip().lower().startswith("javascript:")
            assert not any(k.startswith("on") for k in attrs)
        # the characters reach the reader as typed
        assert any(text in chunk for chunk in ["".join(parsed.text)])


def test_front_matter_title_cannot_close_the_title_tag():
    md, _ = render_case_html(hostile_case("</title><script>alert(2)</script>"))
    front = md.split("---", 2)[1]
    meta = yaml.safe_load(front)
    assert "<" not in meta["title"] and ">" not in meta["title"]
    assert "script" in meta["title"]  # shown, defused (＜＞), not dropped


def test_markdown_syntax_in_records_is_literal():
    md, parsed = render_case_html(hostile_case("**x** # x ^0^ {{ x }} \\(x\\) a<b"))
    text = "".join(parsed.text)
    assert "**x** # x ^0^ {{ x }} \\(x\\) a<b" in text
    assert "em" not in [t for t, _ in parsed.tags]


def test_english_page_without_translation_shows_chinese_with_notice():
    case = hostile_case("普通文字")
    md = dict(pages(build_catalog([case]), "en"))["cases/fx-longli-drivers-home.md"]
    assert "No English translation of this case yet" in md
    assert 'lang="zh"' in md


def test_relative_urls():
    assert rel_url("cases/x.md", "regions/520000.md") == "../regions/520000.html"
    assert rel_url("index.md", "cases/x.md") == "cases/x.html"
    assert rel_url("regions/index.md", "regions/520000-p2.md") == "520000-p2.html"


def test_citation_puts_inferred_parts_in_brackets_without_editorial_words():
    case = hostile_case("x")
    line = citation(case.sources[0], "zh")
    assert "[2022年12月]。" in line  # GB/T 7714 supplied data: brackets, explained on the page
    assert "推断" not in line
    assert line.startswith("记者甲，《x》，贵州日报")
    en = citation(case.sources[0], "en")
    assert "[2022-12]" in en and "inferred" not in en


@given(st.text(max_size=40))
def test_an_inlined_label_renders_as_it_would_at_run_time(text):
    """Labels are written into one language's templates when they are compiled ({{ t.key }} → text)."""
    env = environment("zh")
    runtime = env.from_string("[{{ x }}]\n").render(x=text)
    inlined = _template_text(text)
    if inlined is None:  # kept as an expression: would read as template syntax or lose a CR
        assert "{" in text or "\r" in text
    else:
        assert env.from_string("[" + inlined + "]\n").render() == runtime


def test_templates_of_each_language_carry_its_labels():
    source = environment("en").loader.get_source(environment("en"), "case.md.j2")[0]
    assert "{{ t.sources }}" in source  # the file itself is unchanged
    html = environment("en").from_string("<b>{{ t.sources }}</b>|{{ c.t.sources }}").render()
    assert html == f"<b>{ui()['sources']['en']}</b>|{ui()['sources']['en']}"
    assert environment("zh").from_string("{{ t.sources }}").render() == ui()["sources"]["zh"]


def test_a_listing_entry_links_right_from_every_folder():
    """Entries are rendered once and given each folder's relative links; compare with a direct render."""
    case = hostile_case("普通文字")
    catalog = build_catalog([case])
    module = environment("zh").get_template("_macros.j2").module
    for page in ("index.md", "regions/520000.md", "cases/index.md", "groups/couriers.md"):
        ctx = Ctx("zh", page, catalog, {})
        direct = module.case_item(case, Ctx("zh", page, build_catalog([case]), {}))
        assert ctx.items([case]) == direct + "\n"
        assert f'href="{rel_url(page, "cases/fx-longli-drivers-home.md")}"' in direct


def test_every_page_is_fenced_as_mark_would_fence_it():
    """Templates get their raw-block fences when compiled; on every page they must sit exactly where
    ``rawblocks.mark`` puts them on the unfenced page (so the MkDocs hook keeps Markdown off them)."""
    catalog = build_catalog(load_cases(CORPUS))
    for lang in ("zh", "en"):
        for page, md in pages(catalog, lang):
            assert OPEN in md, page  # every page has its content in such blocks
            bare = md.replace(OPEN + "\n", "").replace("\n" + CLOSE, "")
            assert mark(bare) == md, page


def test_record_text_that_looks_like_a_link_placeholder_stays_text():
    case = hostile_case("<cb-link cases/x.md> \x1acases/y.md\x1a")
    catalog = build_catalog([case])
    for page in ("index.md", "regions/520000.md", "groups/couriers.md"):
        entry = Ctx("zh", page, catalog, {}).items([case])
        assert "&lt;cb-link cases/x.md&gt; \x1acases/y.md\x1a" in entry
        assert entry.count("href=") == 1
