"""The meeting pack (issue 15 §6): its page in each language and the labels its script uses.

The page (``search/pack.md`` → ``search/pack.html``, ``en/search/pack.html``) is an empty frame:
docs/assets/pack.js reads the chosen case ids from ``?ids=a,b,c`` (or the stored choice), loads each
case page (relative URL) in a hidden frame, and builds the pack from what the framed page posts back
(its summary, measures, figures and citations, as plain data): this works from disk (file://) as
from a server. The labels the script needs on every page (the print header, the tick boxes, the
pack button) are written once to ``data/pack-ui.js`` from casebook/data/ui.yaml, so no case page
grows by more than a script tag.
See docs-notes/print.md.
"""

from __future__ import annotations

import json

from .index import Catalog
from .render import LANGS, Ctx, docs_path, render, ui

PACK_PAGE = "search/pack.md"
UI_SCRIPT = "data/pack-ui.js"
MAX_CASES = 30
_PREFIXES = ("pack", "print_")


def pack_pages(catalog: Catalog, lang: str, options: dict) -> dict[str, bytes]:
    """The meeting-pack page of one language, keyed by its path under ``docs/``."""
    text = render("pack.md.j2", Ctx(lang, PACK_PAGE, catalog, options), max_cases=MAX_CASES)
    return {docs_path(PACK_PAGE, lang): text.encode("utf-8")}


def ui_script() -> bytes:
    """``data/pack-ui.js``: the pack and print labels in both languages, and where the pack page is."""
    labels = ui()
    data = {
        lang: {k: v[lang] for k, v in labels.items() if k.startswith(_PREFIXES) or k in ("archive_name", "print")}
        for lang in LANGS
    }
    data["max"] = MAX_CASES
    data["page"] = {lang: docs_path(PACK_PAGE, "zh")[: -len(".md")] + ".html" for lang in LANGS}
    data["page"]["en"] = "en/" + data["page"]["en"]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"window.cbPackUi={text};\n".encode()
