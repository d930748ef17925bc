"""Backfill throughput: articles per second, raw HTML to stored syntheses, in-process and on Dask.

    python bench/bench_backfill.py [--events 20] [--workers 1 2] [--profile]

The corpus: the first ``--events`` clusters of the Multi-News test sample (../shared/data, read in
place), each document wrapped as an HTML page of its own outlet with a publication time (a cluster's
pages an hour apart, clusters a day apart), written to a temporary folder and deleted afterwards.

Runs, one after another in this one process (so on the same machine load):

- Parallax in-process: ``Pipeline(store, runner=InProcessRunner()).ingest(runner.read([folder]))``
  into a new SQLite file: read, clean, dedup, group, store, synthesise every story;
- Parallax on a Dask LocalCluster of 1 and of 2 worker processes (``DaskRunner.local(n)``); the time
  counts from the cluster's start and is also given without the "start": the cluster's start and
  the loading of MiniLM and spaCy in every process (``DaskRunner.warm``; in-process, the same
  loading);
- a peer pipeline run the same three ways: trafilatura extracts each page, scikit-learn clusters
  (TF-IDF, agglomerative, cosine distance threshold), sumy LexRank summarises each cluster (5
  sentences), the articles and summaries are stored in SQLite. Extraction and LexRank are the
  parallel parts (Dask tasks), the clustering runs in one place.

Each Parallax run also reports its CPU seconds (this process, plus the Dask workers' processes read
through ``client.run``) per article: what the work costs whatever the shared machine's load, and the
driver's share of it (the sequential part).

``--profile`` adds a cProfile of the in-process run: the cumulative time of each stage and of the
heavy calls inside them (MiniLM, spaCy, pysbd). Speed is never asserted; figures go to
``bench/results/bench_backfill.json`` with the machine's load (the machine may be shared).
"""

from __future__ import annotations

import argparse
import cProfile
import html
import json
import os
import pstats
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, require_data, write_result

# -- corpus ---------------------------------------------------------------------------------------


def make_corpus(folder: Path, events: int) -> int:
    """Write the Multi-News documents of ``events`` clusters as HTML pages; return the page count."""
    data = require_data("multinews-test-sample250")
    if data is None:
        raise SystemExit(2)
    start = datetime(2024, 1, 1, 6, tzinfo=UTC)
    count = 0
    with (data / "test_sample250.jsonl").open(encoding="utf-8") as handle:
        for e, line in enumerate(handle):
            if e >= events:
                break
            cluster = json.loads(line)
            for k, doc in enumerate(d for d in cluster["documents"] if d.strip()):
                paragraphs = [p.strip() for p in re.split(r"\n\s*\n", doc) if p.strip()]
                title = paragraphs[0][:90] if paragraphs else cluster["id"]
                when = (start + timedelta(days=e, hours=k)).isoformat()
                body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
                page = (f"<html><head><title>{html.escape(title)}</title>"
                        f'<meta property="article:published_time" content="{when}">'
                        f'<meta property="og:site_name" content="Outlet {k + 1}"></head><body>'
                        f"<article>{body}</article></body></html>")
                (folder / f"{cluster['id']}-{k}.html").write_text(page, encoding="utf-8")
                count += 1
    return count


# -- Parallax ---------------------------------------------------------------------------------------


def run_parallax(folder: Path, db: Path, workers: int | None, *, warm: bool = True) -> dict[str, Any]:
    from parallax.pipeline import Pipeline
    from parallax.runners import InProcessRunner
    from parallax.settings import load
    from parallax.store import open_store

    settings = load(db=str(db))
    stages: dict[str, float] = {}

    def progress(stage: str, done: int, total: int | None) -> None:
        stages[stage] = time.perf_counter()

    began = time.perf_counter()
    runner: Any
    if workers is None:
        runner = InProcessRunner()
        if warm:
            from parallax.runners.dask import warm_models

            warm_models()
    else:
        from parallax.runners.dask import DaskRunner

        runner = DaskRunner.local(workers)
        runner.warm()
    started = time.perf_counter()
    driver_cpu = time.process_time()
    workers_cpu = _workers_cpu(runner)
    store = open_store(str(db))
    try:
        report = Pipeline(store, settings, progress=progress, runner=runner).ingest(runner.read([folder], settings))
        ended = time.perf_counter()
        driver_cpu = time.process_time() - driver_cpu
        workers_cpu = _workers_cpu(runner) - workers_cpu
        stored = store.conn.execute("SELECT COUNT(*) FROM stories WHERE synthesis IS NOT NULL").fetchone()[0]
    finally:
        store.close()
        if workers is not None:
            runner.close()
    marks = sorted(stages.items(), key=lambda kv: kv[1])
    costs, last = {}, started
    for stage, at in marks:
        costs[stage] = round(at - last, 2)
        last = at
    return {"articles": report.articles_added, "stories": len(report.stories_touched), "syntheses": stored,
            "seconds": round(ended - began, 2), "seconds_after_start": round(ended - started, 2),
            "start": round(started - began, 2), "stages": costs,
            "cpu_driver": round(driver_cpu, 2), "cpu_workers": round(workers_cpu, 2)}


def _process_cpu() -> float:
    return time.process_time()


def _workers_cpu(runner: Any) -> float:
    """CPU seconds used so far by the Dask workers' processes (0 in-process): the work done off the driver."""
    client = getattr(runner, "client", None)
    return sum(client.run(_process_cpu).values()) if client is not None else 0.0


# -- the peer: trafilatura + scikit-learn clustering + sumy LexRank --------------------------------

#: Below this load average at the start (the 1-minute figure), the machine counts as otherwise idle.
QUIET_LOAD = 1.0
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“'])")
_WORDS = re.compile(r"\w+")


def peer_extract(paths: list[str]) -> list[tuple[str, str]]:
    import trafilatura

    out = []
    for path in paths:
        text = trafilatura.extract(Path(path).read_text(encoding="utf-8")) or ""
        out.append((path, text))
    return out


class _RegexTokenizer:
    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [s for s in _SENTENCE.split(paragraph) if s.strip()]

    def to_words(self, sentence: str) -> list[str]:
        return _WORDS.findall(sentence)


def peer_summarise(texts: list[str]) -> str:
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    document = PlaintextParser.from_string("\n\n".join(texts), _RegexTokenizer()).document
    return " ".join(str(s) for s in summarizer(document, 5))


def run_peer(folder: Path, db: Path, workers: int | None) -> dict[str, Any]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    began = time.perf_counter()
    client = cluster = None
    if workers is not None:
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)
    started = time.perf_counter()
    try:
        files = sorted(str(p) for p in folder.glob("*.html"))
        chunks = [files[i : i + 16] for i in range(0, len(files), 16)]
        mapped: Callable[[Callable[..., Any], list[Any]], list[Any]]
        if client is None:
            mapped = lambda fn, items: [fn(x) for x in items]
        else:
            mapped = lambda fn, items: client.gather([client.submit(fn, x, pure=False) for x in items])
        extracted = [pair for chunk in mapped(peer_extract, chunks) for pair in chunk]
        texts = [t for _, t in extracted]
        matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).toarray()
        labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                         distance_threshold=0.8).fit_predict(matrix)
        groups: dict[int, list[int]] = {}
        for i, label in enumerate(labels):
            groups.setdefault(int(label), []).append(i)
        summaries = mapped(peer_summarise, [[texts[i] for i in members] for members in groups.values()])
        conn = sqlite3.connect(db)
        with conn:
            conn.execute("CREATE TABLE articles (path TEXT PRIMARY KEY, text TEXT, cluster INTEGER)")
            conn.execute("CREATE TABLE summaries (cluster INTEGER PRIMARY KEY, summary TEXT)")
            conn.executemany("INSERT INTO articles VALUES (?, ?, ?)",
                             [(p, t, int(labels[i])) for i, (p, t) in enumerate(extracted)])
            conn.executemany("INSERT INTO summaries VALUES (?, ?)", list(zip(groups, summaries)))
        conn.close()
        ended = time.perf_counter()
    finally:
        if client is not None:
            client.close()
            cluster.close()
    return {"articles": len(files), "stories": len(groups), "syntheses": len(summaries),
            "seconds": round(ended - began, 2), "seconds_after_start": round(ended - started, 2),
            "start": round(started - began, 2)}


# -- profile ----------------------------------------------------------------------------------------

#: (label, file fragment, function name) of the calls whose cumulative time the profile reports.
PROFILED = [
    ("clean (extraction, boilerplate)", "parallax/clean/__init__.py", "clean_documents"),
    ("grouping features (featurize)", "parallax/stories.py", "featurize"),
    ("  MiniLM in grouping", "parallax/stories.py", "featurize"),  # filled from the embed thread below
    ("  spaCy in grouping (_entities_of)", "parallax/stories.py", "_entities_of"),
    ("dedup (_mark_copies)", "parallax/pipeline.py", "_mark_copies"),
    ("grouping (_group_and_store, in the write)", "parallax/pipeline.py", "_group_and_store"),
    ("synthesis (all stories)", "parallax/synthesis/__init__.py", "synthesize"),
    ("  per-article analysis (_article_parts)", "parallax/synthesis/analysis.py", "_article_parts"),
    ("  spaCy, all calls (extract_entities)", "parallax/text/entities.py", "extract_entities"),
    ("  pysbd sentence splitting (split_sentences)", "parallax/text/sentences.py", "split_sentences"),
    ("  MiniLM in synthesis (_embed)", "parallax/synthesis/analysis.py", "_embed"),
]


def profile_parallax(folder: Path, db: Path) -> dict[str, Any]:
    """The profile, in a new process (this one's caches are warm from the runs before)."""
    import subprocess

    done = subprocess.run([sys.executable, __file__, "--profile-only", str(folder), str(db)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _profile_here(folder: Path, db: Path) -> dict[str, Any]:
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    try:
        run_parallax(folder, db, None, warm=False)  # cold, models loaded inside
    finally:
        profiler.disable()
    total = time.perf_counter() - began
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    found: dict[str, float] = {}
    for label, fragment, name in PROFILED:
        if label.strip().startswith("MiniLM in grouping"):
            continue  # embeddings of grouping run in a worker thread, which cProfile does not see
        seconds = sum(v[3] for (file, _, func), v in stats.items() if func == name and file.endswith(fragment))
        found[label] = round(seconds, 2)
    # extract_entities is called by grouping and by synthesis: split it by caller.
    for (file, _, func), v in stats.items():
        if func == "extract_entities" and file.endswith("parallax/text/entities.py"):
            for (cfile, _, cfunc), cv in v[4].items():
                found[f"    spaCy called by {cfunc}"] = round(found.get(f"    spaCy called by {cfunc}", 0) + cv[3], 2)
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"total": round(total, 2), "cpu": round(usage.ru_utime + usage.ru_stime, 2), "calls": found}


# -- main -------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20, help="Multi-News clusters (about 2.7 pages each)")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2], help="Dask worker counts to run")
    parser.add_argument("--profile", action="store_true", help="add a cProfile of the in-process run")
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument("--profile-only", nargs=2, metavar=("FOLDER", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.profile_only:
        print(json.dumps(_profile_here(Path(args.profile_only[0]), Path(args.profile_only[1]))))
        return 0
    load_before = os.getloadavg()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="parallax-backfill-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        pages = make_corpus(folder, args.events)
        runs: list[tuple[str, Callable[[], dict[str, Any]]]] = [
            ("parallax in-process", lambda: run_parallax(folder, Path(tmp) / "p0.db", None))]
        runs += [(f"parallax dask {n} worker{'s' if n > 1 else ''}",
                  lambda n=n: run_parallax(folder, Path(tmp) / f"p{n}.db", n)) for n in args.workers]
        if not args.skip_peer:
            runs.append(("peer in-process", lambda: run_peer(folder, Path(tmp) / "q0.db", None)))
            runs += [(f"peer dask {n} worker{'s' if n > 1 else ''}",
                      lambda n=n: run_peer(folder, Path(tmp) / f"q{n}.db", n)) for n in args.workers]
        for name, run in runs:
            result = run()
            result["load_before"] = round(os.getloadavg()[0], 1)
            result["articles_per_s"] = round(result["articles"] / result["seconds"], 2)
            result["articles_per_s_after_start"] = round(result["articles"] / result["seconds_after_start"], 2)
            if "cpu_driver" in result:
                cpu = result["cpu_driver"] + result["cpu_workers"]
                result["cpu_s_per_article"] = round(cpu / max(1, result["articles"]), 3)
                result["cpu_driver_s_per_article"] = round(result["cpu_driver"] / max(1, result["articles"]), 3)
            results[name] = result
            print(name, json.dumps(result), file=sys.stderr, flush=True)
        profile = profile_parallax(folder, Path(tmp) / "prof.db") if args.profile else None
    load_after = os.getloadavg()

    metrics = {f"{name.replace(' ', '_')}_articles_per_s": r["articles_per_s"] for name, r in results.items()}
    lines = [
        "## Backfill throughput (raw HTML to stored syntheses)", "",
        (f"{pages} pages: the first {args.events} Multi-News test-sample clusters as HTML, one outlet per "
        "document. One run after another in one process. "
        + (f"The machine was otherwise idle (load average {load_before[0]:.1f} at the start, "
           f"{load_after[0]:.1f} at the end, on {os.cpu_count()} cores, the benchmark's own load included)."
           if load_before[0] < QUIET_LOAD else
           "**The machine was shared and loaded** "
           f"(load average {load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end, on "
           f"{os.cpu_count()} cores): these are not the issue's clean measurement, only a comparison made "
           "under the same load.")), "",
        "| run | articles | stories | syntheses | seconds (with cluster start) | articles/s | articles/s after start | load before |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        lines.append(f"| {name} | {r['articles']} | {r['stories']} | {r['syntheses']} | {r['seconds']} "
                     f"({r['start']} start) | {r['articles_per_s']} | {r['articles_per_s_after_start']} | {r['load_before']} |")
    one, two = results.get("parallax dask 1 worker"), results.get("parallax dask 2 workers")
    if one and two:
        speedup = round(two["articles_per_s_after_start"] / one["articles_per_s_after_start"], 2)
        metrics["parallax_dask_2_over_1_worker"] = speedup
        lines += ["", f"Dask, 2 workers over 1 (articles/s after the start): **{speedup}x** (goal >= 1.7x)."]
    cpu_rows = {n: r for n, r in results.items() if "cpu_s_per_article" in r}
    if cpu_rows:
        lines += ["", ("CPU seconds after the start (this process, the driver, plus the Dask workers' processes): "
                  "what the work costs whatever the load. Articles/s per free core is 1 / CPU per article: "
                  "in-process uses about one core, so that is its bound; N Dask workers on N free cores are "
                  "bounded by N times it and by the driver (1 / driver CPU per article), whose share is "
                  "the sequential part (dedup, grouping, the write) plus the Dask client's own work:"), "",
                  "| run | CPU s | of which driver | CPU s per article | driver CPU s per article | articles/s per free core |",
                  "|---|---:|---:|---:|---:|---:|"]
        for name, r in cpu_rows.items():
            lines.append(f"| {name} | {r['cpu_driver'] + r['cpu_workers']:.2f} | {r['cpu_driver']} | "
                         f"{r['cpu_s_per_article']} | {r['cpu_driver_s_per_article']} | "
                         f"{1 / max(r['cpu_s_per_article'], 1e-9):.2f} |")
            metrics[f"{name.replace(' ', '_')}_cpu_s_per_article"] = r["cpu_s_per_article"]
    staged = {n: r["stages"] for n, r in results.items() if "stages" in r}
    if staged:
        lines += ["", "Seconds per stage (from the pipeline's progress marks; `read` overlaps `clean` in-process):", "",
                  "| run | " + " | ".join(next(iter(staged.values()))) + " |",
                  "|---|" + "---:|" * len(next(iter(staged.values())))]
        for name, stages in staged.items():
            lines.append(f"| {name} | " + " | ".join(str(v) for v in stages.values()) + " |")
    if profile:
        lines += ["", (f"cProfile of the in-process run ({profile['total']} s under the profiler; cumulative "
                  "seconds, nested rows are inside the row above; MiniLM of grouping runs in a thread the "
                  "profiler does not see):"), "", "| call | seconds | share |", "|---|---:|---:|"]
        for label, seconds in profile["calls"].items():
            lines.append(f"| {label} | {seconds} | {100 * seconds / profile['total']:.0f} % |")
        metrics["profile_total_s"] = profile["total"]
    lines += ["", f"Machine: {machine()}."]
    command = "python bench/bench_backfill.py " + " ".join(argv if argv is not None else sys.argv[1:])
    lines += ["", f"Command: `{command.strip()}`"]
    markdown = "\n".join(lines) + "\n"
    write_result("bench_backfill", {**metrics, "results": results, "profile": profile}, markdown,
                 command=command.strip())
    print(markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
