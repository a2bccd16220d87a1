"""Draft records as YAML files: ``status: draft``, a ``confirm:`` list, one file per practice.

A file is never overwritten (opened with "x"); ids follow the schema's id pattern (the one
``casebook new`` checks) and never repeat an id already used under the cases folder; a practice
already recorded from the same source file at the same place (and, for a practice drafted on an
enterprise, with that enterprise as actor) is reported, not drafted again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import yaml

from ..paths import SCHEMA, TEMPLATES
from ..vocab import province_by_code
from .drafts import Draft
from .places import DEPTH, gazetteer
from .rules import words

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_LEVEL_ZH = {"province": "省级", "city": "市级", "county": "县级", "town": "乡镇（街道）", "village": "村（社区）"}
MAX_MEASURES = 12


@cache
def id_pattern() -> re.Pattern:
    """The schema's id pattern (the one ``casebook new`` validates ids with)."""
    return re.compile(json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"]["id"]["pattern"])


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True
    )
    return env.get_template("draft_case.yaml.j2")


def _json(value: str) -> str:
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(value, ensure_ascii=False))


def _comment(text: str) -> str:
    return _UNSAFE.sub(" ", re.sub(r"\s+", " ", text))[:160]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def _amount(reading) -> list[tuple[str, str]]:
    out = []
    if reading.value is not None:
        out.append(("value", _num(reading.value)))
    else:
        out += [("low", _num(reading.low)), ("high", _num(reading.high))]
    if reading.qualifier != "exact":
        out.append(("qualifier", reading.qualifier))
    return out


def _inline(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"


@dataclass
class Written:
    path: Path | None
    draft: Draft
    case_id: str
    confirm: int = 0
    already: str | None = None  # id of the record that already holds this practice


def _existing(cases_dir: Path, file_name: str) -> tuple[set[str], dict[str, list[tuple[str, str]]]]:
    """Ids used under ``cases_dir``, and place code → (id, actor name) of the records citing ``file_name``."""
    ids: set[str] = set()
    placed: dict[str, list[tuple[str, str]]] = {}
    if not cases_dir.is_dir():
        return ids, placed
    for path in sorted(cases_dir.rglob("*.yaml")):
        if path.is_symlink() or not path.is_file():
            continue
        ids.add(path.stem)
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if file_name not in raw:
            continue
        try:
            data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("region"), dict):
            continue
        if not any(isinstance(s, dict) and s.get("file") == file_name for s in data.get("sources") or []):
            continue
        levels = sorted((k for k, v in data["region"].items() if isinstance(v, dict) and k in DEPTH), key=DEPTH.get)
        if levels:
            actor = data.get("actor")
            name = str(actor.get("name") or "") if isinstance(actor, dict) else ""
            placed.setdefault(str(data["region"][levels[-1]].get("code")), []).append(
                (str(data.get("id") or path.stem), name)
            )
    return ids, placed


def _recorded(d: Draft, drafts: list[Draft], placed: dict[str, list[tuple[str, str]]], taken: set[str]) -> str | None:
    """The id of a record that already holds ``d``: one at the same place citing the same file — for a
    practice drafted on an enterprise (``practice.unit``), one whose actor is that enterprise; for the
    place's own practice, one whose actor is none of the enterprises drafted there."""
    forms = gazetteer().forms

    def same(unit: str, actor: str) -> bool:  # 货拉拉 ~ 深圳依时货拉拉科技有限公司; 深圳市 is a place, not a unit
        return bool(actor) and (unit in actor or (actor in unit and actor not in forms))

    units = [x.practice.unit for x in drafts if x.place.code == d.place.code and x.practice.unit]
    for rid, actor in placed.get(d.place.code, []):
        if rid in taken:
            continue
        unit = d.practice.unit
        if (unit is not None and same(unit, actor)) or (unit is None and not any(same(u, actor) for u in units)):
            return rid
    return None


def render(d: Draft, case_id: str, file_name: str, key: str, added: str, folder: Path) -> tuple[str, int]:
    """The draft's YAML text and the number of confirm entries."""
    confirm: list[str] = []
    first_line, last_line = d.lines
    place_mention = next(((b, m) for b, m in d.practice.mentions if m.unit == d.place), None)
    place_line = place_mention[0].line_at(place_mention[1].start) if place_mention else first_line
    confirm.append(f"region：{d.place.name}（{d.place.code}，原文第{place_line}行）")
    if d.actor:
        confirm.append(f"actor：{d.actor.name}（原文第{d.actor.line}行）")
    model = d.names[0] if d.names and d.names[0].how in ("heading", "frame", "numbered", "named", "quoted") else None
    if model:
        confirm.append(f"model.name：{model.text}（原文第{model.line}行，印出的名称）")
    measures = []
    topic0 = d.topics[0] if d.topics else ""
    for n in d.names:
        if n is model or len(measures) >= MAX_MEASURES:
            continue
        measures.append({"name": _json(n.text), "topic": topic0})
        confirm.append(f"measures[{len(measures) - 1}].name：{n.text}（原文第{n.line}行）")
    if not measures:
        measures.append({"name": None, "topic": topic0})
    if topic0:
        confirm.append(f"measures[*].topic：都先写了 {topic0}，请逐条改定")
    numbers = []
    for i, f in enumerate(d.figures):
        fields: list[tuple[str, str]] = []
        if f.reading is not None:
            fields += _amount(f.reading)
        fields.append(("unit", _json(f.unit)))
        if not f.unit_printed:
            fields.append(("unit_printed", "false"))
        fields.append(("printed", _json(f.printed)))
        if f.before and f.after:
            fields.append(("before", _inline([*_amount(f.before[1]), ("printed", _json(f.before[0]))])))
            fields.append(("after", _inline([*_amount(f.after[1]), ("printed", _json(f.after[0]))])))
        if f.date:
            fields.append(("date", _json(f.date)))
            if f.date_inferred:
                fields.append(("inferred", "[date]"))
        numbers.append(
            {
                "line": f.line,
                "sentence": _comment(f.sentence),
                "subject": _json(f.subject) if f.subject else "",
                "fields": fields,
            }
        )
        confirm.append(f"numbers[{i}]：{f.printed}（原文第{f.line}行；subject 请改写）")
    for i, q in enumerate(d.quotes):
        confirm.append(f"quotes[{i}]：说话人“{q.speaker}”（原文第{q.line}行）")
    if d.groups:
        confirm.append("groups：按词表关键词建议")
    if d.topics:
        confirm.append("topics：按词表关键词建议")
    if d.theme:
        confirm.append("theme：按词表关键词建议")
    s = d.source
    confirm.append("sources[0]：标题、署名、日期、版面信息")
    confirm += s.confirm
    if s.date:
        confirm.append("period.reported：与出处日期相同" + ("（推断）" if "date" in s.inferred else ""))
    skipped = "；".join(f"{x.text}（{x.reason}，第{x.line}行）" for x in d.skipped)
    editor_notes = f"casebook draft 起草（{dt.date.today().isoformat()}）。"
    if skipped:
        editor_notes += f"没有录入的数字：{skipped}。"
    others = [n.text for n in d.names if n is not model][MAX_MEASURES:]
    text = _template().render(
        schema=os.path.relpath(SCHEMA, folder.resolve()).replace(os.sep, "/"),
        file=_comment(file_name),
        first_line=first_line,
        last_line=last_line,
        place_name=d.place.name,
        id=case_id,
        added=added,
        confirm=[_json(c) for c in confirm],
        model_name=_json(model.text) if model else None,
        other_names=_comment("、".join(others)) if others else "",
        theme=d.theme or "",
        place_line=place_line,
        place_text=_comment(place_mention[1].text if place_mention else d.place.name),
        place_level=_LEVEL_ZH[d.place.level],
        region=[(u.level, {"name": _json(u.name), "code": u.code}) for u in d.chain],
        actor=d.actor,
        actor_name=_json(d.actor.name) if d.actor else "",
        groups="[" + ", ".join(d.groups) + "]" if d.groups else "",
        topics="[" + ", ".join(d.topics) + "]" if d.topics else "",
        measures=measures,
        numbers=numbers,
        quotes=[{"line": q.line, "text": _json(q.text), "speaker": _json(q.speaker)} for q in d.quotes],
        reported=_json(s.date) if s.date else "",
        reported_inferred=bool(s.date and "date" in s.inferred),
        key=key,
        source=s,
        publication=_json(s.publication) if s.publication else "null",
        issuer=_json(s.issuer) if s.issuer else "",
        title=_json(s.title) if s.title else "",
        author=_json(s.author) if s.author else "",
        date=_json(s.date) if s.date else "",
        issue=_json(s.issue) if s.issue else "",
        column=_json(s.column) if s.column else "",
        file_json=_json(file_name),
        source_notes=_json("；".join(s.notes)) if s.notes else "",
        notes=_json("；".join(d.notes)) if d.notes else "",
        editor_notes=_json(editor_notes),
    )
    return text, len(confirm)


def write_drafts(
    drafts: list[Draft],
    file_name: str,
    cases_dir: Path,
    *,
    key: str = "s1",
    added: str | None = None,
    dry_run: bool = False,
) -> list[Written]:
    """Write each draft under ``cases_dir/<province>/``; never overwrite, never draft a recorded practice."""
    added = added or dt.date.today().isoformat()
    ids, placed = _existing(cases_dir, file_name)
    out: list[Written] = []
    taken: set[str] = set()
    for d in drafts:
        recorded = _recorded(d, drafts, placed, taken)
        if recorded is not None:
            taken.add(recorded)
            out.append(Written(None, d, recorded, already=recorded))
            continue
        base = f"{key}-{d.place.code}".lower().replace("_", "-")
        case_id, n = base, 2
        while case_id in ids:
            case_id, n = f"{base}-{n}", n + 1
        if not id_pattern().fullmatch(case_id):
            raise ValueError(f"起草出的 id “{case_id}” 不合格式（请换一个 --source-key）")
        ids.add(case_id)
        term = province_by_code(d.chain[0].code)
        folder = cases_dir / (term.slug if term else "unknown")
        path = folder / f"{case_id}.yaml"
        text, count = render(d, case_id, file_name, key, added, folder)
        if not dry_run:
            folder.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite
                fh.write(text)
        out.append(Written(path, d, case_id, confirm=count))
    return out


__all__ = ["Written", "id_pattern", "render", "write_drafts", "words"]
