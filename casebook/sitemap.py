"""``sitemap.xml`` for the published site, and none for copies without an address.

A sitemap needs absolute addresses, and only the published site has one: the publish workflow sets
``CASEBOOK_SITE_URL`` (the same setting the case pages' citations use). With it, the build writes
``sitemap.xml`` at the site root listing every page of both languages under that address; without
it (intranet copies, previews, local builds) the site ships no sitemap at all. MkDocs' own sitemap
template renders empty (overrides/sitemap.xml), so MkDocs writes neither it nor its ``.gz``;
hooks/casebook_hook.py calls :func:`write_sitemap` once every language is built.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

ENV = "CASEBOOK_SITE_URL"
FILE = "sitemap.xml"
# Pages that are not content: the not-found page (one file answers every missing address).
SKIPPED = {"404.html", "en/404.html"}


class SiteUrlError(ValueError):
    """CASEBOOK_SITE_URL is not an http(s) address."""


def site_url(environ: dict[str, str] | None = None) -> str | None:
    """The published site's address from ``CASEBOOK_SITE_URL``, ending in "/"; None when unset or empty."""
    value = (environ if environ is not None else os.environ).get(ENV, "").strip()
    if not value:
        return None
    if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
        raise SiteUrlError(f"{ENV} 应是网站的完整地址（https://…），现在是 {value!r}")
    return value.rstrip("/") + "/"


def pages(site: Path) -> list[str]:
    """Every HTML page of the built site as a path relative to its root, sorted (deterministic)."""
    found = []
    for folder, dirs, files in os.walk(site):
        dirs[:] = [d for d in dirs if d != "assets"]
        rel = Path(folder).relative_to(site).as_posix()
        for name in files:
            if name.endswith(".html"):
                path = name if rel == "." else f"{rel}/{name}"
                if path not in SKIPPED:
                    found.append(path)
    return sorted(found)


def sitemap_xml(base: str, paths: list[str]) -> str:
    urls = "".join(f"<url><loc>{escape(base + quote(p))}</loc></url>\n" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    )


def write_sitemap(site: Path, base: str | None) -> int:
    """Write ``site/sitemap.xml`` for ``base`` (see :func:`site_url`) and return its number of URLs;
    without a base, make sure the site has no sitemap and return 0."""
    target = site / FILE
    if base is None:
        for stale in (target, site / (FILE + ".gz")):
            stale.unlink(missing_ok=True)
        return 0
    paths = pages(site)
    target.write_text(sitemap_xml(base, paths), encoding="utf-8")
    return len(paths)
