"""The drafter measured against the gold records (tests/gold/cases) of the four sources.

Per source: practices recorded vs found with the right place code (a gold record is found when a
draft has exactly its deepest region code; one draft answers one record), figures drafted exactly
right (printed, value or low/high, unit and qualifier, before/after alike; matched one to one),
printed model names found (``model.name`` only; an editor's ``label`` does not count; compared without
quotation marks, in the draft's model.name or measures names), and false figures (drafted, with a
printed wording no gold figure of the source has).

Leave-one-source-out: the rules written while looking at one source (:data:`RULES_FROM`) are switched
off when that source is drafted, so its figures show what the rules made for the other sources do.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..verify import norm
from .drafts import Draft, draft_text
from .rules import without
from .text import read_article
from .write import MAX_MEASURES

#: Rules added while looking at one source (by the first three characters of its file name).
RULES_FROM: dict[str, set[str]] = {
    "000": {"drill", "lede-merge", "province-short-half", "before-retry"},
    "001": {"enumeration", "role-opener", "name-frames"},
    "002": {"continuers", "implied-units", "byline-weight", "er-half", "unit-openers", "shared-name-lede"},
    "004": {"verb-pair"},
}
THRESHOLDS = {"figures_right": 0.9, "practices_found": 0.9, "names_found": 0.8, "false_figures": 0.2}


@dataclass
class Score:
    source: str
    practices_recorded: int = 0
    practices_found: int = 0
    drafts: int = 0
    figures_recorded: int = 0
    figures_right: int = 0
    figures_printed: int = 0  # printed wording found, whatever the reading
    figures_drafted: int = 0
    false_figures: int = 0
    names_recorded: int = 0
    names_found: int = 0
    titles_right: int = 0  # gold records whose draft cites exactly their source title
    titles_wrong: int = 0  # drafts citing a title that is not their record's (or, unmatched, no record's)
    fields: dict[str, Counter[str]] = field(default_factory=dict)  # source field → right/form/wrong/empty
    wrong_fields: list[str] = field(default_factory=list)
    missed_practices: list[str] = field(default_factory=list)
    missed_figures: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    missed_names: list[str] = field(default_factory=list)

    def __add__(self, other: Score) -> Score:
        out = Score(f"{self.source}+{other.source}")
        for f in ("practices_recorded", "practices_found", "drafts", "figures_recorded", "figures_right",
                  "figures_printed", "figures_drafted", "false_figures", "names_recorded", "names_found",
                  "titles_right", "titles_wrong"):  # fmt: skip
            setattr(out, f, getattr(self, f) + getattr(other, f))
        for k in set(self.fields) | set(other.fields):
            out.fields[k] = self.fields.get(k, Counter()) + other.fields.get(k, Counter())
        return out

    def rates(self) -> dict[str, float]:
        def r(a: int, b: int) -> float:
            return a / b if b else 1.0

        return {
            "practices_found": r(self.practices_found, self.practices_recorded),
            "figures_right": r(self.figures_right, self.figures_recorded),
            "names_found": r(self.names_found, self.names_recorded),
            "titles_right": r(self.titles_right, self.practices_recorded),
            "false_figures": self.false_figures / self.figures_drafted if self.figures_drafted else 0.0,
        }


def _amount_key(a: dict) -> tuple:
    return (a.get("value"), a.get("low"), a.get("high"), a.get("qualifier", "exact"))


def _gold_key(n: dict) -> tuple:
    sides = tuple(
        _amount_key(n[s]) + (norm(n[s]["printed"]),) for s in ("before", "after") if isinstance(n.get(s), dict)
    )
    return (norm(n["printed"]), n["unit"], *(_amount_key(n) if not sides else ()), sides)


def _reading_key(r) -> tuple:
    return (r.value, r.low, r.high, r.qualifier)


def _draft_key(f) -> tuple:
    if f.reading is None:
        sides = tuple(_reading_key(r) + (norm(p),) for p, r in (f.before, f.after))
        return (norm(f.printed), f.unit, sides)
    return (norm(f.printed), f.unit, *_reading_key(f.reading), ())


def _bare(name: str) -> str:
    return re.sub(r"[“”‘’\"']", "", norm(name))


def _deepest(region: dict) -> str:
    levels = [lv for lv in ("province", "city", "county", "town", "village") if isinstance(region.get(lv), dict)]
    return str(region[levels[-1]]["code"])


def gold_records(gold_dir: Path) -> list[dict]:
    out = []
    for p in sorted(gold_dir.rglob("*.yaml")):
        out.append(yaml.load(p.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    return out


def drafted_names(d: Draft) -> list[str]:
    """The names a draft writes into model.name and measures (as :func:`write.render` does)."""
    return [n.text for n in d.names[: MAX_MEASURES + 1]]


def score_source(path: Path, gold: list[dict], *, loso: bool = False) -> Score:
    """Draft ``path`` and compare with the gold records citing it."""
    recs = [g for g in gold if any(isinstance(s, dict) and s.get("file") == path.name for s in g.get("sources", []))]
    off = RULES_FROM.get(path.name[:3], set()) if loso else set()
    with without(off):
        drafts = draft_text(read_article(path))
    s = Score(path.name[:3], practices_recorded=len(recs), drafts=len(drafts))
    free = list(drafts)
    pairs: list[tuple[dict, Draft]] = []
    for g in recs:
        code = _deepest(g["region"])
        same = [d for d in free if d.place.code == code]  # among drafts at one place, the one citing its title
        src = next((x for x in g.get("sources", []) if isinstance(x, dict) and x.get("file") == path.name), {})
        d = next((d for d in same if d.source.title == src.get("title")), same[0] if same else None)
        if d is not None:
            free.remove(d)
            pairs.append((g, d))
            s.practices_found += 1
        else:
            s.missed_practices.append(f"{g['id']}（{code}）")
    _score_sources(s, pairs, free, recs)
    gold_figs = Counter(_gold_key(n) for g in recs for n in g.get("numbers", []))
    gold_printed = Counter(norm(n["printed"]) for g in recs for n in g.get("numbers", []))
    drafted = [f for d in drafts for f in d.figures]
    s.figures_recorded = sum(gold_figs.values())
    s.figures_drafted = len(drafted)
    got = Counter(_draft_key(f) for f in drafted)
    s.figures_right = sum((gold_figs & got).values())
    s.missed_figures = [k[0] for k in (gold_figs - got).elements()]
    printed = Counter(norm(f.printed) for f in drafted)
    s.figures_printed = sum((gold_printed & printed).values())
    s.false = list((printed - gold_printed).elements())
    s.false_figures = len(s.false)
    names = {_bare(n) for d in drafts for n in drafted_names(d)}
    for g in recs:
        name = (g.get("model") or {}).get("name")
        if name:
            s.names_recorded += 1
            if _bare(name) in names:
                s.names_found += 1
            else:
                s.missed_names.append(name)
    return s


#: The source fields compared with the gold records (the drafter fills each only where printed).
SOURCE_FIELDS = ("title", "author", "column", "date", "issue", "issuer", "publication")


def _same_words(a: str, b: str) -> bool:
    """The same printed words in another form (孙 靓 / 孙靓; 单位 姓名 / 姓名（单位）)."""

    def bag(x: str) -> list[str]:
        return sorted(re.sub(r"[\s（）()、，,；;：:]", "", x))

    return bag(a) == bag(b)


def field_verdict(drafted: str | None, gold: str | None) -> str:
    """``right`` (equal; both empty counts), ``form`` (same words, another form), ``wrong`` (drafted, but
    not what the record cites), ``empty`` (left for the editor where the record has a value)."""
    d = drafted.strip() if isinstance(drafted, str) else drafted
    g = gold.strip() if isinstance(gold, str) else gold
    if d == g:
        return "right"
    if d is None:
        return "empty"
    if g is not None and _same_words(d, str(g)):
        return "form"
    return "wrong"


def _score_sources(s: Score, pairs: list[tuple[dict, Draft]], unmatched: list[Draft], recs: list[dict]) -> None:
    """Compare every drafted source field with its gold record's (see :func:`field_verdict`)."""
    for g, d in pairs:
        src = next(x for x in g["sources"] if isinstance(x, dict) and x.get("file"))
        for f in SOURCE_FIELDS:
            verdict = field_verdict(getattr(d.source, f), src.get(f))
            s.fields.setdefault(f, Counter())[verdict] += 1
            if verdict == "wrong":
                s.wrong_fields.append(f"{g['id']} {f}: {getattr(d.source, f)} ≠ {src.get(f)}")
        verdict = field_verdict(d.source.title, src.get("title"))
        s.titles_right += verdict == "right"
        s.titles_wrong += verdict == "wrong"
    titles = {x.get("title") for g in recs for x in g["sources"] if isinstance(x, dict)}
    s.titles_wrong += sum(1 for d in unmatched if d.source.title is not None and d.source.title not in titles)


def evaluate(sources_dir: Path, gold_dir: Path) -> dict[str, dict[str, Score]]:
    """{"all": {source: score}, "loso": {source: score}} over the sources that have gold records."""
    gold = gold_records(gold_dir)
    files = sorted({s["file"] for g in gold for s in g.get("sources", []) if isinstance(s, dict) and s.get("file")})
    out: dict[str, dict[str, Score]] = {"all": {}, "loso": {}}
    for name in files:
        path = sources_dir / name
        if not path.is_file():
            continue
        out["all"][name[:3]] = score_source(path, gold)
        out["loso"][name[:3]] = score_source(path, gold, loso=True)
    return out


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def table(result: dict[str, dict[str, Score]]) -> str:
    """The evaluation as a Markdown table (what docs-notes/draft.md shows)."""
    rows = [
        "| source | rules | practices found / recorded (drafts) | figures exactly right / recorded | "
        "printed names found / recorded | false figures / drafted | source titles right / recorded (wrong) |",
        "|---|---|---|---|---|---|---|",
    ]
    for mode, label in (("all", "all"), ("loso", "leave-one-out")):
        scores = result[mode]
        total = None
        for key, s in scores.items():
            total = s if total is None else total + s
            r = s.rates()
            rows.append(
                f"| {key} | {label} | {s.practices_found}/{s.practices_recorded} ({s.drafts}) {_pct(r['practices_found'])} | "
                f"{s.figures_right}/{s.figures_recorded} {_pct(r['figures_right'])} | "
                f"{s.names_found}/{s.names_recorded} {_pct(r['names_found'])} | "
                f"{s.false_figures}/{s.figures_drafted} {_pct(r['false_figures'])} | "
                f"{s.titles_right}/{s.practices_recorded} {_pct(r['titles_right'])} ({s.titles_wrong} wrong) |"
            )
        if total is not None:
            r = total.rates()
            rows.append(
                f"| **total** | {label} | {total.practices_found}/{total.practices_recorded} ({total.drafts}) "
                f"{_pct(r['practices_found'])} | {total.figures_right}/{total.figures_recorded} {_pct(r['figures_right'])} | "
                f"{total.names_found}/{total.names_recorded} {_pct(r['names_found'])} | "
                f"{total.false_figures}/{total.figures_drafted} {_pct(r['false_figures'])} | "
                f"{total.titles_right}/{total.practices_recorded} {_pct(r['titles_right'])} ({total.titles_wrong} wrong) |"
            )
    return "\n".join(rows)


def fields_table(result: dict[str, dict[str, Score]]) -> str:
    """Every drafted source field against its gold record (all rules on): per source and field, right /
    same words in another form / wrong / left empty where the record has a value."""
    rows = ["| source | " + " | ".join(SOURCE_FIELDS) + " |", "|---|" + "---|" * len(SOURCE_FIELDS)]
    scores = result["all"]
    total = None
    for s in scores.values():
        total = s if total is None else total + s
    for key, s in [*scores.items(), *((("**total**", total),) if total is not None else ())]:
        cells = []
        for f in SOURCE_FIELDS:
            c = s.fields.get(f, Counter())
            cells.append(f"{c['right']}/{c['form']}/{c['wrong']}/{c['empty']}")
        rows.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def misses(result: dict[str, dict[str, Score]]) -> str:
    """What each source missed (all rules on): practices, figures, names, false figures."""
    out = []
    for key, s in result["all"].items():
        out.append(
            f"- **{key}**: practices missed: {'、'.join(s.missed_practices) or '—'}; figures not exactly right: "
            f"{'、'.join(s.missed_figures) or '—'}; names missed: {'、'.join(s.missed_names) or '—'}; "
            f"false figures: {'、'.join(s.false) or '—'}; source fields wrong: {'；'.join(s.wrong_fields) or '—'}"
        )
    return "\n".join(out)


def strip_confirm(text: str) -> str:
    """``text`` without its ``status: draft`` line and its ``confirm:`` list; nothing else changed."""
    lines = text.split("\n")
    out: list[str] = []
    in_confirm = False
    for line in lines:
        if in_confirm:
            if line.startswith("  - ") or line.startswith("  -\t"):
                continue
            in_confirm = False
        if line == "status: draft":
            continue
        if line == "confirm:":
            in_confirm = True
            continue
        out.append(line)
    return "\n".join(out)


def leftovers(sources_dir: Path, work: Path) -> dict[str, list[str]]:
    """Draft every source into ``work``, strip each draft's marks, check it: file → the checker's errors."""
    from ..check import check_paths
    from ..problems import errors
    from .write import write_drafts

    out: dict[str, list[str]] = {}
    for path in sorted(sources_dir.glob("*.txt")):
        written = write_drafts(draft_text(read_article(path)), path.name, work, key="e" + path.name[:3])
        for w in written:
            if w.path is None:
                continue
            w.path.write_text(strip_confirm(w.path.read_text(encoding="utf-8")), encoding="utf-8")
    _, problems = check_paths([work], context=work)
    for p in errors(problems):
        out.setdefault(Path(p.path).name, []).append(p.message)
    return out


def leftover_kinds(found: dict[str, list[str]]) -> Counter[str]:
    """How many files are left with each kind of error (by the field the message names)."""
    kinds: Counter[str] = Counter()
    for messages in found.values():
        seen = set()
        for m in messages:
            field = re.sub(r" 第\d+项", "[]", m.split(" ")[0])
            if " 第" in m.split("还没有填写")[0] and field == "measures":
                field = "measures[] " + m.split(" ")[2]
            seen.add(field if "还没有填写" in m or "不能是空的" in m else f"其他：{m}")
        kinds.update(seen)
    return kinds


def _empty_field(message: str) -> str | None:
    """``measures 第1项 text 还没有填写`` → ``measures[].text``; None for any other message."""
    for mark in ("还没有填写", "不能是空的"):
        if mark in message:
            out: list[str] = []
            for part in message.split(mark)[0].split():
                if re.fullmatch(r"第\d+项", part) and out:
                    out[-1] += "[]"
                else:
                    out.append(part)
            return ".".join(out)
    return None


def leftovers_table(found: dict[str, list[str]]) -> str:
    """The leftovers as docs-notes/draft.md shows them: per draft, the errors left and the fields left
    empty; then how many drafts are left with each empty field."""
    rows = ["| draft | errors left | fields left empty (all “还没有填写”) |", "|---|---|---|"]
    others = 0
    per_field: Counter[str] = Counter()
    for name in sorted(found):
        fields: Counter[str] = Counter()
        for m in found[name]:
            f = _empty_field(m)
            if f is None:
                others += 1
                fields[f"其他：{m}"] += 1
            else:
                fields[f] += 1
        per_field.update(set(fields))
        cells = "、".join(f + (f" ×{n}" if n > 1 else "") for f, n in sorted(fields.items()))
        rows.append(f"| {name} | {len(found[name])} | {cells} |")
    summary = "、".join(f"{f} {n}" for f, n in sorted(per_field.items(), key=lambda x: (-x[1], x[0])))
    rows += [
        "",
        f"{len(found)} drafts; errors other than an empty field: {others}. Drafts left with each empty field: {summary}",
    ]
    return "\n".join(rows)
