"""A generator of realistic, valid records for benchmarks and scale tests.

Real provinces, cities, counties and towns with their codes (from the division dataset), the
vocabularies, figures with qualifiers and their printed wording, and text recombined from the real
cases in ``cases/``. Deterministic for a given seed.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import yaml

from .check import find_records
from .divisions import divisions
from .load import load_file
from .paths import SCHEMA, project_root
from .vocab import province_by_code, vocabulary

CN_DIGITS = "零一二三四五六七八九"
UNITS = ["名", "个", "家", "件", "次", "人次", "处", "支", "场"]
OUTLETS = ["贵州日报", "云南日报", "陕西日报", "浙江日报", "南方日报", "北京日报", "大众日报", "四川日报", None]


def _pool() -> dict[str, list]:
    """Text pieces from the real cases (or a small built-in set when there are none)."""
    pool: dict[str, list] = {
        "model": [],
        "parts": [],
        "measure": [],
        "summary": [],
        "quote": [],
        "subject": [],
        "title": [],
        "indicator": [],  # (subject, indicator, unit) of the real figures that carry an indicator
    }
    for f in find_records([project_root() / "cases"]):
        data = load_file(f).data
        if not isinstance(data, dict):
            continue
        pool["model"].append(data["model"].get("name") or data["model"].get("label"))
        pool["parts"].extend(data["model"].get("parts", []))
        pool["measure"].extend((m.get("name") or m.get("label"), m["text"]) for m in data["measures"])
        pool["summary"].append(data["summary"])
        pool["quote"].extend(q["text"] for q in data.get("quotes", []))
        pool["subject"].extend(n["subject"] for n in data.get("numbers", []))
        pool["indicator"].extend(
            (n["subject"], n["indicator"], n["unit"]) for n in data.get("numbers", []) if "indicator" in n
        )
        pool["title"].append(data["title"])
    if not pool["model"]:
        pool.update(
            model=["红色驿站", "司机之家", "暖蜂行动"],
            parts=["组织建家", "党员兴家", "阵地暖家"],
            measure=[("暖心驿站", "建设驿站，提供热水、充电、休息服务。")],
            summary=["当地推进新就业群体党建工作。"],
            quote=["驿站就像是自己的家。"],
            subject=["建成的驿站"],
            title=["推进新就业群体党建"],
        )
    return pool


def _figure(rng: random.Random, subject: str, unit_as: str | None = None) -> dict:
    unit = rng.choice(UNITS)
    unit = unit_as or unit  # the random choice is made either way: the same seed gives the same records
    kind = rng.random()
    if kind < 0.27:
        v = rng.randint(2, 5000)
        return {"subject": subject, "value": v, "unit": unit, "printed": f"{v}{unit}"}
    if kind < 0.35:
        return _worded_figure(rng, subject, unit)
    if kind < 0.55:
        v = rng.randint(1, 99) * 10
        word = rng.choice(["余", "多"])
        return {"subject": subject, "value": v, "qualifier": "more-than", "unit": unit, "printed": f"{v}{word}{unit}"}
    if kind < 0.65:
        v = rng.randint(1, 60) * 100
        return {"subject": subject, "value": v, "qualifier": "nearly", "unit": unit, "printed": f"近{v}{unit}"}
    if kind < 0.75:
        v = rng.randint(2, 90) / 10
        text = f"{v:g}"
        return {"subject": subject, "value": round(v * 10000), "unit": unit, "printed": f"{text}万{unit}"}
    if kind < 0.85:
        a = rng.randint(1, 8)
        return {
            "subject": subject,
            "low": a,
            "high": a + 1,
            "qualifier": "range",
            "unit": unit,
            "printed": f"{CN_DIGITS[a]}{CN_DIGITS[a + 1]}{unit}",
        }
    if kind < 0.92:
        v = rng.randint(1, 999) * 100
        return {"subject": subject, "value": v, "qualifier": "more-than", "unit": unit, "printed": f"{v}{unit}以上"}
    a = rng.randint(5, 9)
    b = rng.randint(1, a - 1)
    return {
        "subject": subject,
        "unit": "分钟",
        "printed": f"从{CN_DIGITS[a]}分钟减少到{CN_DIGITS[b]}分钟",
        "before": {"value": a, "printed": f"{CN_DIGITS[a]}分钟"},
        "after": {"value": b, "printed": f"{CN_DIGITS[b]}分钟"},
    }


def _numbers(rng: random.Random, pool: dict[str, list], measures: int) -> list[dict]:
    """A record's figures: a subject of a real figure that carries an indicator gets that indicator
    (and that figure's unit); every other figure is linked to one of the record's measures."""
    tagged = {subject: (slug, unit) for subject, slug, unit in pool["indicator"]}
    out = []
    for k in range(rng.randint(0, 8)):
        subject = rng.choice(pool["subject"])
        slug, unit = tagged.get(subject, (None, None))
        figure = _figure(rng, subject, unit)
        if slug and figure["unit"] == unit and "before" not in figure:
            figure = {"subject": subject, "indicator": slug, **figure}
        if k % 2 == 0 and measures:
            figure["measure"] = k // 2 % measures + 1
        out.append(figure)
    return out


def _worded_figure(rng: random.Random, subject: str, unit: str) -> dict:
    """Upper bounds, at-least with a filler, 有余 after the unit, emphasis (vocab/qualifiers.yaml)."""
    v = rng.randint(2, 500)
    kind = rng.randrange(6)
    if kind == 0:
        word = rng.choice(["内", "以内"])
        return {"subject": subject, "value": v, "qualifier": "at-most", "unit": "分钟", "printed": f"{v}分钟{word}"}
    if kind == 1:
        word = rng.choice(["不足", "不到"])
        return {"subject": subject, "value": v, "qualifier": "less-than", "unit": unit, "printed": f"{word}{v}{unit}"}
    if kind == 2:
        word = rng.choice(["至少", "至少有"])
        return {"subject": subject, "value": v, "qualifier": "at-least", "unit": unit, "printed": f"{word}{v}{unit}"}
    if kind == 3:
        a = rng.randint(1, 9)
        return {
            "subject": subject,
            "value": a,
            "qualifier": "more-than",
            "unit": "年",
            "printed": f"{'一两三四五六七八九'[a - 1]}年有余",
        }
    if kind == 4:
        return {
            "subject": subject,
            "value": v * 10,
            "unit": unit,
            "printed": f"{rng.choice(['多达', '高达'])}{v * 10}{unit}",
        }
    return {"subject": subject, "value": v, "qualifier": "less-than", "unit": unit, "printed": f"{v}{unit}以下"}


def generate(count: int, out: Path, seed: int = 1, prefix: str = "gen") -> int:
    """Write ``count`` valid records under ``out/<province>/`` with ids ``<prefix>-<province>-<n>``;
    returns the number written. An existing file is never overwritten (FileExistsError): the output
    may be a real cases/ folder."""
    rng = random.Random(seed)
    pool = _pool()
    divs = divisions()
    counties = [d for d in divs.all("county") if d.code != divs.get(d.parent, "city").code]
    towns_by_county: dict[str, list] = {}
    for d in divs.all("town"):
        towns_by_county.setdefault(d.parent, []).append(d)
    groups = [t.slug for t in vocabulary("groups").terms]
    topics = [t.slug for t in vocabulary("topics").terms]
    themes = [t.slug for t in vocabulary("themes").terms]
    levels = ["county", "street-town", "industry-body", "city", "community-village"]
    written = 0
    ids: list[str] = []
    used: set[tuple] = set()
    out.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        county = rng.choice(counties)
        city = divs.get(county.parent, "city")
        province = divs.get(city.parent, "province")
        term = province_by_code(province.code)
        region: dict = {"province": {"name": province.name, "code": province.code}}
        if not city.placeholder:
            region["city"] = {"name": city.name, "code": city.code}
        region["county"] = {"name": county.name, "code": county.code}
        towns = towns_by_county.get(county.code, [])
        if towns and rng.random() < 0.3:
            town = rng.choice(towns)
            region["town"] = {"name": town.name, "code": town.code}
        cid = f"{prefix}-{term.slug}-{i:05d}"
        model = rng.choice(pool["model"])
        key = (tuple(v["code"] for v in region.values()), model)
        n = 1
        while key in used:  # one record per case: the same region and model name may not repeat
            n += 1
            model = f"{rng.choice(pool['model'])}{'·' + str(n) if n > 3 else ''}"
            key = (tuple(v["code"] for v in region.values()), model)
        used.add(key)
        measures = []
        for _ in range(rng.randint(2, 5)):
            name, text = rng.choice(pool["measure"])
            m = {"topic": rng.choice(topics), "text": text}
            if name:
                m = {("label" if rng.random() < 0.3 else "name"): name, **m}
            measures.append(m)
        year = rng.choice(["2021", "2022", "2023", "2024", "2025"])
        record = {
            "id": cid,
            "added": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
            "title": f"{county.name}{rng.choice(pool['title'])[:40]}",
            "model": {
                ("label" if rng.random() < 0.2 else "name"): f"{model}",
                **({"parts": rng.sample(pool["parts"], 3)} if len(pool["parts"]) >= 3 and rng.random() < 0.3 else {}),
            },
            "theme": themes[0] if rng.random() < 0.7 else rng.choice(themes),
            "region": region,
            "actor": {"name": f"{county.name}委组织部", "level": rng.choice(levels)},
            "groups": sorted(rng.sample(groups, rng.randint(1, 3))),
            "topics": sorted(rng.sample(topics, rng.randint(1, 4))),
            "summary": " ".join(rng.sample(pool["summary"], min(2, len(pool["summary"])))),
            "measures": measures,
            "numbers": _numbers(rng, pool, len(measures)),
            "quotes": [
                {
                    "text": rng.choice(pool["quote"])[:90],
                    "speaker": rng.choice(["快递员", "外卖骑手", "货车司机", "社区党委书记"]),
                }
            ]
            if pool["quote"] and rng.random() < 0.6
            else [],
            "period": {"reported": f"{year}-{rng.randint(1, 12):02d}"},
            "sources": [
                {
                    "key": "s1",
                    "kind": "newspaper",
                    "publication": rng.choice(OUTLETS),
                    "title": f"{county.name}：{rng.choice(pool['title'])[:30]}",
                    "date": f"{year}-{rng.randint(1, 12):02d}",
                }
            ],
        }
        if not record["quotes"]:
            del record["quotes"]
        if ids and rng.random() < 0.2:
            record["related"] = [
                {"id": rng.choice(ids[-50:]), "relation": rng.choice(["same-model", "adapted-from", "same-region"])}
            ]
        folder = out / term.slug
        folder.mkdir(exist_ok=True)
        path = folder / f"{cid}.yaml"
        schema = os.path.relpath(SCHEMA, folder).replace(os.sep, "/")
        body = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000)
        with open(path, "x", encoding="utf-8") as fh:  # never over a record that is there
            fh.write(f"# yaml-language-server: $schema={schema}\n{body}")
        ids.append(cid)
        written += 1
    return written
