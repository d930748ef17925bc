"""Metadata read from text dumps: title, outlet, byline and date, against the page's own markup.

    .venv/bin/python bench/eval_dump_metadata.py                 # test split (report once per design)
    .venv/bin/python bench/eval_dump_metadata.py --split dev     # development
    .venv/bin/python bench/eval_dump_metadata.py --split all     # every page

Pages: every AEB (181) and trafilatura-eval (990) page. The dump of a page is its visible text, as the
text-dump evaluation makes it (train_textdump.visible_text), cleaned by ``clean_text_dump`` with no
URL (a dump alone: the outlet must come from the text). Gold comes from the page's markup, parsed
from the same decoded text the dump was made of (gold_of_text; before 2026-12-07 it was parsed from
the raw bytes, and pages that declare no charset got mojibake gold no dump could match):

- title: the page's own headline, its og:title (site suffix stripped) or its first h1; a prediction
  is right when, normalised (case-folded ``\\w+`` tokens), it equals either. Pages with neither are
  not counted.
- outlet: og:site_name, counted only where the visible text names it (its normalised tokens occur in
  the dump); right when the normalised names are equal (a leading "the" and a trailing top-level
  domain ignored).
- byline: the author named in JSON-LD or meta tags (parallax.clean.metadata.html_metadata), counted
  only where the visible text names it; right when the predicted and gold names share their tokens
  (one set contains the other).
- date: the published date in JSON-LD or meta tags, counted only where the visible text shows that
  day in some form (a four-digit year and a day number on one line with the month); right when the
  predicted day is within one day of it (time zones).

Split rule (recorded): a page's id is "aeb:<key>" or "tv:<id>"; its bucket is the first byte of
sha1(id) mod 10: 0-5 train, 6-7 dev, 8-9 test. The dump head reader (parallax.clean.dumphead) is
trained on train pages only (bench/train_dumphead.py); the gated figures are on test.

Figures go to bench/results/eval_dump_metadata.json; the exit status gates them against
bench/floors/eval_dump_metadata.json.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import pickle
import re
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import check_floors, require_data, write_result
from lxml import etree
from lxml import html as lxml_html
from train_textdump import aeb_records, visible_text

from parallax.clean.metadata import _strip_site_suffix, html_metadata
from parallax.clean.outlets import outlet_key
from parallax.clean.textdump import clean_text_dump

COMMAND = "python bench/eval_dump_metadata.py"
CACHE = Path("/tmp/parallax_dump_metadata_cache_v2.pkl")  # v2: gold from the decoded text
_TOKEN = re.compile(r"\w+", re.UNICODE)
_MONTHS = (
    "jan feb mar apr may jun jul aug sep oct nov dec januar februar märz april mai juni juli august "
    "september oktober november dezember janvier février mars avril juin juillet août septembre octobre "
    "novembre décembre"
).split()


def split_of(page_id: str) -> str:
    """train, dev or test by the recorded rule (first byte of sha1(id) mod 10: 0-5, 6-7, 8-9)."""
    bucket = hashlib.sha1(page_id.encode("utf-8")).digest()[0] % 10
    return "train" if bucket < 6 else "dev" if bucket < 8 else "test"


def norm(text: str | None) -> str:
    """Case-folded ``\\w+`` tokens joined by spaces."""
    return " ".join(t.casefold() for t in _TOKEN.findall(text or ""))


def norm_outlet(text: str | None) -> str:
    """An outlet name normalised: no leading "the", no trailing top-level domain (outlets.outlet_key)."""
    return outlet_key(text)


def _first_text(tree: etree._Element, xpath: str) -> str | None:
    for node in tree.xpath(xpath):
        text = " ".join(" ".join(node.itertext()).split()) if hasattr(node, "itertext") else str(node).strip()
        if text:
            return text
    return None


def gold_of(page: str | bytes) -> dict[str, object]:
    """The page's own title candidates, site name, byline and date from its markup."""
    try:
        tree = lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return {}
    og_title = _first_text(tree, "//meta[@property='og:title']/@content")
    h1 = _first_text(tree, "//h1")
    site = _first_text(tree, "//meta[@property='og:site_name']/@content")
    meta = html_metadata(tree)
    return {
        "titles": [t for t in {norm(_strip_site_suffix(og_title)) if og_title else "", norm(h1)} if t],
        "site": site,
        "byline": meta.get("byline"),
        "published": meta.get("published"),
    }


def gold_of_text(text: str, page: str | bytes) -> dict[str, object]:
    """The gold read from the same decoded text the dump was made of (UTF-8, as visible_text reads
    it), so gold and dump agree on every character; from the raw page only where lxml refuses a
    decoded string (an XML encoding declaration). Before 2026-12-07 the gold was parsed from the raw
    bytes, which lxml decoded as Latin-1 on pages that declare no charset: 11 of 235 dev pages had
    mojibake gold ("tekevã t meistã") that no dump could match."""
    return gold_of(text) or gold_of(page)


def records() -> list[tuple[str, str, str | bytes]]:
    """(page id, url, html) of every AEB and trafilatura-eval page."""
    out: list[tuple[str, str, str | bytes]] = [(f"aeb:{k}", url, page) for k, url, page, _gold in aeb_records()]
    folder = require_data("trafilatura-eval")
    if folder is not None:
        for line in (folder / "evaldata.jsonl").read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            raw = gzip.decompress((folder / doc["html"]).read_bytes())
            out.append((f"tv:{doc['id']}", doc["url"], raw))
    return out


def prepared() -> list[dict[str, object]]:
    """Per page: id, split, dump and gold (cached in /tmp: the parse of 1,171 pages takes minutes)."""
    if CACHE.exists():
        return pickle.loads(CACHE.read_bytes())
    items = []
    for page_id, url, page in records():
        text = page.decode("utf-8", errors="replace") if isinstance(page, bytes) else page
        items.append(
            {"id": page_id, "url": url, "split": split_of(page_id), "dump": visible_text(text), "gold": gold_of_text(text, page)}
        )
    CACHE.write_bytes(pickle.dumps(items))
    return items


def names_in(name: str, dump_key: str) -> bool:
    """True when the normalised tokens of ``name`` occur in the normalised dump."""
    key = norm(name)
    return bool(key) and f" {key} " in dump_key


def _date_shown(date: datetime, dump: str) -> bool:
    """True when the dump shows the date's day (year, day number and month on one line)."""
    year, day = str(date.year), date.day
    for line in dump.splitlines():
        if year not in line and f"/{str(date.year)[2:]}" not in line:
            continue
        low = line.casefold()
        has_month = any(m in low for m in _MONTHS) or re.search(rf"\b0?{date.month}[./-]", low)
        if has_month and re.search(rf"\b0?{day}\b", low):
            return True
    return False


def same_names(predicted: str | None, gold: str) -> bool:
    """One name set contains the other (case-folded tokens)."""
    p, g = set(norm(predicted).split()), set(norm(gold).split())
    return bool(p) and bool(g) and (p <= g or g <= p)


def score(items: Sequence[dict[str, object]], read=None) -> dict[str, float]:
    """Accuracy of title, outlet, byline and date over the pages that have each gold field."""
    read = read or (lambda dump: clean_text_dump(dump))
    hits = {"title": [0, 0], "outlet": [0, 0], "byline": [0, 0], "date": [0, 0]}
    for item in items:
        gold, dump = item["gold"], item["dump"]
        if not dump or not gold:
            continue
        page = read(dump)
        dump_key = f" {norm(dump)} "
        if gold["titles"]:
            hits["title"][1] += 1
            hits["title"][0] += norm(page.title) in gold["titles"]
        if gold["site"] and names_in(gold["site"], dump_key):
            hits["outlet"][1] += 1
            hits["outlet"][0] += bool(page.outlet) and norm_outlet(page.outlet) == norm_outlet(gold["site"])
        if gold["byline"] and names_in(gold["byline"], dump_key):
            hits["byline"][1] += 1
            hits["byline"][0] += same_names(page.byline, gold["byline"])
        date = gold["published"]
        if isinstance(date, datetime) and _date_shown(date, dump):
            hits["date"][1] += 1
            got = page.published
            hits["date"][0] += isinstance(got, datetime) and abs(got.date() - date.date()) <= timedelta(days=1)
    out: dict[str, float] = {}
    for field, (right, total) in hits.items():
        out[f"{field}_accuracy"] = round(right / total, 4) if total else 0.0
        out[f"{field}_pages"] = total
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "dev", "test", "all"), default="test")
    args = parser.parse_args(argv)
    items = prepared()
    if not items:
        return 0
    chosen = items if args.split == "all" else [i for i in items if i["split"] == args.split]
    figures = score(chosen)
    metrics = {f"dumpmeta_{args.split}_{k}": v for k, v in figures.items()}
    print(json.dumps(metrics, indent=2, sort_keys=True))
    if args.split != "test":
        return 0
    rows = [
        f"| {field} | {figures[f'{field}_accuracy']:.3f} | {figures[f'{field}_pages']} |"
        for field in ("title", "outlet", "byline", "date")
    ]
    markdown = "\n".join(
        [
            "## Metadata of text dumps (test split of AEB + trafilatura-eval)",
            "",
            "| field | accuracy | pages with that gold field |",
            "| --- | --- | --- |",
            *rows,
        ]
    )
    write_result("eval_dump_metadata", metrics, markdown, command=COMMAND)
    return check_floors("eval_dump_metadata", metrics)


if __name__ == "__main__":
    raise SystemExit(main())
