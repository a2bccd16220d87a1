"""Search benchmark: index time, index size, bytes sent and query latency at N cases.

For each N (default 1,000 and 10,000) it generates N records with ``casebook generate``, builds
the site with the documented build (without search), times ``casebook.search.index_site`` on it,
then serves the site with a plain static server and drives the header search box in headless
Chromium (Debian's /usr/bin/chromium; no browser download):

* bytes before the first query: what a case page loads for search (search.js, search.css), then
  what focusing the box loads (the index's metadata, search/index.json, and search/t2s.json);
* bytes for the first query and the query's latency (the value set and an ``input`` event
  dispatched, as a keypress would, until the results list is drawn, plus one animation frame);
* latency of later queries (median and worst of several).

Byte counts are what a static server sends with gzip: gzip -6 of each file, except the index's
files (.cbx), which the build already compresses and which are counted as they are.

Usage:  .venv/bin/python scripts/bench_search.py [--sizes 1000 10000] [--out bench-out/search]
        [--reuse]   (keep generated cases and built sites from an earlier run; the search
                     script and styles are copied in fresh, the index is always rebuilt)
Results: printed, and written to <out>/results.json.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..paths import project_root
from .build import project_copy

ROOT = project_root()

CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium")
FIRST_QUERY = "外卖骑手"
LATER_QUERIES = [
    "司机之家",
    "流动党员",
    "青蜂侠",
    "暖心驿站",
    "党群服务中心",
    "红色驿站",
    "货车司机",
    "新就业群体",
    "快递员",
    "党建",
    # a category's name: every case tagged with it as well as the text matches (issue 16)
    "外卖小哥",
    "卡车司机",
    # fewer than 5 exact matches: the loose fallback runs (characters in order, a few apart)
    "四建四力",
    "党建积分超市",
    # words no case holds together: the partial fallback
    "司机之家 青蜂侠",
]
TYPED_QUERIES = [
    "外卖骑手",
    "司机之家",
    "青蜂侠",
    "流动党员",
    "暖心驿站",
    "单工伤保险",
    "党群服务中心",
    "外卖小哥",
    "四建四力",
]
PRECOMPRESSED = (".cbx",)


def sent_bytes(path: Path) -> int:
    data = path.read_bytes()
    if path.name.endswith(PRECOMPRESSED):
        return len(data)
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def tree_size(folder: Path) -> tuple[int, int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files), sum(sent_bytes(p) for p in files)


def build(cases: Path, site: Path, work: Path) -> float:
    if not work.exists():
        project_copy(work)
    env = dict(
        os.environ,
        CASEBOOK_CASES=str(cases),
        CASEBOOK_ROOT=str(ROOT),
        SOURCE_DATE_EPOCH="1767225600",
        NO_MKDOCS_2_WARNING="1",
    )
    t0 = time.perf_counter()
    cmd = [
        sys.executable,
        "-m",
        "casebook",
        "build",
        "--no-search",
        "--site-dir",
        str(site),
        "--config",
        str(work / "mkdocs.yml"),
    ]
    proc = subprocess.run(cmd, env=env, cwd=work, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stdout[-2000:] + proc.stderr[-4000:])
    return time.perf_counter() - t0


class Recorder(http.server.SimpleHTTPRequestHandler):
    log: list[str] = []

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        self.log.append(self.path.split("?")[0])
        return super().send_head()


def serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer, list[str]]:
    log: list[str] = []
    handler = type("H", (Recorder,), {"log": log})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/", httpd, log


def count(site: Path, paths: list[str]) -> tuple[int, int, list[str]]:
    total, n, names = 0, 0, []
    for p in paths:
        f = site / p.lstrip("/")
        if f.is_file():
            total += sent_bytes(f)
            n += 1
            names.append(p)
    return total, n, names


MEASURE = """async (q) => {
  const box = document.querySelector('[data-cb-box]');
  const input = box.querySelector('input');
  return await new Promise((resolve) => {
    let t0 = 0;
    const obs = new MutationObserver(() => {
      if (box.getAttribute('data-cb-query') === q) {
        obs.disconnect();
        requestAnimationFrame(() => resolve({ms: performance.now() - t0, n: box.querySelectorAll('li[data-id]').length}));
      }
    });
    obs.observe(box, {attributes: true, attributeFilter: ['data-cb-query']});
    input.value = q;
    t0 = performance.now();
    input.dispatchEvent(new Event('input', {bubbles: true}));
  });
}"""


TYPED = """(q) => new Promise((resolve) => {
  const box = document.querySelector('[data-cb-box]');
  const input = box.querySelector('input');
  let last = 0;
  const onInput = () => { last = performance.now(); };
  input.addEventListener('input', onInput);
  const obs = new MutationObserver(() => {
    if (box.getAttribute('data-cb-query') === q) {
      obs.disconnect();
      input.removeEventListener('input', onInput);
      requestAnimationFrame(() => resolve(performance.now() - last));
    }
  });
  obs.observe(box, {attributes: true, attributeFilter: ['data-cb-query']});
})"""


def typed(page, query: str) -> float:
    """Type ``query`` one character every 150 ms; the time from the last keystroke to its results."""
    page.fill("[data-cb-box-input]", "")
    page.wait_for_timeout(100)
    page.evaluate(f"window.__cbWait = ({TYPED})({json.dumps(query)}); 0")
    page.type("[data-cb-box-input]", query, delay=150)
    return round(page.evaluate("window.__cbWait"), 1)


def quiet(page, log: list[str], ms: int = 600) -> None:
    """Wait until no request has arrived for ``ms``."""
    last, seen = time.monotonic(), len(log)
    while time.monotonic() - last < ms / 1000:
        page.wait_for_timeout(50)
        if len(log) != seen:
            seen, last = len(log), time.monotonic()


def browse(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    from casebook.facets import rows as facet_rows

    facets = json.loads((site / "search/facets.json").read_text(encoding="utf-8"))
    case_id = facet_rows(facets)[len(facet_rows(facets)) // 2][0]
    base, httpd, log = serve(site)
    out: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            page.goto(base + f"cases/{case_id}.html", wait_until="networkidle")
            loaded = list(log)
            search_files = [p for p in loaded if p.endswith(("/assets/search.js", "/assets/search.css"))]
            out["page_load_search_bytes"], _, _ = count(site, search_files)
            out["page_load_all_bytes"], _, _ = count(site, loaded)
            mark = len(log)
            page.keyboard.press("/")
            quiet(page, log)
            warm = log[mark:]
            out["focus_bytes"], out["focus_requests"], out["focus_files"] = count(site, warm)
            mark = len(log)
            first = page.evaluate(MEASURE, FIRST_QUERY)
            quiet(page, log)
            q1 = log[mark:]
            out["first_query"] = {"query": FIRST_QUERY, "ms": round(first["ms"], 1), "shown": first["n"]}
            out["first_query_bytes"], out["first_query_requests"], names = count(site, q1)
            out["first_query_files"] = sorted(
                {n.rsplit("/", 1)[0] if "/text/" in n or "/index/" in n else n for n in names}
            )
            later = []
            for q in LATER_QUERIES:
                mark = len(log)
                r = page.evaluate(MEASURE, q)
                quiet(page, log, 300)
                sent, requests, _ = count(site, log[mark:])
                later.append(
                    {"query": q, "ms": round(r["ms"], 1), "shown": r["n"], "bytes": sent, "requests": requests}
                )
            out["later_queries"] = later
            ms = [x["ms"] for x in later]
            out["later_median_ms"] = round(statistics.median(ms), 1)
            out["later_max_ms"] = round(max(ms), 1)
            # the same queries again, once the index chunks are cached
            again = [page.evaluate(MEASURE, q + " ")["ms"] for q in LATER_QUERIES]
            out["repeat_median_ms"] = round(statistics.median(again), 1)
            # typed one character at a time (search as you type), in a fresh browser context
            ctx.close()
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            page.goto(base + f"cases/{case_id}.html", wait_until="networkidle")
            page.keyboard.press("/")
            quiet(page, log)
            typed_ms = [{"query": q, "ms": typed(page, q)} for q in TYPED_QUERIES]
            out["typed"] = typed_ms
            out["typed_first_ms"] = typed_ms[0]["ms"]
            out["typed_later_median_ms"] = round(statistics.median(x["ms"] for x in typed_ms[1:]), 1)
            out["typed_later_max_ms"] = round(max(x["ms"] for x in typed_ms[1:]), 1)
            browser.close()
    finally:
        httpd.shutdown()
    out["before_first_query_bytes"] = out["page_load_search_bytes"] + out["focus_bytes"]
    return out


def run(n: int, out: Path, reuse: bool) -> dict:
    from casebook.search import index_site

    cases, site, work = out / f"cases-{n}", out / f"site-{n}", out / f"project-{n}"
    result: dict = {"cases": n}
    if not (reuse and cases.is_dir()):
        shutil.rmtree(cases, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "casebook", "generate", str(n), str(cases)], check=True, cwd=ROOT)
    if not (reuse and (site / "search/facets.json").is_file()):
        shutil.rmtree(site, ignore_errors=True)
        result["build_s"] = round(build(cases, site, work), 1)
    else:  # a reused site gets the current search script and styles
        for name in ("search.js", "search.css"):
            shutil.copyfile(ROOT / "docs" / "assets" / name, site / "assets" / name)
    t0 = time.perf_counter()
    langs = index_site(site)
    result["index_s"] = round(time.perf_counter() - t0, 1)
    result["languages"] = [d["lang"] for d in langs]
    sizes = {}
    for lang, root in (("zh", site), ("en", site / "en")):
        files, raw, sent = tree_size(root / "search" / "index")
        tfiles, traw, tsent = tree_size(root / "search" / "text")
        extra = {name: (root / "search" / name) for name in ("facets.json", "index.json", "t2s.json")}
        sizes[lang] = {
            "index_files": files,
            "index_bytes": raw,
            "index_sent_bytes": sent,
            "text_files": tfiles,
            "text_bytes": traw,
            **{f"{k}_bytes": v.stat().st_size for k, v in extra.items()},
            **{f"{k}_sent_bytes": sent_bytes(v) for k, v in extra.items()},
        }
    result["sizes"] = sizes
    result["browser"] = browse(site)
    return result


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 10 * 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"


def report(results: list[dict]) -> str:
    lines = [
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, Chromium headless ({CHROMIUM})",
        "",
        "| | " + " | ".join(f"{r['cases']:,} cases" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def row(label, fn):
        lines.append(f"| {label} | " + " | ".join(fn(r) for r in results) + " |")

    row("index time (both languages)", lambda r: f"{r['index_s']} s")

    def index_bytes(r: dict, lang: str) -> str:
        sizes = r["sizes"][lang]
        return kb(sizes["index_bytes"] + sizes["index.json_bytes"] + sizes["t2s.json_bytes"] + sizes["text_bytes"])

    row("index on disk, zh (index/ + index.json + t2s + text/)", lambda r: index_bytes(r, "zh"))
    row(
        "files, zh (index/ + text/)",
        lambda r: f"{r['sizes']['zh']['index_files']:,} + {r['sizes']['zh']['text_files']:,}",
    )
    row("index on disk, en", lambda r: index_bytes(r, "en"))
    row(
        "facets.json zh (raw / sent)",
        lambda r: f"{kb(r['sizes']['zh']['facets.json_bytes'])} / {kb(r['sizes']['zh']['facets.json_sent_bytes'])}",
    )
    row("page load: search.js + search.css (sent)", lambda r: kb(r["browser"]["page_load_search_bytes"]))
    row(
        "focus: index metadata and t2s (sent)",
        lambda r: f"{kb(r['browser']['focus_bytes'])} ({r['browser']['focus_requests']} requests)",
    )
    row("**before the first query** (sent)", lambda r: f"**{kb(r['browser']['before_first_query_bytes'])}**")
    row(
        "first query: bytes (sent)",
        lambda r: f"{kb(r['browser']['first_query_bytes'])} ({r['browser']['first_query_requests']} requests)",
    )
    row(f"first query latency ({FIRST_QUERY})", lambda r: f"{r['browser']['first_query']['ms']} ms")
    row(
        "later queries: median / worst",
        lambda r: f"{r['browser']['later_median_ms']} / {r['browser']['later_max_ms']} ms",
    )
    row(
        "later queries: bytes, median / worst",
        lambda r: " / ".join(
            kb(f([x["bytes"] for x in r["browser"]["later_queries"]])) for f in (statistics.median, max)
        ),
    )
    row("repeated queries (files cached): median", lambda r: f"{r['browser']['repeat_median_ms']} ms")
    row("typed one character at a time: first query", lambda r: f"{r['browser']['typed_first_ms']} ms")
    row(
        "typed: later queries median / worst",
        lambda r: f"{r['browser']['typed_later_median_ms']} / {r['browser']['typed_later_max_ms']} ms",
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--out", default=str(ROOT / "bench-out" / "search"))
    ap.add_argument("--reuse", action="store_true")
    args = ap.parse_args(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        print(f"== {n} cases", flush=True)
        r = run(n, out, args.reuse)
        print(json.dumps(r, ensure_ascii=False, indent=1), flush=True)
        results.append(r)
    (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(report(results))
    return 0


if __name__ == "__main__":  # python -m casebook.benchmarks.search
    raise SystemExit(main())
