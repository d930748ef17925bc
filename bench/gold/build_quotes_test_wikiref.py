"""Build quotes_test_wikiref.jsonl and quotes_test_wikiref_docs.jsonl from the annotation sheet.

The sheet (quotes_test_wikiref_sheet.txt) lists, per drawn document, every span between
quotation marks as a number in document order (pairing below) with its kind and speaker; the
numbers come from `pairs`, a plain pairing of quotation marks paragraph by paragraph (an opening
mark left unclosed at the end of a paragraph runs to the paragraph's end; `N-M` in the sheet merges
such pieces into one quotation continued over paragraphs). Every span is printed with 30
characters around it and checked to lie between quotation marks. Plain Python only: no Parallax
code runs on these documents.
"""
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from draw_quotes_test_wikiref import DATA  # noqa: E402

TYPES = {"N": "name", "R": "role", "P": "pronoun_resolved", "O": "organisation", "U": "unnamed"}
KINDS = {"quote", "scare", "title", "nickname", "term", "other", "drop"}
MARKS = '"\u201c\u201d'


def pairs(t):
    out = []
    for para in re.finditer(r"[^\r\n]+", t):
        open_ = None
        for m in re.finditer('["\u201c\u201d]', para.group()):
            pos, ch = para.start() + m.start(), m.group()
            if open_ is None:
                if ch == "\u201d":
                    out.append(("STRAY", pos, pos))
                    continue
                open_ = pos
            else:
                if ch == "\u201c":
                    out.append(("UNCLOSED", open_ + 1, pos))
                    open_ = pos
                    continue
                out.append(("ok", open_ + 1, pos))
                open_ = None
        if open_ is not None:
            out.append(("UNCLOSED", open_ + 1, para.end()))
    return out


def parse_sheet(path):
    docs, cur = {}, None
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("doc "):
            cur = int(line.split()[1])
            docs[cur] = []
            continue
        extra = {}
        if "  " in line.strip():
            line, _, opts = line.strip().partition("  ")
            for opt in opts.split():
                k, _, v = opt.partition("=")
                extra[k] = v
        idx, kind, *rest = line.strip().split(" ", 2)
        assert kind in KINDS, line
        spk = typ = None
        if rest:
            spk, _, t = rest[0].rpartition("|")
            typ = TYPES[t]
        a, _, b = idx.partition("-")
        docs[cur].append((int(a), int(b or a), kind, spk, typ, extra))
    return docs


def build(sheet=HERE / "quotes_test_wikiref_sheet.txt", verbose=True):
    rows = {}
    for line in open(DATA, encoding="utf-8"):
        r = json.loads(line)
        rows[r["id"]] = r
    docs = parse_sheet(sheet)
    records, cards, problems = [], [], []
    for did, items in docs.items():
        t = rows[did]["text"]
        ps = pairs(t)
        covered = set()
        for a, b, kind, spk, typ, extra in items:
            covered.update(range(a, b + 1))
            if kind == "drop":
                continue
            s, e = ps[a][1], ps[b][2]
            if "endafter" in extra:
                e = t.index(extra["endafter"], s) + len(extra["endafter"])
            while s < e and t[s].isspace():
                s += 1
            while e > s and t[e - 1].isspace():
                e -= 1
            if t[s - 1] not in MARKS and not t[s - 1].isspace():
                problems.append((did, a, "no opening mark"))
            rec = {"doc": f"wikiref:{did}", "start": s, "end": e, "kind": kind,
                   "speaker": spk if kind == "quote" else None,
                   "speaker_type": typ if kind == "quote" else None}
            if kind == "quote" and not spk:
                problems.append((did, a, "quote without speaker"))
            records.append(rec)
            if verbose:
                ctx = t[max(0, s - 30):s] + "[[" + t[s:e] + "]]" + t[e:e + 30]
                print(did, a, kind, spk, "|", ctx.replace("\r", "").replace("\n", "\u23ce"))
        missing = set(range(len(ps))) - covered
        if missing:
            problems.append((did, sorted(missing), "spans not annotated"))
        dr = [r for r in records if r["doc"] == f"wikiref:{did}"]
        cards.append({"doc": f"wikiref:{did}", "topic": rows[did]["topic"],
                      "words": len(t.split()),
                      "quotes": sum(r["kind"] == "quote" for r in dr),
                      "other_spans": sum(r["kind"] != "quote" for r in dr)})
    return records, cards, problems


if __name__ == "__main__":
    records, cards, problems = build(verbose="-v" in sys.argv)
    for p in problems:
        print("PROBLEM", p)
    if "--write" in sys.argv:
        with open(HERE / "quotes_test_wikiref.jsonl", "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        with open(HERE / "quotes_test_wikiref_docs.jsonl", "w", encoding="utf-8") as f:
            for c in cards:
                f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(len(cards), "docs", sum(c["quotes"] for c in cards), "quotes",
          sum(c["other_spans"] for c in cards), "other spans")
