"""Claims: who each claim is attributed to, and which sentences of different outlets are one fact.

Every agreed, contested and single-source claim names its actor: the one the sentence reports
("…, police said", "according to the Nuclear Threat Initiative", "Kent Craford, a lobbyist,
said"). ``bench/gold/claim_actors.jsonl`` holds 170 sentences of Multi-News documents (offsets
only; how they were drawn and annotated is in ``bench/gold/README.md``): 100 of the development
part, whose errors were read while the parse-based reading was built, and 70 of the held-out part,
annotated before that reading was run on them and measured once (its figure is recorded in the
README). Each sentence is read in its article as the synthesis reads it (``parallax.synthesis``'s
analysis, then ``claims.actor_of``); sentences whose subject is a pronoun are left out (resolving
"he" needs the article's people, which the gold does not name), and so are sentences past the
first sentences of an article that the synthesis reads.

An actor is right when it names the gold's actor: the same words (case, a leading article or
quantifier and a possessive "'s" aside), one phrase's words inside the other's with the same head
(last) word ("Hospital officials" / "officials"), or a capitalised gold name inside the output
("Dennis" / "Alan R. Dennis"). A gold "none" (no verb of saying governs the sentence) is right
only when no actor is given. Beside it: the regular-expression attribution the claims used before
(``quotes.attribution``), on the same sentences.

Agreed claims join sentences of different outlets whose similarity is at least ``claims.AGREE_SIM``.
``bench/gold/claim_pairs.jsonl`` labels 129 such pairs by hand (same fact or not; how they were drawn is
in the README): 106 drawn across similarity bands, on which the threshold was chosen, and 23 held-out
pairs of the band that choice admitted. Each pair's similarity is recomputed as the synthesis computes it
(MiniLM and TF-IDF); the precision of the pairs joined is reported per part.

Contested claims set an actor's assertion against another actor's denial. Every (claim, dispute) pair the
synthesis gives on the 250 Multi-News clusters (where the rules were chosen) and on the five main topics of
WikiRef220 (each topic one story; held out) is looked up in ``bench/gold/contested_pairs.jsonl``, hand labels
of whether the dispute answers the claim (offsets only; how they were made is in the README). Precision is
over the labelled pairs; a pair no label covers is counted apart, and the lower bound counts it as wrong.

Recall of the contested claims: ``bench/gold/contested_recall.jsonl`` labels every sentence of 120 drawn Multi-News
clusters that a broad cue search finds (deny, reject, dismiss, doubt, question, false, ...): whether it is a
dispute and which sentences of the cluster state what it disputes (how it was made, and its limit, in the README).
For each gold dispute with such a sentence apart from it: is it found (a dispute position of a contested claim),
and paired (that claim's assertions hold one of its gold sentences)? Per part, development clusters (where rules
may be chosen) and held-out clusters, with how many of the disputes lie outside the sentences the synthesis reads.
Beside "paired", "paired or labelled" also counts a dispute whose (claim, dispute) pair is labelled as answering in
``contested_pairs.jsonl`` (the gold's assertion lists are not exhaustive).

The frozen contested-claims test set of issue 17 (``bench/gold/contested_test.jsonl`` and its stories file, made by
reading before any code ran on them; README) is scored the same way (found, paired) by ``--test``, once per design;
the pairs shown on its stories can be written with ``--test-pairs-out`` for labelling.

Run: ``.venv/bin/python bench/eval_claims.py [--show N] [--no-contested] [--contested-out FILE]
[--recall-only] [--recall-part dev|heldout|all] [--recall-pairs-out FILE] [--show-recall N]
[--test [--test-dir DIR] [--test-pairs-out FILE]]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import ROOT, check_floors, require_data, write_result

from parallax.models import Article, Synthesis
from parallax.synthesis import claims
from parallax.synthesis.analysis import StoryText, analyse
from parallax.synthesis.attributed import _speakers, speaker_names
from parallax.synthesis.summary import score_units
from parallax.text.quotes import attribution
from parallax.text.sentences import split_sentences

COMMAND = ".venv/bin/python bench/eval_claims.py"
GOLD = ROOT / "bench" / "gold" / "claim_actors.jsonl"
PAIRS = ROOT / "bench" / "gold" / "claim_pairs.jsonl"
CONTESTED = ROOT / "bench" / "gold" / "contested_pairs.jsonl"
RECALL = ROOT / "bench" / "gold" / "contested_recall.jsonl"
SHOWN_LABELS = ROOT / "bench" / "gold" / "contested_shown_labels.jsonl"
_LEADING = frozenset({"the", "a", "an", "one", "of", "some"})


def words(name: str) -> list[str]:
    """The scoring words of a name: case folded, possessive "'s" and punctuation dropped, leading
    articles and quantifiers skipped."""
    text = re.sub(r"[^\w\s.]", " ", re.sub(r"['’]s\b", "", name.casefold()))
    out = [w.strip(".") for w in text.split()]
    while out and out[0] in _LEADING:
        out = out[1:]
    return [w for w in out if w]


def names_actor(gold: str | None, got: str | None) -> bool:
    """Whether ``got`` names the gold actor (see the module's docstring)."""
    if gold is None or got is None:
        return gold is None and got is None
    g, o = words(gold), words(got)
    if not g or not o:
        return False
    if g == o or g[-1] == o[-1] and (set(g) <= set(o) or set(o) <= set(g)):
        return True
    return gold[:1].isupper() and set(g) <= set(o)


def regex_actor(story: StoryText, i: int, name: Callable[[str | None], str | None]) -> str | None:
    """The actor as the claims read it before the parse: a quote's speaker, else ``attribution``."""
    unit = story.units[i]
    quote = next(
        (q for q in story.quotes[unit.article] if unit.start <= q.start < unit.end and q.speaker), None
    )
    if quote is not None:
        return name(quote.speaker)
    mentions, context = story.mentions[unit.article], story.articles[unit.article].text
    return claims.clean_actor(name(attribution(unit.text, mentions, unit.start, context)))


def evaluate(docs: dict[str, str], gold: list[dict], show: int = 0) -> dict[str, float]:
    counts: dict[str, dict[str, int]] = {}
    shown = 0
    for record in gold:
        part = counts.setdefault(record["part"], {"sentences": 0, "scored": 0, "right": 0, "regex_right": 0,
                                                  "pronoun": 0, "unread": 0})  # fmt: skip
        part["sentences"] += 1
        if record.get("pronoun"):
            part["pronoun"] += 1
            continue
        article = Article.create(source=record["doc"], text=docs[record["doc"]], outlet="outlet")
        story = analyse([article], embeddings=False)
        at = [i for i, u in enumerate(story.units) if u.start <= record["start"] < u.end]
        if not at:
            part["unread"] += 1
            continue
        name = speaker_names(story, _speakers(story))
        got = claims.actor_of(story, at[0], name)
        right = any(names_actor(g, got) for g in record["actors"])
        part["scored"] += 1
        part["right"] += right
        part["regex_right"] += any(names_actor(g, regex_actor(story, at[0], name)) for g in record["actors"])
        if not right and shown < show:
            shown += 1
            print(f"{record['part']} {record['doc']}@{record['start']}: gold {record['actors']} got {got!r}")
    metrics: dict[str, float] = {}
    for part, c in sorted(counts.items()):
        metrics[f"claim_actor_accuracy_{part}"] = (
            round(100 * c["right"] / c["scored"], 2) if c["scored"] else 0.0
        )
        metrics[f"claim_actor_regex_accuracy_{part}"] = (
            round(100 * c["regex_right"] / c["scored"], 2) if c["scored"] else 0.0
        )
        for key in ("sentences", "scored", "pronoun", "unread"):
            metrics[f"claim_actor_{key}_{part}"] = c[key]
    scored = sum(c["scored"] for c in counts.values())
    metrics["claim_actor_accuracy"] = (
        round(100 * sum(c["right"] for c in counts.values()) / scored, 2) if scored else 0.0
    )
    return metrics


def pair_eval(clusters: dict[str, list[str]], pairs: list[dict]) -> dict[str, float]:
    """Whether the claims join two sentences of different outlets as one fact (similarity >= AGREE_SIM),
    against hand labels of whether they report the same fact: precision of the joined pairs per part."""
    stories: dict[str, tuple[StoryText, list[int]]] = {}
    counts: dict[str, dict[str, int]] = {}
    for pair in pairs:
        cluster = pair["a"]["doc"].split("#")[0]
        if cluster not in stories:
            keep = [k for k, t in enumerate(clusters[cluster]) if len(t.split()) >= 50]
            arts = [
                Article.create(source=f"{cluster}#{k}", text=clusters[cluster][k], outlet=f"outlet-{k}")
                for k in keep
            ]
            stories[cluster] = (analyse(arts), keep)
        story, keep = stories[cluster]
        at = []
        for side in (pair["a"], pair["b"]):
            article = keep.index(int(side["doc"].split("#")[1]))
            at += [i for i, u in enumerate(story.units) if u.article == article and u.start == side["start"]]
        c = counts.setdefault(pair["part"], {"pairs": 0, "same": 0, "joined": 0, "joined_same": 0})
        c["pairs"] += 1
        c["same"] += pair["same"]
        if len(at) == 2 and story.sim(at[0], at[1]) >= claims.AGREE_SIM:
            c["joined"] += 1
            c["joined_same"] += pair["same"]
    metrics: dict[str, float] = {}
    for part, c in counts.items():
        for key, value in c.items():
            metrics[f"claim_pairs_{key}_{part}"] = value
        metrics[f"claim_pairs_precision_{part}"] = (
            round(100 * c["joined_same"] / c["joined"], 2) if c["joined"] else 0.0
        )
    return metrics


def _span(article: Article, text: str) -> str:
    start = article.text.find(text)
    return f"{article.source}@{start}-{start + len(text)}"


def contested_pairs(synthesis: Synthesis, articles: list[Article]) -> list[dict]:
    """Each (claim, dispute) pair of the contested claims, as spans of the documents (the first article
    citing each text), with the texts and actors for reading."""
    by_id = {a.id: a for a in articles}
    out = []
    for claim in synthesis.claims:
        if claim.status != "contested":
            continue
        lead = next(p for p in claim.positions if p.stance == "asserts" and p.text == claim.statement)
        for p in claim.positions:
            if p.stance == "disputes":
                out.append({
                    "claims": [_span(by_id[a], lead.text) for a in lead.article_ids],
                    "disputes": [_span(by_id[a], p.text) for a in p.article_ids],
                    "claim_text": lead.text, "claim_actor": lead.actor, "dispute_text": p.text, "dispute_actor": p.actor,
                })  # fmt: skip
    return out


def contested_stories(clusters: dict[str, list[str]], wikiref: Path | None) -> dict[str, list[list[Article]]]:
    """The stories contested claims are read on: "dev", the 250 Multi-News clusters; "heldout", the five main topics of WikiRef220 (each topic one story of 35-39 articles)."""
    parts: dict[str, list[list[Article]]] = {"dev": [], "heldout": []}
    for cid, documents in clusters.items():
        parts["dev"].append([
            Article.create(source=f"{cid}#{k}", text=t, outlet=f"{cid}-outlet-{k + 1}")
            for k, t in enumerate(documents) if t.strip()
        ])  # fmt: skip
    if wikiref is not None:
        topics: dict[str, list[Article]] = {}
        for line in (wikiref / "wikiref220.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if not row["is_noise_topic"] and row["text"].strip():
                topics.setdefault(row["topic"], []).append(
                    Article.create(source=f"wikiref220/{row['file']}", text=row["text"], outlet=f"wikiref-{row['id']}")
                )
        parts["heldout"] = [topics[t] for t in sorted(topics)]
    return parts


def contested_eval(parts: dict[str, list[list[Article]]], gold: list[dict], dump: Path | None = None) -> dict[str, float]:
    """Precision of the contested claims: each pair the synthesis sets against each other is looked up in
    the hand labels (does the dispute answer the claim?). Pairs no label covers are counted apart; the
    lower bound counts them as wrong."""
    labels = {(g["claim"], g["dispute"]): g["answers"] for g in gold}
    metrics: dict[str, float] = {}
    found: list[dict] = []
    for part, stories in parts.items():
        if not stories:
            continue
        pairs = []
        for articles in stories:
            if len(articles) < 2:
                continue
            # The calls synthesize makes for the claims (its other parts do not change them).
            text = analyse(articles)
            found_claims = claims.find_claims(text, score_units(text), speaker_names(text, _speakers(text)))
            synthesis = Synthesis(story_id=articles[0].source, title="", article_ids=tuple(a.id for a in articles),
                                  outlets=(), summary=(), quotes=(), figures=(), claims=found_claims, timeline=(),
                                  entities=(), coverage=(), keywords=())
            pairs += contested_pairs(synthesis, articles)
        for p in pairs:  # a text several articles print is labelled at any of them
            p["label"] = next(
                (labels[(c, d)] for c in p["claims"] for d in p["disputes"] if (c, d) in labels), None
            )
        labelled = [p["label"] for p in pairs if p["label"] is not None]
        right = sum(labelled)
        metrics[f"contested_pairs_{part}"] = len(pairs)
        metrics[f"contested_unlabelled_{part}"] = len(pairs) - len(labelled)
        metrics[f"contested_right_{part}"] = right
        metrics[f"contested_precision_{part}"] = round(100 * right / len(labelled), 2) if labelled else 0.0
        metrics[f"contested_precision_lower_{part}"] = round(100 * right / len(pairs), 2) if pairs else 0.0
        found += [{"part": part, **p} for p in pairs]
    if dump is not None:
        dump.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in found), encoding="utf-8")
    return metrics


def _spans(articles: list[Article], text: str, ids: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """Where a position's text stands in each article citing it: (source, start, end)."""
    by_id = {a.id: a for a in articles}
    out = []
    for aid in ids:
        start = by_id[aid].text.find(text) if aid in by_id else -1
        if start >= 0:
            out.append((by_id[aid].source, start, start + len(text)))
    return out


def _overlaps(span: tuple[str, int, int], spans: list[tuple[str, int, int]]) -> bool:
    return any(span[0] == s and span[1] < e and b < span[2] for s, b, e in spans)


def _at(ref: str) -> tuple[str, int, int]:
    doc, offsets = ref.split("@")
    start, end = offsets.split("-")
    return doc, int(start), int(end)


def recall_story(articles: list[Article]) -> tuple[list[tuple[str, int, int]], list[dict]]:
    """The sentences the synthesis reads for disputes and its contested claims, each as the spans of its
    dispute and assertion positions: the calls :func:`parallax.synthesis.synthesize` makes for the claims."""
    story = analyse(articles)
    claims_found = claims.find_claims(story, score_units(story), speaker_names(story, _speakers(story)))
    reader = getattr(__import__("parallax.synthesis", fromlist=["disputes"]), "disputes", None)
    if reader is not None and hasattr(reader, "read_all"):  # every sentence of every article
        read = [(articles[s.article].source, s.start, s.end) for s in reader.read_all(story)]
    else:  # code without it reads candidates only
        readable = getattr(claims, "_readable_dispute", lambda text: False)
        read = [(articles[u.article].source, u.start, u.end) for u in story.units if u.candidate or readable(u.text)]
    contested = []
    for claim in claims_found:
        if claim.status == "contested":
            lead = next(p for p in claim.positions if p.stance == "asserts" and p.text == claim.statement)
            contested.append({
                stance: [s for p in claim.positions if p.stance == stance for s in _spans(articles, p.text, p.article_ids)]
                for stance in ("asserts", "disputes")
            } | {"positions": claim.positions, "lead": _spans(articles, lead.text, lead.article_ids)})  # fmt: skip
    return read, contested


def text_hash(text: str) -> str:
    """A sentence's key in the labels of the pairs shown (its words, whitespace folded, hashed)."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def pair_key(claim_text: str, dispute_text: str) -> str:
    return f"{text_hash(claim_text)}:{text_hash(dispute_text)}"


def load_shown_labels(path: Path = SHOWN_LABELS) -> dict[str, bool]:
    """Blind labels of the pairs shown (``contested_shown_labels.jsonl``: ``{"story", "key", "answers"}``, ``key`` the
    :func:`pair_key` of the assertion's and the dispute's texts), or nothing when the file is absent."""
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["key"]: bool(r["answers"]) for r in rows if r.get("answers") is not None}


def shown_precision(pairs: list[dict], labels: dict[str, bool], prefix: str) -> dict[str, float]:
    """Precision of the distinct pairs shown (one per story, assertion and dispute text) over those the blind
    labels cover; the lower bound counts an unlabelled pair as wrong."""
    unique = {(p["story"], p["key"]): p for p in pairs}
    got = [labels[key] for _, key in unique if key in labels]
    return {
        f"{prefix}_shown_distinct": len(unique), f"{prefix}_shown_labelled": len(got), f"{prefix}_shown_right": sum(got),
        f"{prefix}_shown_precision": round(100 * sum(got) / len(got), 2) if got else 0.0,
        f"{prefix}_shown_precision_lower": round(100 * sum(got) / len(unique), 2) if unique else 0.0,
    }  # fmt: skip


def context(text: str, start: int, end: int, before: int = 2, after: int = 1) -> list[str]:
    """The sentences around ``text[start:end]`` in its article: ``before`` before it and ``after`` after it."""
    lo, hi = max(0, start - 1500), min(len(text), end + 1500)
    sentences = split_sentences(text[lo:hi])
    prior = [x.text for x in sentences if lo + x.end <= start]
    later = [x.text for x in sentences if lo + x.start >= end]
    return prior[-before:] + later[:after]


def _score_story(
    articles: list[Article], disputes: list[dict], c: dict, story_of: Callable, labels: dict, show: int, shown: int,
    texts: Callable[[dict], str], part: str, pairs_out: list[dict] | None = None, story: str | None = None,
) -> int:
    """Add one story's gold disputes to the counts ``c``; return how many misses were printed so far."""
    read, contested = story_of(articles)
    for g in disputes:
        span = (g["doc"], g["start"], g["end"])
        asserts = [_at(a) for a in g["asserts"]]
        holding = [k for k in contested if _overlaps(span, k["disputes"])]
        paired = any(_overlaps(a, k["asserts"]) for k in holding for a in asserts)
        c["unread"] += not _overlaps(span, read)
        c["found"] += bool(holding)
        c["paired"] += paired
        c["paired_or_labelled"] += paired or any(
            labels.get((f"{a[0]}@{a[1]}-{a[2]}", f"{b[0]}@{b[1]}-{b[2]}"))
            for k in holding for a in k.get("lead", []) for b in k["disputes"] if _overlaps(b, [span])
        )
        if not paired and shown < show:
            shown += 1
            print(f"{part} {g['doc']}@{g['start']}: {'found, unpaired' if holding else 'missed'}"
                  f"{'' if _overlaps(span, read) else ' (unread)'}: {texts(g)[:160]!r}")  # fmt: skip
            for k in holding:
                print("   set against:", [p.text[:100] for p in k["positions"] if p.stance == "asserts"])
    if pairs_out is not None:  # every (claim, dispute) pair shown, with what the gold says of it
        by_source = {a.source: a for a in articles}
        for k in contested:
            lead = next((p for p in k.get("positions", ()) if p.stance == "asserts"), None)
            for d in k["disputes"]:
                gold = [g for g in disputes if _overlaps((g["doc"], g["start"], g["end"]), [d])]
                right = any(_overlaps(_at(a), k["asserts"]) for g in gold for a in g["asserts"])
                d_text = by_source[d[0]].text[d[1] : d[2]] if d[0] in by_source else ""
                d_pos = next((p for p in k.get("positions", ()) if p.stance == "disputes" and p.text == d_text), None)
                c_span = (k.get("lead") or [None])[0]
                claim_text = lead.text if lead else ""
                pairs_out.append({"claim": [f"{a[0]}@{a[1]}-{a[2]}" for a in k.get("lead", [])], "dispute": f"{d[0]}@{d[1]}-{d[2]}",
                                  "gold_dispute": bool(gold), "gold_answers": right,
                                  "claim_text": claim_text, "dispute_text": d_text,
                                  "story": story or articles[0].source.split("#")[0], "key": pair_key(claim_text, d_text),
                                  "claim_actor": lead.actor if lead else None, "dispute_actor": d_pos.actor if d_pos else None,
                                  "claim_context": context(by_source[c_span[0]].text, c_span[1], c_span[2]) if c_span else [],
                                  "dispute_context": context(by_source[d[0]].text, d[1], d[2]) if d[0] in by_source else []})  # fmt: skip
    return shown


def recall_eval(
    clusters: dict[str, list[str]],
    gold: list[dict],
    parts: tuple[str, ...] = ("dev", "heldout"),
    show: int = 0,
    story_of: Callable[[list[Article]], tuple[list, list[dict]]] = recall_story,
    labels: dict[tuple[str, str], bool] | None = None,
    pairs_out: Path | None = None,
    shown_labels: dict[str, bool] | None = None,
    found_pairs: list[dict] | None = None,
) -> dict[str, float]:
    """Recall of the contested claims against the gold disputes of ``parts`` (see the module's docstring): found
    (the dispute is a dispute position of a contested claim) and paired (that claim asserts one of its gold
    sentences), over the gold disputes that have an assertion apart from them. Beside it, "paired or labelled":
    paired, or the (claim, dispute) pair is labelled as answering in ``labels`` (``contested_pairs.jsonl``), for
    the gold's assertion lists are not exhaustive (README)."""
    labels = labels or {}
    metrics: dict[str, float] = {}
    shown = 0
    found_pairs = [] if found_pairs is None else found_pairs
    for part in parts:
        disputes = [g for g in gold if g["part"] == part and g["dispute"] and g.get("asserts")]
        c = {"disputes": len(disputes), "unread": 0, "found": 0, "paired": 0, "paired_or_labelled": 0}
        first = len(found_pairs)
        for cid in sorted({g["doc"].split("#")[0] for g in disputes}):
            articles = [
                Article.create(source=f"{cid}#{k}", text=t, outlet=f"{cid}-outlet-{k + 1}")
                for k, t in enumerate(clusters[cid]) if t.strip()
            ]  # fmt: skip
            ds = [g for g in disputes if g["doc"].split("#")[0] == cid]
            shown = _score_story(articles, ds, c, story_of, labels, show, shown,
                                 lambda g: clusters[g["doc"].split("#")[0]][int(g["doc"].split("#")[1])][g["start"] : g["end"]], part,
                                 found_pairs, cid)
        for key, value in c.items():
            metrics[f"contested_recall_{key}_{part}"] = value
        metrics.update(shown_precision(found_pairs[first:], shown_labels or {}, f"contested_recall_{part}"))
        metrics[f"contested_recall_found_{part}_pct"] = round(100 * c["found"] / c["disputes"], 2) if c["disputes"] else 0.0
        metrics[f"contested_recall_paired_{part}_pct"] = round(100 * c["paired"] / c["disputes"], 2) if c["disputes"] else 0.0
        metrics[f"contested_recall_paired_or_labelled_{part}_pct"] = (
            round(100 * c["paired_or_labelled"] / c["disputes"], 2) if c["disputes"] else 0.0
        )
    if pairs_out is not None:  # every pair shown on these clusters, for labelling blind
        pairs_out.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in found_pairs), encoding="utf-8")
    return metrics


TEST = ROOT / "bench" / "gold" / "contested_test.jsonl"
TEST_STORIES = ROOT / "bench" / "gold" / "contested_test_stories.jsonl"


def test_eval(
    clusters: dict[str, list[str]], wikiref: Path | None, show: int = 0, pairs_out: Path | None = None, folder: Path | None = None,
    shown_labels: dict[str, bool] | None = None, found_pairs: list[dict] | None = None,
) -> dict[str, float]:
    """Recall of the contested claims on the frozen test set of issue 17 (``contested_test.jsonl``; its README
    section): the gold disputes with an assertion apart, found and paired, per story (``story``: a Multi-News
    cluster or a WikiRef220 group). Measure once per design."""
    test, test_stories = (folder / TEST.name, folder / TEST_STORIES.name) if folder else (TEST, TEST_STORIES)
    gold = [json.loads(line) for line in test.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts: dict[str, str] = {f"{cid}#{k}": t for cid, docs in clusters.items() for k, t in enumerate(docs)}
    if wikiref is not None:
        for line in (wikiref / "wikiref220.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts[f"wikiref220/{row['file']}"] = row["text"]
    stories = [json.loads(line) for line in test_stories.read_text(encoding="utf-8").splitlines() if line.strip()]
    disputes = [g for g in gold if g["dispute"] and g.get("asserts")]
    c = {"disputes": len(disputes), "unread": 0, "found": 0, "paired": 0, "paired_or_labelled": 0}
    shown = 0
    found_pairs = [] if found_pairs is None else found_pairs
    for record in stories:
        story_id = record.get("story") or record.get("source")
        docs = [d for d in record["documents"] if texts.get(d, "").strip()]
        articles = [Article.create(source=d, text=texts[d], outlet=f"test-outlet-{k + 1}") for k, d in enumerate(docs)]
        ds = [g for g in disputes if g["story"] == story_id]
        if len(articles) < 1:
            continue
        shown = _score_story(articles, ds, c, recall_story, {}, show, shown, lambda g: texts[g["doc"]][g["start"] : g["end"]],
                             "test", found_pairs, story_id)
    if pairs_out is not None:
        pairs_out.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in found_pairs), encoding="utf-8")
    metrics: dict[str, float] = {f"contested_test_{k}": v for k, v in c.items()}
    for key in ("found", "paired"):
        metrics[f"contested_test_{key}_pct"] = round(100 * c[key] / c["disputes"], 2) if c["disputes"] else 0.0
    metrics["contested_test_pairs_shown"] = len(found_pairs)
    metrics["contested_test_pairs_gold_right"] = sum(p["gold_answers"] for p in found_pairs)
    metrics.update(shown_precision(found_pairs, shown_labels or {}, "contested_test"))
    return metrics


POOL_FIELDS = ("story", "key", "assertion", "assertion_actor", "assertion_context", "dispute", "dispute_actor", "dispute_context")


def write_pool(pairs: list[dict], out: Path) -> int:
    """The distinct pairs shown, shuffled (seed 17), for a labeller blind to the code: the story, each side's
    sentence, actor and context, and the key :func:`load_shown_labels` joins on; no score, no gold."""
    unique = {(p["story"], p["key"]): p for p in pairs}
    rows = [
        {"story": p["story"], "key": p["key"], "assertion": p["claim_text"], "assertion_actor": p["claim_actor"],
         "assertion_context": p["claim_context"], "dispute": p["dispute_text"], "dispute_actor": p["dispute_actor"],
         "dispute_context": p["dispute_context"]}
        for p in unique.values()
    ]  # fmt: skip
    random.Random(17).shuffle(rows)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def write_shown_labels(labelled: Path, out: Path = SHOWN_LABELS) -> int:
    """Keys and labels of a labelled pool (records of :func:`write_pool` with ``"answers"``) added to ``out``
    (no text: gold files hold references). A record whose key is missing is keyed by its texts."""
    known = {}
    if out.exists():
        for line in out.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                known[(r["story"], r["key"])] = r
    added = 0
    for n, line in enumerate(labelled.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            key = r.get("key") or pair_key(r["assertion"], r["dispute"])
            answers = r["answers"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            print(f"{labelled}:{n}: skipped, not a labelled pool record ({exc})", file=sys.stderr)
            continue
        if not isinstance(answers, bool):
            print(f"{labelled}:{n}: skipped, \"answers\" must be true or false", file=sys.stderr)
            continue
        known[(r.get("story", ""), key)] = {"story": r.get("story", ""), "key": key, "answers": answers}
        added += 1
    out.write_text("".join(json.dumps(r) + "\n" for r in known.values()), encoding="utf-8")
    print(f"{added} labels read; {len(known)} in {out}")
    return 0


def markdown(m: dict[str, float]) -> str:
    rows = [
        "## Claim actors (hand-made gold, Multi-News sentences)",
        "",
        (
            "Who a claim is attributed to, on reported sentences drawn at random (bench/gold/README.md). The held-out "
            "part's first, untouched figure is recorded in that README."
        ),
        "",
        "| part | sentences scored | Parallax (parse) | regex attribution (before) | pronoun subjects left out | past the sentences read |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for part in ("dev", "heldout"):
        if f"claim_actor_scored_{part}" in m:
            rows.append(
                f"| {part} | {m[f'claim_actor_scored_{part}']} | {m[f'claim_actor_accuracy_{part}']} % | "
                f"{m[f'claim_actor_regex_accuracy_{part}']} % | {m[f'claim_actor_pronoun_{part}']} | "
                f"{m[f'claim_actor_unread_{part}']} |"
            )
    if "claim_pairs_pairs_heldout" in m:
        rows += [
            "",
            (
                f"Agreed claims join sentences of different outlets at similarity >= {claims.AGREE_SIM}. On hand-labelled "
                f"pairs (same fact or not): held-out pairs of similarity 0.55-0.62, {m['claim_pairs_joined_same_heldout']} "
                f"of {m['claim_pairs_joined_heldout']} joined are the same fact ({m['claim_pairs_precision_heldout']} %); "
                f"threshold sample (stratified by similarity, {m['claim_pairs_pairs_threshold']} pairs, "
                f"{m['claim_pairs_same_threshold']} the same fact): {m['claim_pairs_joined_same_threshold']} of "
                f"{m['claim_pairs_joined_threshold']} joined are ({m['claim_pairs_precision_threshold']} %)."
            ),
        ]
    if "contested_pairs_dev" in m:
        rows += ["", ("Contested claims: each (claim, dispute) pair the synthesis sets against each other, against hand "
                 "labels (does the dispute answer the claim?)."), "",
                 "| part | pairs | labelled right | precision | lower bound (unlabelled as wrong) |",
                 "| --- | --- | --- | --- | --- |"]  # fmt: skip
        for part, label in (("dev", "Multi-News, 250 clusters (rules chosen here)"), ("heldout", "WikiRef220, 5 topics (held out)")):
            if f"contested_pairs_{part}" in m:
                rows.append(
                    f"| {label} | {m[f'contested_pairs_{part}']} | {m[f'contested_right_{part}']} | "
                    f"{m[f'contested_precision_{part}']} % | {m[f'contested_precision_lower_{part}']} % |"
                )
    if "contested_recall_disputes_dev" in m:
        rows += ["", ("Recall of the contested claims: gold disputes (sentences a broad cue search finds, read by hand, with "
                 "the sentences they dispute; bench/gold/README.md) found as a dispute, and set against one of their "
                 "gold assertions."), "",
                 "| part | disputes | found | paired with its assertion | paired, or a pair labelled as answering | outside the sentences read |",
                 "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        for part, label in (("dev", "Multi-News, 80 clusters (rules chosen here)"), ("heldout", "Multi-News, 40 clusters (held out)")):
            if f"contested_recall_disputes_{part}" in m:
                rows.append(
                    f"| {label} | {m[f'contested_recall_disputes_{part}']} | {m[f'contested_recall_found_{part}_pct']} % "
                    f"({m[f'contested_recall_found_{part}']}) | {m[f'contested_recall_paired_{part}_pct']} % "
                    f"({m[f'contested_recall_paired_{part}']}) | {m[f'contested_recall_paired_or_labelled_{part}_pct']} % "
                    f"({m[f'contested_recall_paired_or_labelled_{part}']}) | {m[f'contested_recall_unread_{part}']} |"
                )
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print this many wrong actors")
    parser.add_argument("--no-contested", action="store_true", help="skip the contested claims (no result written)")
    parser.add_argument(
        "--contested-out", type=Path, default=None, metavar="FILE",
        help="write every contested pair found, with its texts and label, to FILE (for labelling; keep it out of the repo)",
    )
    parser.add_argument("--recall-only", action="store_true", help="score only the recall of contested claims (no result written)")
    parser.add_argument(
        "--recall-part", choices=("dev", "heldout", "all"), default="all",
        help="which part of the recall gold to score (keep the held-out part unseen while choosing rules)",
    )
    parser.add_argument("--recall-pairs-out", type=Path, default=None, metavar="FILE",
                        help="with --recall-only: write every (claim, dispute) pair shown on the scored clusters to FILE")
    parser.add_argument("--show-recall", type=int, default=0, help="print this many gold disputes not found or not paired")
    parser.add_argument(
        "--test", action="store_true",
        help="score the frozen contested-claims test set of issue 17 (contested_test.jsonl) once, and nothing else",
    )
    parser.add_argument("--test-pairs-out", type=Path, default=None, metavar="FILE",
                        help="with --test: write every pair shown on the test stories to FILE (for blind labelling)")
    parser.add_argument("--test-dir", type=Path, default=None, metavar="DIR",
                        help="with --test: read contested_test*.jsonl from DIR (default bench/gold)")
    parser.add_argument("--pool-out", type=Path, default=None, metavar="FILE",
                        help="write the distinct pairs shown on the held-out clusters and the frozen test stories that "
                             "contested_shown_labels.jsonl does not label yet to FILE, for labelling blind (texts, actors, context; no score, no gold)")
    parser.add_argument("--shown-labels-from", type=Path, default=None, metavar="FILE",
                        help="turn a labelled pool (each line a pool record with \"answers\": true/false) into "
                             "bench/gold/contested_shown_labels.jsonl (keys only, no text), and nothing else")
    parser.add_argument("--story-cache", type=Path, default=None, metavar="DIR",
                        help="keep the analysed stories in DIR (pickles, outside the repo) to re-run with another scorer")
    args = parser.parse_args(argv)
    if args.story_cache is not None:
        from _story_cache import cached

        globals()["analyse"] = cached(analyse, args.story_cache)
    if args.shown_labels_from is not None:
        return write_shown_labels(args.shown_labels_from)
    folder = require_data("multinews-test-sample250")
    if folder is None:
        return 0
    docs, clusters = {}, {}
    with (folder / "test_sample250.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            cluster = json.loads(line)
            clusters[cluster["id"]] = cluster["documents"]
            docs.update({f"{cluster['id']}#{k}": d for k, d in enumerate(cluster["documents"])})
    recall_gold = [json.loads(line) for line in RECALL.read_text(encoding="utf-8").splitlines() if line.strip()]
    recall_parts = ("dev", "heldout") if args.recall_part == "all" else (args.recall_part,)
    gold_contested = [json.loads(line) for line in CONTESTED.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = {(g["claim"], g["dispute"]): g["answers"] for g in gold_contested}
    shown_labels = load_shown_labels()
    if args.pool_out is not None:
        found: list[dict] = []
        found_test: list[dict] = []  # apart, so the test's shown precision counts its own pairs only
        metrics = recall_eval(clusters, recall_gold, ("heldout",), labels=labels, shown_labels=shown_labels, found_pairs=found)
        metrics.update(test_eval(clusters, require_data("wikiref220"), folder=args.test_dir, shown_labels=shown_labels,
                                 found_pairs=found_test))
        print(json.dumps(metrics, indent=2))
        unlabelled = [p for p in found + found_test if p["key"] not in shown_labels]
        print(f"{write_pool(unlabelled, args.pool_out)} distinct pairs not yet labelled written to {args.pool_out} "
              f"({len({(p['story'], p['key']) for p in found + found_test})} distinct shown)")
        return 0
    if args.test:
        print(json.dumps(test_eval(clusters, require_data("wikiref220"), args.show_recall, args.test_pairs_out, args.test_dir,
                                   shown_labels=shown_labels), indent=2))
        return 0
    if args.recall_only:
        print(json.dumps(recall_eval(clusters, recall_gold, recall_parts, args.show_recall, labels=labels,
                                     pairs_out=args.recall_pairs_out, shown_labels=shown_labels), indent=2))
        return 0
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    metrics = evaluate(docs, gold, args.show)
    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    metrics.update(pair_eval(clusters, pairs))
    if args.no_contested:
        print(json.dumps(metrics, indent=2))
        return 0
    wikiref = require_data("wikiref220")
    metrics.update(contested_eval(contested_stories(clusters, wikiref), gold_contested, args.contested_out))
    metrics.update(recall_eval(clusters, recall_gold, recall_parts, args.show_recall, labels=labels, shown_labels=shown_labels))
    if TEST.exists() and TEST_STORIES.exists():  # the frozen test set of issue 17 (gated by the floors)
        metrics.update(test_eval(clusters, wikiref, shown_labels=shown_labels))
    print(json.dumps(metrics, indent=2))
    write_result("eval_claims", metrics, markdown(metrics), command=COMMAND)
    return check_floors("eval_claims", metrics)


if __name__ == "__main__":
    raise SystemExit(main())
