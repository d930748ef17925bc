"""Reproduce the draw of the PolNeAR dev pronoun-source gold (polnear_pronouns_dev.jsonl).

Rule: dev texts sorted by name, shuffled with random.Random(1618); for each text only the first
annotator file (sorted file names `NAME_*.ann`) is read; every attribution whose Content lies in
quotation marks (see `is_direct`) and whose Source span is exactly a personal pronoun (PRONOUNS)
is taken, text by text in the shuffled order, until at least 80 are taken (the last text is taken
whole). Plain Python; prints the draw. `--items` prints each item with a window of context for
the annotator (not stored).
"""
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "polnear" / "dev"
SEED = 1618
TARGET = 80
PRONOUNS = {"he", "she", "they", "we", "i", "it", "you", "him", "her", "them", "us", "me"}
OPEN, CLOSE = '"\u201c', '"\u201d'


def read_ann(path):
    spans, events = {}, []
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if parts[0].startswith("T"):
            label, _, offs = parts[1].partition(" ")
            frags = [tuple(map(int, f.split())) for f in offs.split(";")]
            spans[parts[0]] = (label, frags)
        elif parts[0].startswith("E"):
            events.append(dict(a.split(":") for a in parts[1].split()))
    return spans, events


def is_direct(text, frags):
    """Content lies in quotation marks: one fragment (or several, each quoted) whose stripped
    text opens with (or follows) an opening mark and closes with (or precedes) a closing mark,
    with no mark inside except at paragraph breaks (a quotation continued over paragraphs)."""
    for s, e in frags:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            return False
        if text[s] in OPEN:
            s += 1
        elif not (s > 0 and text[s - 1] in OPEN):
            return False
        if text[e - 1] in CLOSE:
            e -= 1
        elif not (e < len(text) and text[e] in CLOSE):
            return False
        inner = text[s:e]
        for m in re.finditer('["\u201c\u201d]', inner):
            before = inner[:m.start()].rstrip(" ")
            after = inner[m.end():].lstrip(" ")
            if not (before.endswith("\n") or after.startswith("\n") or before == "" or after == ""):
                return False
    return True


def items():
    texts = sorted(p.name for p in (ROOT / "text").glob("*.txt"))
    random.Random(SEED).shuffle(texts)
    taken = []
    for name in texts:
        stem = name[:-4]
        anns = sorted(p.name for p in (ROOT / "attributions").glob(stem + "_*.ann"))
        if not anns:
            continue
        text = open(ROOT / "text" / name, encoding="utf-8").read()
        spans, events = read_ann(ROOT / "attributions" / anns[0])
        found = []
        for ev in events:
            if "Source" not in ev or "Content" not in ev:
                continue
            _, sfr = spans[ev["Source"]]
            _, cfr = spans[ev["Content"]]
            if len(sfr) != 1:
                continue
            ss, se = sfr[0]
            pron = text[ss:se].strip()
            if pron.lower() not in PRONOUNS or not is_direct(text, cfr):
                continue
            found.append({"file": name, "ann": anns[0], "source_start": ss, "source_end": se,
                          "content_start": cfr[0][0], "content_end": cfr[-1][1], "pronoun": pron})
        found.sort(key=lambda r: r["source_start"])
        yield name, anns[0], found, text
        taken.extend(found)
        if len(taken) >= TARGET:
            return


if __name__ == "__main__":
    n = 0
    for name, ann, found, text in items():
        n += len(found)
        print(f"{name}  {ann}  {len(found)}  (total {n})")
        if "--items" in sys.argv:
            for r in found:
                print("   ", r["source_start"], r["pronoun"], "|",
                      text[max(0, r["content_start"] - 60):r["content_end"] + 40].replace("\n", " / "))
