"""Reproduce the draw of the frozen contested-claims test set (``contested_test*.jsonl``; README section
"Frozen contested-claims test set").

Pool: the Multi-News clusters of ``../shared/data/multinews-test-sample250/test_sample250.jsonl`` with at least two
non-empty documents, minus every cluster referenced by a gold file of ``bench/gold/`` (any ``mn-test-sNNN`` in
contested_recall, contested_pairs, claim_pairs, claim_actors, quotes*, figures*, figure_*) and every cluster named
(``sNNN`` or ``mn-test-sNNN``) anywhere in ``bench/gold/README.md`` or ``docs/evaluation.md``, all read as of commit
``BASE`` with ``git show`` (the set's own files and README section name the drawn clusters). Order: the pool's ids
sorted, then ``random.Random(1717).shuffle``; stories are read in that order, then the WikiRef220 groups below.
Plain Python, no Parallax code.

Run: ``python3 bench/gold/draw_contested_test.py [--data DIR]`` prints the excluded count, the pool size and the
drawn order.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "bench" / "gold"
SEED = 1717
BASE = "93628c09a050c68549f4f3fd471f10be2ecb6762"  # main when the draw was made (2026-12-07); exclusions as of it
GOLD_FILES = ("contested_recall", "contested_pairs", "claim_pairs", "claim_actors", "quotes", "figure")
DOCS_NAMING = (GOLD / "README.md", ROOT / "docs" / "evaluation.md")


def _files_at_base() -> dict[str, str]:
    """The gold files and the two docs as they were at BASE (the commit the draw was made on), so that later files
    naming the drawn clusters (this set, its README section) do not change the draw."""
    names = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", BASE, "bench/gold/"],
                           capture_output=True, text=True, check=True).stdout.split()
    wanted = [n for n in names if n.endswith(".jsonl") and Path(n).stem.startswith(GOLD_FILES)]
    wanted += [str(p.relative_to(ROOT)) for p in DOCS_NAMING]
    return {n: subprocess.run(["git", "-C", str(ROOT), "show", f"{BASE}:{n}"], capture_output=True, text=True,
                              check=True).stdout for n in wanted}


def referenced() -> set[str]:
    """Cluster ids referenced by the gold files and named in the README / evaluation docs, as of BASE."""
    ids: set[str] = set()
    for name, text in _files_at_base().items():
        ids.update(re.findall(r"mn-test-s\d{3}", text))
        if not name.endswith(".jsonl"):
            ids.update("mn-test-" + m for m in re.findall(r"(?<![\w-])(s\d{3})(?!\d)", text))
    return ids


def draw(data: Path) -> tuple[set[str], list[str]]:
    clusters = {}
    with (data / "multinews-test-sample250" / "test_sample250.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            c = json.loads(line)
            clusters[c["id"]] = [d for d in c["documents"] if d.strip()]
    used = referenced()
    pool = sorted(cid for cid, docs in clusters.items() if len(docs) >= 2 and cid not in used)
    random.Random(SEED).shuffle(pool)
    return used, pool


# WikiRef220 (used because the unused Multi-News pool holds only 30 clusters): stories grouped by hand from the
# headlines only (first line of each article, read before any body), articles of one topic about one event, two or
# three articles each (short ones preferred). Groups holding a file referenced by any gold file are dropped (the
# main topics' files of contested_pairs.jsonl). Order: the noise-topic groups first, then the main-topic groups, each
# list sorted by name and shuffled with random.Random(1717); stories are read in that order after the Multi-News pool.
WIKIREF_GROUPS = {
    "noise": {
        "cyprus-family-transfers": ["cypriot.financial.crisis.36.txt", "cypriot.financial.crisis.37.txt"],
        "cyprus-citizenship": ["cypriot.financial.crisis.39.txt", "cypriot.financial.crisis.40.txt"],
        "greek-election-result": ["greek.elections.112.txt", "greek.elections.113.txt"],
        "greek-coalition-talks": ["greek.elections.114.txt", "greek.elections.115.txt"],
        "tohoku-quake-magnitude": ["tohoku.earthquake.tsunami.8.txt", "tohoku.earthquake.tsunami.9.txt"],
        "tohoku-power-cuts": ["tohoku.earthquake.tsunami.12.txt", "tohoku.earthquake.tsunami.14.txt"],
    },
    "main": {
        "paris-abaaoud": ["ParisAttacks2015 (23).txt", "ParisAttacks2015 (24).txt"],
        "paris-three-teams": ["ParisAttacks2015 (9).txt", "ParisAttacks2015 (29).txt", "ParisAttacks2015 (7).txt"],
        "paris-act-of-war": ["ParisAttacks2015 (10).txt", "ParisAttacks2015 (35).txt", "ParisAttacks2015 (8).txt"],
        "paris-bomber-identified": ["ParisAttacks2015 (27).txt", "ParisAttacks2015 (36).txt"],
        "mh370-australia-leads-search": [
            "malaysia.airlines.flight.16.txt", "malaysia.airlines.flight.79.txt", "malaysia.airlines.flight.142.txt"],
        "mh370-military-radar": ["malaysia.airlines.flight.236.txt", "malaysia.airlines.flight.276.txt"],
        "mh370-families-beijing": ["malaysia.airlines.flight.245.txt", "malaysia.airlines.flight.13.txt"],
    },
}


# Second list, made when the first 40 stories held 12 with a dispute (fewer than the 25 the draw asks for): every
# further one-event group of two or three articles the headlines of WikiRef220 allow (same rule, headlines only, made
# before any of these bodies was read), in one list, sorted by name and shuffled with random.Random(1717); read in that
# order after the first list until 25 stories hold a dispute.
WIKIREF_GROUPS_2 = {
    "s5-sales-record": ["samsung.galaxy.s5.41.txt", "samsung.galaxy.s5.42.txt", "samsung.galaxy.s5.43.txt"],
    "s5-download-booster": ["samsung.galaxy.s5.31.txt", "samsung.galaxy.s5.32.txt", "samsung.galaxy.s5.33.txt"],
    "s5-launch": ["samsung.galaxy.s5.15.txt", "samsung.galaxy.s5.19.txt", "samsung.galaxy.s5.26.txt"],
    "s5-profits-fall": ["samsung.galaxy.s5.44.txt", "samsung.galaxy.s5.45.txt", "samsung.galaxy.s5.47.txt"],
    "s5-octa-core": ["samsung.galaxy.s5.21.txt", "samsung.galaxy.s5.25.txt"],
    "pl-tv-rights-2015": ["premier.league.3.txt", "premier.league.72.txt"],
    "pl-nbc-us-rights": ["premier.league.78.txt", "premier.league.79.txt"],
    "pl-deadline-day-2011": ["premier.league.142.txt", "premier.league.143.txt"],
    "mo-best-dressed": ["michelle.obama.122.txt", "michelle.obama.123.txt"],
    "mo-vogue-cover": ["michelle.obama.138.txt", "michelle.obama.139.txt"],
    "mo-lgbt-delegates": ["michelle.obama.111.txt", "michelle.obama.113.txt"],
    "mo-2008-attacks": ["michelle.obama.70.txt", "michelle.obama.73.txt", "michelle.obama.9.txt"],
    "mh370-first-leads": ["malaysia.airlines.flight.10.txt", "malaysia.airlines.flight.29.txt", "malaysia.airlines.flight.34.txt"],
    "mh370-search-doubts": ["malaysia.airlines.flight.18.txt", "malaysia.airlines.flight.134.txt", "malaysia.airlines.flight.98.txt"],
    "mh370-legal-claims": ["malaysia.airlines.flight.223.txt", "malaysia.airlines.flight.225.txt", "malaysia.airlines.flight.230.txt"],
    "mh370-india-search": ["malaysia.airlines.flight.75.txt", "malaysia.airlines.flight.76.txt"],
    "mh370-search-cost": ["malaysia.airlines.flight.22.txt", "malaysia.airlines.flight.71.txt"],
    "paris-prior-warnings": ["ParisAttacks2015 (14).txt", "ParisAttacks2015 (21).txt"],
    "paris-abdeslam-hunt": ["ParisAttacks2015 (28).txt", "ParisAttacks2015 (12).txt"],
    "paris-border-checks": ["ParisAttacks2015 (25).txt", "ParisAttacks2015 (5).txt"],
    "paris-stade-de-france": ["ParisAttacks2015 (17).txt", "ParisAttacks2015 (18).txt", "ParisAttacks2015 (19).txt"],
    "paris-bataclan": ["ParisAttacks2015 (20).txt", "ParisAttacks2015 (13).txt", "ParisAttacks2015 (2).txt"],
    "paris-plotters": ["ParisAttacks2015 (30).txt", "ParisAttacks2015 (31).txt"],
    "paris-hollande-response": ["ParisAttacks2015 (33).txt", "ParisAttacks2015 (32).txt"],
    "greece-austerity-2011": ["debt.crisis.greece.207.txt", "debt.crisis.greece.81.txt"],
}

# Third list, made when the first two (65 stories) held 19 with a dispute: the remaining one-event groups the headlines
# allow (same rule), sorted and shuffled with random.Random(1717), read in that order after the second list.
WIKIREF_GROUPS_3 = {
    "paris-first-night": ["ParisAttacks2015 (1).txt", "ParisAttacks2015 (15).txt", "ParisAttacks2015 (16).txt"],
    "paris-isis-network": ["ParisAttacks2015 (22).txt", "ParisAttacks2015 (11).txt"],
    "mh370-debris-images": ["malaysia.airlines.flight.83.txt", "malaysia.airlines.flight.25.txt"],
    "mo-genealogy": ["michelle.obama.12.txt", "michelle.obama.15.txt"],
    "mo-world-stage-china": ["michelle.obama.130.txt", "michelle.obama.101.txt"],
    "pl-home-grown-rules": ["premier.league.125.txt", "premier.league.133.txt"],
    "pl-scudamore-defends": ["premier.league.22.txt", "premier.league.5.txt"],
    "pl-bbc-highlights": ["premier.league.61.txt", "premier.league.68.txt"],
    "s5-google-touchwiz": ["samsung.galaxy.s5.29.txt", "samsung.galaxy.s5.30.txt"],
    "s5-active-sport": ["samsung.galaxy.s5.38.txt", "samsung.galaxy.s5.39.txt", "samsung.galaxy.s5.40.txt"],
    "s5-fingerprint": ["samsung.galaxy.s5.6.txt", "samsung.galaxy.s5.34.txt"],
}


def wikiref_order() -> list[str]:
    gold_text = "".join(t for n, t in _files_at_base().items() if n.endswith(".jsonl"))
    order = []
    for kind in ("noise", "main"):
        names = sorted(n for n, files in WIKIREF_GROUPS[kind].items()
                       if not any(f"wikiref220/{f}" in gold_text for f in files))
        random.Random(SEED).shuffle(names)
        order += [f"wikiref220:{n}" for n in names]
    names = sorted(n for n, files in WIKIREF_GROUPS_2.items() if not any(f"wikiref220/{f}" in gold_text for f in files))
    random.Random(SEED).shuffle(names)
    order += [f"wikiref220:{n}" for n in names]
    names = sorted(n for n, files in WIKIREF_GROUPS_3.items() if not any(f"wikiref220/{f}" in gold_text for f in files))
    random.Random(SEED).shuffle(names)
    return order + [f"wikiref220:{n}" for n in names]


def wikiref_files(name: str) -> list[str]:
    key = name.split(":", 1)[1]
    return WIKIREF_GROUPS["noise"].get(key) or WIKIREF_GROUPS["main"].get(key) or WIKIREF_GROUPS_2.get(key) or WIKIREF_GROUPS_3[key]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    used, pool = draw(args.data)
    print(f"excluded (referenced or named): {len(used)}; pool (>= 2 non-empty documents, unused): {len(pool)}")
    for k, cid in enumerate(pool):
        print(k, cid)
    for k, name in enumerate(wikiref_order(), start=len(pool)):
        print(k, name, wikiref_files(name))


if __name__ == "__main__":
    main()
