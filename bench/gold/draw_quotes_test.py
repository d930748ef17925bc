"""Reproduce the draw of the frozen quote test set, part A (AEB gold bodies).

Rule: AEB items whose articleBody is English (at least 8 % of its tokens are among ten
common English function words), 250-2,500 words (whitespace tokens), with at least 6
quotation marks (count of '"', U+201C and U+201D); sorted by id; shuffled with
random.Random(1616). Documents are taken in that order, at most 2 per URL domain (a leading
"www." dropped), until at least 22 documents and 160 quote spans are annotated. A drawn
document is skipped only if it is not a news/feature article (the skip and its reason are
recorded in bench/gold/README.md).

Prints the drawn order: rank, id, domain, words, quotation marks, and whether the per-domain
cap excludes it. With --check, validates bench/gold/quotes_test_aeb.jsonl against the bodies
instead: each span lies between quotation marks, quotes carry a speaker and other kinds none,
and every double quotation mark of an annotated document borders or lies inside a span.
Plain Python only; no Parallax code is imported.
"""
import json
import random
import re
import sys
from collections import Counter
from urllib.parse import urlparse

GT = "../shared/data/aeb-scrapinghub/ground-truth.json"
ENGLISH = {"the", "and", "of", "to", "a", "in", "is", "that", "for", "it"}


def is_english(body):
    toks = re.findall(r"[A-Za-z]+", body.lower())
    return bool(toks) and sum(t in ENGLISH for t in toks) / len(toks) >= 0.08


def domain(url):
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def eligible(gt):
    out = []
    for key in sorted(gt):
        body = gt[key]["articleBody"]
        words = len(body.split())
        marks = sum(body.count(c) for c in '"\u201c\u201d')
        if is_english(body) and 250 <= words <= 2500 and marks >= 6:
            out.append((key, domain(gt[key]["url"]), words, marks))
    return out


def draw(gt):
    items = eligible(gt)
    random.Random(1616).shuffle(items)
    return items


def main(path=GT):
    gt = json.load(open(path, encoding="utf-8"))
    per_domain = Counter()
    items = draw(gt)
    print(f"# {len(items)} eligible of {len(gt)}")
    for rank, (key, dom, words, marks) in enumerate(items):
        per_domain[dom] += 1
        cap = "" if per_domain[dom] <= 2 else "  (domain cap: excluded)"
        print(f"{rank:3d} {key} {dom:28s} {words:5d} w {marks:3d} marks{cap}")


OPEN = "\"'\u201c\u201d\u2018"
CLOSE = "\"'\u201d\u2019"
KINDS = {"quote", "scare", "title", "nickname", "term", "other"}
TYPES = {"name", "role", "pronoun_resolved", "organisation", "unnamed"}


def _borders(body, i, marks, step):
    """The character next to offset i (one space allowed) is a quotation mark."""
    j = i if step > 0 else i - 1
    if 0 <= j < len(body) and body[j] == " ":
        j += step
    return 0 <= j < len(body) and body[j] in marks


def check(gold="bench/gold/quotes_test_aeb.jsonl", path=GT):
    gt = json.load(open(path, encoding="utf-8"))
    recs = [json.loads(line) for line in open(gold, encoding="utf-8")]
    problems = []
    for r in recs:
        body = gt[r["doc"][4:]]["articleBody"]
        ok = (0 <= r["start"] < r["end"] <= len(body) and r["kind"] in KINDS
              and _borders(body, r["start"], OPEN, -1) and _borders(body, r["end"], CLOSE, 1))
        if r["kind"] == "quote":
            ok = ok and bool(r["speaker"]) and r["speaker_type"] in TYPES
        else:
            ok = ok and r["speaker"] is None and r["speaker_type"] is None
        if not ok:
            problems.append(f"bad record {r}")
    for doc in dict.fromkeys(r["doc"] for r in recs):
        body = gt[doc[4:]]["articleBody"]
        spans = [(r["start"], r["end"]) for r in recs if r["doc"] == doc]
        for i, c in enumerate(body):
            if c in '"\u201c\u201d' and not any(
                    s - 2 <= i <= e or (i > e and not body[e:i].strip()) for s, e in spans):
                problems.append(f"{doc[:16]} mark at {i} outside every span")
    print("\n".join(problems) or f"ok: {len(recs)} spans")
    return not problems


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check"]:
        sys.exit(0 if check(*sys.argv[2:]) else 1)
    main(*sys.argv[1:])
