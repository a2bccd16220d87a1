"""README.md is for users: at most 9,000 characters, every relative link resolves, and every design
note in docs-notes/ is linked from it (the details live there: nothing is lost, only linked)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def links(path: Path) -> list[str]:
    """The Markdown links of a file, outside fenced code blocks."""
    return LINK.findall(FENCE.sub("", path.read_text(encoding="utf-8")))


def test_readme_is_short():
    assert len(README.read_text(encoding="utf-8")) <= 9000


def test_every_relative_link_resolves():
    for doc in [README, *sorted((ROOT / "docs-notes").glob("*.md"))]:
        for target in links(doc):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (doc.parent / unquote(target.split("#")[0])).resolve()
            assert path.exists(), f"{doc.relative_to(ROOT)}: {target}"


def test_every_design_note_is_linked_from_the_readme():
    linked = {Path(t).name for t in links(README) if t.startswith("docs-notes/")}
    notes = {p.name for p in (ROOT / "docs-notes").glob("*.md")}
    assert notes - linked == set()
    assert {"performance.md", "design.md", "search.md", "ci.md", "tests.md", "figures.md"} <= linked


def test_the_history_moved_to_the_performance_note():
    note = (ROOT / "docs-notes" / "performance.md").read_text(encoding="utf-8")
    for kept in ("Third round", "What was changed after profiling", "bare baseline", "first query 外卖骑手"):
        assert kept in note
    assert "Third round" not in README.read_text(encoding="utf-8")


def test_the_readme_says_how_to_change_the_port():
    assert "PORT=" in README.read_text(encoding="utf-8")
