"""Quote speakers on PolNeAR (political news attribution relations, 2016): text no rule was written against.

Which attributions count. A *direct quotation* is an attribution whose Content lies in quotation
marks: its first non-space character is an opening mark (or the character just before it is one),
and its last non-space character, or the first character after it past closing punctuation, is a
closing mark. Attributions with a discontinuous Content (``;`` in the offsets), with no Source or
with a Source inside the Content are left out. Where two annotators' files exist for one text, the
first in name order is used.

What is scored.
- *Quote recall*: the share of direct quotations that an extracted quote overlaps.
- *Speaker accuracy, name and noun-phrase sources*: of the direct quotations an extracted quote
  overlaps (the quote with the largest overlap) whose Source is not a pronoun, the share whose
  extracted speaker *matches* the Source span. Matching (``source_match``) is by head word: both
  sides are lower-cased and cut into words (possessive ``'s`` and punctuation dropped); a side's
  *heads* are the last word of each comma-separated part of it, each part first cut before its
  first preposition (``of``, ``for``, ``at``...) so that "a spokesman for Trump" heads on
  "spokesman"; the speaker matches when one of its heads is among the Source's heads ("Trump
  campaign manager Kellyanne Conway" and "Conway"; "Donald Trump" and "Trump"; not "a spokesman
  for Trump" and "Donald Trump"). No speaker is a miss. A description the article resolves to a
  name ("the president" said by Barack Obama) counts as a miss here: the strict figure.
- *By source kind* (``--by-kind``, development): each name or noun-phrase Source gets a kind
  (``source_kind``): ``organisation`` (an organisation mention of the entity model covers its
  head, and no person does, or its head is a word of an organisation such as "ministry",
  "campaign"), ``name`` (a person mention or a capitalised word other than a title at its head),
  ``unnamed`` (a plural or generic description: "officials", "sources", "protesters") or ``role``
  (a singular description: "the mayor", "a spokesman", "my father"). A rough rule, for finding
  where errors lie, not a gold label.
- *Pronoun sources* (he, she, they, I, we, ...): PolNeAR does not resolve them. Where the small
  hand gold ``bench/gold/polnear_pronouns_dev.jsonl`` gives the person a pronoun Source refers to,
  the speaker is scored against that name with the same matching; otherwise these quotations are
  only counted.

The test split is used once per design, as the corpus' authors ask: it is the default (``make eval``
records and gates it); development runs pass ``--split dev``.

Run: ``.venv/bin/python bench/eval_polnear.py [--split test|dev|train] [--limit N] [--show N] [--by-kind]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import ROOT, check_floors, require_data, write_result

COMMAND = ".venv/bin/python bench/eval_polnear.py"
PRONOUN_GOLD = ROOT / "bench" / "gold" / "polnear_pronouns_dev.jsonl"
OPENERS = frozenset("“\"‘'«„")
CLOSERS = frozenset("”\"’'»“")
PRONOUNS = frozenset(
    ["he", "she", "they", "i", "we", "it", "you", "him", "her", "them", "us", "me", "his", "hers", "their", "its", "our", "my", "your", "who", "this", "that", "these", "those", "himself", "herself", "themselves", "itself"]
)
_PREPOSITIONS = frozenset({"of", "for", "at", "with", "from", "in", "to", "on", "who", "which", "that"})
_WORD = re.compile(r"[\w-]+")


@dataclass(frozen=True, slots=True)
class Attribution:
    doc: str
    source: str
    source_start: int
    source_end: int
    start: int  # content
    end: int


def read_ann(path: Path) -> list[Attribution]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            kind, _, offsets = parts[1].partition(" ")
            ranges = [tuple(int(x) for x in r.split()) for r in offsets.split(";")]
            spans[parts[0]] = (kind, ranges, parts[2])  # type: ignore[arg-type]
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(p.split(":", 1) for p in parts[1].split() if ":" in p))
    out = []
    for e in events:
        content, source = spans.get(e.get("Content", "")), spans.get(e.get("Source", ""))
        if not content or not source or len(content[1]) != 1 or len(source[1]) != 1:
            continue
        (cs, ce), (ss, se) = content[1][0], source[1][0]
        if cs <= ss < ce:
            continue
        out.append(Attribution(path.stem.rsplit("_", 1)[0], source[2], ss, se, cs, ce))
    return out


def is_direct(text: str, a: Attribution) -> bool:
    """The attribution's content lies in quotation marks (see the module docstring)."""
    start, end = a.start, a.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < 2:
        return False
    opens = text[start] in OPENERS or (start > 0 and text[start - 1] in OPENERS)
    j = end
    while j < len(text) and text[j] in ",.;:!?" and j - end < 2:
        j += 1
    closes = text[end - 1] in CLOSERS or (j < len(text) and text[j] in CLOSERS)
    return opens and closes


def is_pronoun(source: str) -> bool:
    words = _WORD.findall(source.lower())
    return bool(words) and all(w in PRONOUNS for w in words)


def _words(text: str) -> list[str]:
    return [w.removesuffix("’s").removesuffix("'s") for w in _WORD.findall(text.lower().replace("’s", "").replace("'s", ""))]


def heads(text: str) -> list[str]:
    out = []
    for part in re.split(r"[,;()—–]", text):
        words = _words(part)
        cut = next((k for k, w in enumerate(words) if k and w in _PREPOSITIONS), len(words))
        if words[:cut]:
            out.append(words[:cut][-1])
    return out


_ORG_HEADS = frozenset(
    "agency agencies administration association bureau campaign campaigns committee commission company council court "
    "department embassy foundation government group institute ministry network newspaper office organization "
    "organisation party paper police magazine union university website network team board center centre".split()
)
_CAPITAL_TITLES = frozenset("mr mrs ms dr sen rep gov president senator governor mayor secretary gen del".split())


def source_kind(text: str, a: Attribution, mentions: list) -> str:
    """``name``, ``organisation``, ``role`` or ``unnamed`` for the Source of ``a`` (see the module
    docstring); ``mentions`` are the entity model's mentions of ``text``."""
    over = [m for m in mentions if m.start < a.source_end and a.source_start < m.end]
    kinds = {m.kind for m in over}
    words = _words(a.source)
    head = (heads(a.source) or [""])[0]
    if "person" in kinds:
        return "name"
    if "organization" in kinds or head in _ORG_HEADS:
        return "organisation"
    raw = [w for w in _WORD.findall(a.source)]
    if any(w[:1].isupper() and w.lower() not in _CAPITAL_TITLES and k for k, w in enumerate(raw)) or (
        raw and raw[0][:1].isupper() and raw[0].lower() not in {"the", "a", "an", "one", "his", "her", "my", "their", "some", "many"}
        and raw[0].lower() not in _CAPITAL_TITLES and len(raw) <= 3 and not head.endswith("s")
    ):
        return "name"
    if head.endswith("s") and not head.endswith("ss") or (words and words[0] in {"some", "many", "several", "people"}):
        return "unnamed"
    return "role"


def source_match(gold: str, got: str | None) -> bool:
    """``got`` (our speaker) names the ``gold`` Source span (see the module docstring)."""
    if not got:
        return False
    return bool(set(heads(gold)) & set(heads(got)))


def load(split: str, limit: int | None) -> tuple[dict[str, str], dict[str, list[Attribution]]]:
    folder = require_data("polnear")
    if folder is None:
        return {}, {}
    texts: dict[str, str] = {}
    attributions: dict[str, list[Attribution]] = {}
    names = sorted(p.stem for p in (folder / split / "text").glob("*.txt"))[:limit]
    anns = sorted((folder / split / "attributions").glob("*.ann"))
    for name in names:
        texts[name] = (folder / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
        first = next((p for p in anns if p.stem.rsplit("_", 1)[0] == name), None)
        if first is None:
            continue
        attributions[name] = [a for a in read_ann(first) if is_direct(texts[name], a)]
    return texts, attributions


def load_pronoun_gold(path: Path = PRONOUN_GOLD) -> dict[str, list[dict]]:
    """The pronoun gold by document: records with ``file`` (or ``doc``), ``source_start``,
    ``content_start``/``content_end`` and ``referent`` (a record whose referent is null, a person
    the article does not name, is left out)."""
    gold: dict[str, list[dict]] = {}
    if not path.exists():
        return gold
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        doc = r.get("doc") or str(r.get("file", "")).removesuffix(".txt")
        if doc and r.get("referent"):
            gold.setdefault(doc, []).append(r)
    return gold


def pronoun_referent(gold: dict[str, list[dict]], doc: str, a: Attribution) -> str | None:
    """The gold referent of attribution ``a``'s pronoun Source: the record with its Source offset, or
    else one whose content overlaps ``a``'s (another annotator's file of the same text)."""
    for r in gold.get(doc, ()):
        if r.get("source_start") == a.source_start:
            return r["referent"]
    for r in gold.get(doc, ()):
        if "content_start" in r and r["content_start"] < a.end and a.start < r["content_end"]:
            return r["referent"]
    return None


def evaluate(
    split: str,
    limit: int | None = None,
    notes: list[str] | None = None,
    pronoun_gold: Path = PRONOUN_GOLD,
    *,
    rank: bool = True,
    by_kind: bool = False,
) -> dict[str, float]:
    from parallax.text.entities import extract_entities
    from parallax.text.quotes import extract_quotes

    texts, attributions = load(split, limit)
    pronoun_gold = load_pronoun_gold(pronoun_gold) if split == "dev" else {}
    docs = sorted(attributions)
    mentions = dict(zip(docs, extract_entities([texts[d] for d in docs])))
    c = {k: 0 for k in ("direct", "found", "np", "np_right", "pron", "pron_gold", "pron_right", "pron_named")}
    kind_n: dict[str, int] = {}
    kind_right: dict[str, int] = {}
    for doc in docs:
        text = texts[doc]
        got = extract_quotes(text, mentions[doc], **({} if rank else {"rank": False}))
        for a in attributions[doc]:
            c["direct"] += 1
            best = max(got, key=lambda q: min(q.end, a.end) - max(q.start, a.start), default=None)
            if best is None or min(best.end, a.end) <= max(best.start, a.start):
                if notes is not None:
                    notes.append(f"missed: {doc} {a.start}-{a.end}")
                continue
            c["found"] += 1
            if is_pronoun(a.source):
                c["pron"] += 1
                c["pron_named"] += best.speaker is not None and not is_pronoun(best.speaker)
                name = pronoun_referent(pronoun_gold, doc, a)
                if name is not None:
                    c["pron_gold"] += 1
                    ok = source_match(name, best.speaker)
                    c["pron_right"] += ok
                    if not ok and notes is not None:
                        notes.append(f"pronoun: {doc} {a.start} gold={a.source!r}->{name!r} got={best.speaker!r}")
                continue
            c["np"] += 1
            ok = source_match(a.source, best.speaker)
            c["np_right"] += ok
            kind = source_kind(text, a, mentions[doc]) if by_kind else ""
            if by_kind:
                kind_n[kind] = kind_n.get(kind, 0) + 1
                kind_right[kind] = kind_right.get(kind, 0) + ok
            if not ok and notes is not None:
                notes.append(f"speaker: {doc} {a.start} {kind} gold={a.source!r} got={best.speaker!r}".replace("  ", " "))
    pct = lambda a, b: round(100 * a / b, 2) if b else 0.0
    m: dict[str, float] = {
        "documents": len(docs),
        "direct_quotations": c["direct"],
        "quote_recall": pct(c["found"], c["direct"]),
        "np_sources": c["np"],
        "np_speaker_accuracy": pct(c["np_right"], c["np"]),
        "pronoun_sources": c["pron"],
        "pronoun_named": pct(c["pron_named"], c["pron"]),
    }
    for kind in sorted(kind_n):
        m[f"np_{kind}"] = kind_n[kind]
        m[f"np_{kind}_accuracy"] = pct(kind_right[kind], kind_n[kind])
    if c["pron_gold"]:
        m["pronoun_gold"] = c["pron_gold"]
        m["pronoun_resolved"] = pct(c["pron_right"], c["pron_gold"])
    return {f"{split}_{k}": v for k, v in m.items()}


def markdown(m: dict[str, float], split: str) -> str:
    s = split
    line = (
        f"PolNeAR {s} ({m[f'{s}_documents']} articles, {m[f'{s}_direct_quotations']} direct quotations): quote recall "
        f"{m[f'{s}_quote_recall']} %; speaker accuracy {m[f'{s}_np_speaker_accuracy']} % of {m[f'{s}_np_sources']} "
        f"name or noun-phrase sources; {m[f'{s}_pronoun_sources']} pronoun sources, "
        f"{m[f'{s}_pronoun_named']} % given a named speaker"
    )
    if f"{s}_pronoun_resolved" in m:
        line += f", {m[f'{s}_pronoun_resolved']} % of {m[f'{s}_pronoun_gold']} with hand gold resolved right"
    return "## Quote speakers on PolNeAR\n\n" + line + ".\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--split", choices=("train", "dev", "test"), default="test",
        help="test (the default, for make eval: recorded and gated) or dev / train for development (printed only)",
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (no result written)")
    parser.add_argument("--show", type=int, default=0, help="print this many errors")
    parser.add_argument("--no-ranker", action="store_true", help="the sieves' speakers alone (development)")
    parser.add_argument("--by-kind", action="store_true", help="speaker accuracy by source kind (development; not recorded)")
    parser.add_argument("--pronoun-gold", type=Path, default=PRONOUN_GOLD, help="the pronoun gold of the dev split")
    args = parser.parse_args(argv)
    if require_data("polnear") is None:
        return 0
    notes: list[str] = []
    metrics = evaluate(args.split, args.limit, notes, args.pronoun_gold, rank=not args.no_ranker, by_kind=args.by_kind)
    for line in notes[: args.show]:
        print(line)
    print(json.dumps(metrics, indent=2))
    if args.split != "test" or args.limit or args.no_ranker or args.by_kind:
        return 0  # development figures are printed, not recorded
    write_result("eval_polnear", metrics, markdown(metrics, "test"), command=COMMAND)
    return check_floors("eval_polnear", metrics)


if __name__ == "__main__":
    raise SystemExit(main())
