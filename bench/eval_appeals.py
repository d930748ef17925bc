"""Appeals and page furniture removed: held-out labelled lines of real pages, dumps and HTML alike.

    .venv/bin/python bench/eval_appeals.py               # held-out set, dumps and HTML
    .venv/bin/python bench/eval_appeals.py --only dump   # or html

Gold: bench/gold/appeals_test.jsonl, 178 lines of test-split pages (eval_dump_metadata.split_of:
sha1 bucket 8-9) of AEB and trafilatura-eval, each a donation, membership, newsletter, app, cookie,
advertising, "Read more"/"Related", social, caption-credit or copyright line. How they were chosen
(recorded): every line of a test page's visible-text dump (split_units) of at most 60 words matching
a broad keyword finder (donat, subscri, newsletter, cookie, related, read more, getty, afp, ...,
see the commit), shuffled with random.seed(18), at most two a page, the first 220 read by hand;
178 judged appeal or furniture were kept (the rest, body text or doubtful menu items such as
"Downloads", left out). They were labelled before any appeal code ran on them, and no rule or
lexicon entry was written from them. Each row holds the page id, the line index and a sha1 of the
line's first 140 characters (no page text).

A line counts as removed when no paragraph of the output equals it (normalised) and, for a line of
five words or more, the output does not contain it. Dumps: ``clean_text_dump`` of the visible text
(the shipped text-dump model was trained on all AEB pages, so AEB lines are in-sample for the body
classifier; trafilatura-eval lines are not). HTML: ``extract_html`` of the page.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import ROOT, check_floors, require_data, write_result
from eval_dump_metadata import prepared

from parallax.clean.boilerplate import normalize_line
from parallax.clean.html import extract_html
from parallax.clean.textdump import clean_text_dump, split_units

GOLD = ROOT / "bench" / "gold" / "appeals_test.jsonl"
COMMAND = "python bench/eval_appeals.py"


def removed(line: str, output: str) -> bool:
    """True when the cleaned ``output`` no longer holds ``line``."""
    key = normalize_line(line)
    paragraphs = {normalize_line(p) for p in output.split("\n\n") if p.strip()}
    if key in paragraphs:
        return False
    return not (len(line.split()) >= 5 and key in normalize_line(output))


def _html_of(page_id: str) -> str | bytes | None:
    if page_id.startswith("aeb:"):
        folder = require_data("aeb-scrapinghub")
        return gzip.decompress((folder / "html" / f"{page_id[4:]}.html.gz").read_bytes()) if folder else None
    folder = require_data("trafilatura-eval")
    return gzip.decompress((folder / "html" / f"{int(page_id[3:]):04d}.html.gz").read_bytes()) if folder else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("dump", "html"), action="append")
    args = parser.parse_args(argv)
    only = set(args.only or ("dump", "html"))
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = {i["id"]: i for i in prepared()}
    outputs: dict[tuple[str, str], str] = {}
    hits: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    missing = 0
    for row in gold:
        item = items.get(row["page"])
        if item is None:
            missing += 1
            continue
        lines = [u.text for u in split_units(item["dump"])]
        line = lines[row["line"]]
        if hashlib.sha1(line[:140].encode()).hexdigest()[:12] != row["text_sha1"]:
            missing += 1
            continue
        kinds[row["kind"]] += 1
        for form in sorted(only):
            key = (form, row["page"])
            if key not in outputs:
                if form == "dump":
                    outputs[key] = clean_text_dump(item["dump"]).text
                else:
                    raw = _html_of(row["page"])
                    outputs[key] = extract_html(raw, url=item["url"]).text if raw is not None else ""
            if removed(line, outputs[key]):
                hits[form] += 1
                hits[f"{form}:{row['kind']}"] += 1
    total = sum(kinds.values())
    metrics = {f"appeals_{form}_removed": round(hits[form] / max(total, 1), 4) for form in sorted(only)}
    metrics["appeals_lines"] = total
    by_kind = {
        f"{form}:{kind}": f"{hits[f'{form}:{kind}']}/{n}" for form in sorted(only) for kind, n in kinds.most_common()
    }
    print(json.dumps({**metrics, "missing": missing, "by_kind": by_kind}, indent=2))
    if args.only is None:
        markdown = "\n".join(
            [
                "## Appeals and furniture removed (held-out labelled lines)",
                "",
                "| input | removed | lines |",
                "| --- | --- | --- |",
                *[f"| {form} | {metrics[f'appeals_{form}_removed']:.3f} | {total} |" for form in sorted(only)],
            ]
        )
        write_result("eval_appeals", metrics, markdown, command=COMMAND)
        return check_floors("eval_appeals", metrics)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
