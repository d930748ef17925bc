"""Web latency: p50/p95 of the top, story, search, entity, outlet and article pages, unfiltered and
filtered (time window, outlets, language), with 100,000 articles in SQLite (or, with --postgres, the top,
story and search pages in PostgreSQL).

The articles and stories are synthetic and written straight through the store
(``upsert_articles`` / ``save_story`` with a generated synthesis), not through the NLP pipeline,
which would take hours for 100,000 articles: the benchmark measures the web layer and the store's
queries, not extraction or synthesis. Texts are drawn from a Zipf-distributed vocabulary of
5,000 words plus a few topic words per story, so full-text search sees realistic posting lists.

The app is served by uvicorn on 127.0.0.1 in a thread and requested over HTTP with keep-alive, one
request at a time (the machine is shared). The first request of each page (cold: the front page
ranking is computed then and cached until the stories table changes) is reported apart.

Run: ``.venv/bin/python bench/bench_web.py [--articles 100000] [--requests 300] [--db PATH]``
(the generated database is kept in the system's temp folder and reused when it has the same size).
``--postgres`` runs it on PostgreSQL instead: ``--db postgresql://…`` (emptied first), or, without
``--db``, a throwaway cluster started for the run (``tests/pgcluster.py``: Debian's ``postgresql``
package, removed afterwards). Its figures are recorded as ``bench_web_postgres``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import check_floors, write_result

from parallax.models import (
    Article,
    Claim,
    Entity,
    Figure,
    OutletCoverage,
    Position,
    Quote,
    Story,
    SummarySentence,
    Synthesis,
    TimelineEvent,
)
from parallax.settings import load
from parallax.store import open_store

COMMAND = ".venv/bin/python bench/bench_web.py"
SEED = 20261123
VOCABULARY = 5000
OUTLETS = [f"Outlet {i:02d}" for i in range(60)]
PEOPLE = [f"{first} {last}" for first in ("Anna", "Olaf", "Maria", "Jens", "Ines", "Kofi", "Li", "Omar", "Sara",
                                          "Piotr") for last in ("Berg", "Duarte", "Nowak", "Mensah", "Chen", "Haddad",
                                                                "Lund", "Costa", "Ivanova", "Okafor")]
PLACES = ["Lisbon", "Berlin", "Nairobi", "Warsaw", "Lagos", "Seoul", "Lima", "Oslo", "Cairo", "Quito"]
LANGUAGES = ["en"] * 8 + ["de", "fr"]
SEARCHES = ["bridge", "government minister", "election results", "inflation", "harbour repairs", "zzyzx",
            "Anna Berg", "storm warning coast"]


def words(rng: random.Random) -> list[str]:
    """A vocabulary with a few real news words among synthetic ones."""
    real = ["government", "minister", "election", "results", "inflation", "bridge", "harbour", "repairs", "storm",
            "warning", "coast", "police", "court", "vote", "market", "energy", "prices", "talks", "ceasefire",
            "border", "troops", "health", "vaccine", "school", "strike", "union", "budget", "tax", "bank", "rates",
            "climate", "flood", "fire", "drought"]
    synthetic = [f"w{i:04d}" for i in range(VOCABULARY - len(real))]
    vocab = real + synthetic
    rng.shuffle(vocab)
    return vocab


def generate(db: Path | str, n_articles: int) -> dict[str, int]:
    """Write ``n_articles`` synthetic articles in stories of 1-12 articles (with copies) to ``db``."""
    rng = random.Random(SEED)
    vocab = words(rng)
    weights = [1 / (i + 1) for i in range(len(vocab))]
    store = open_store(str(db))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    made = stories = 0
    batch_articles: list[Article] = []
    batch_story_of: dict[str, str] = {}
    pending: list[tuple[Story, Synthesis, list[Article]]] = []

    def flush() -> None:
        nonlocal batch_articles, batch_story_of, pending
        with store.write():
            store.upsert_articles(batch_articles, story_of=batch_story_of)
            for story, synthesis, members in pending:
                store.save_story(story, synthesis, members)
        batch_articles, batch_story_of, pending = [], {}, []

    while made < n_articles:
        size = min(n_articles - made, rng.choice([1, 1, 2, 3, 4, 5, 6, 8, 12]))
        sid = f"s{stories:06d}"
        when = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 300))
        topic = rng.sample(vocab[:300], 3)
        person, place = rng.choice(PEOPLE), rng.choice(PLACES)
        title = f"{place}: {person} on {' '.join(topic)}"
        members: list[Article] = []
        for k in range(size):
            body = rng.choices(vocab, weights=weights, k=rng.randint(120, 260))
            body[5:5] = topic
            body[40:40] = person.split() + ["said", "in", place]
            text = " ".join(body).capitalize() + "."
            copy_of = members[0].id if k > 0 and rng.random() < 0.15 else None
            article = Article(id=f"a{made:07d}", source=f"bench#{made}", text=text,
                              url=f"https://outlet{k}.example/{sid}/{k}", outlet=rng.choice(OUTLETS),
                              title=title if k == 0 else f"{title} ({k})",
                              published=when + timedelta(minutes=17 * k), duplicate_of=copy_of,
                              language=rng.choice(LANGUAGES))
            members.append(article)
            made += 1
        canonical = [a for a in members if a.duplicate_of is None]
        ids = tuple(a.id for a in canonical)
        outlets = tuple(dict.fromkeys(a.outlet or "" for a in members))
        first = canonical[0]
        sentences = [s.strip() + "." for s in first.text.split(".") if s.strip()][:4] or [first.text[:200]]
        synthesis = Synthesis(
            story_id=sid, title=title, article_ids=ids, outlets=outlets,
            summary=tuple(SummarySentence(s[:300], ids[: 1 + i % len(ids)]) for i, s in enumerate(sentences)),
            quotes=(Quote(" ".join(topic), person, ids[:1]),),
            figures=(Figure(12.0, "million", "12 million", person, ids[:1], "cost", len(ids) > 1),
                     Figure(15.0, "million", "15 million", place, ids[-1:], "cost", len(ids) > 1)),
            claims=(Claim(f"{person} spoke about {topic[0]}.", "contested" if len(ids) > 2 else "agreed",
                          (Position(person, "asserts", " ".join(topic), ids[:1]),
                           Position(place, "disputes", topic[0], ids[-1:]))),),
            timeline=(TimelineEvent(when.date().isoformat(), f"{person} in {place}.", ids[:1]),),
            entities=(Entity(person, "person", size), Entity(place, "place", size)),
            coverage=tuple(OutletCoverage(o, tuple(a.id for a in canonical if a.outlet == o), when.isoformat())
                           for o in outlets),
            keywords=tuple(topic),
        )
        story = Story(id=sid, title=title, article_ids=ids, keywords=tuple(topic))
        batch_articles.extend(members)
        batch_story_of.update({a.id: sid for a in members})
        pending.append((story, synthesis, members))
        stories += 1
        if len(batch_articles) >= 2000:
            flush()
    flush()
    if str(db).startswith("postgresql://"):
        store.conn.execute("VACUUM ANALYZE")
    else:
        store.conn.execute("PRAGMA optimize")
    store.close()
    return {"articles": made, "stories": stories}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _server_cpu(store: object) -> float:
    """CPU seconds used so far by this process (app, store and client) and, on a local PostgreSQL
    server, by its backend processes (the children of its postmaster, read from /proc): the cost of
    the requests without the waiting for a core that a loaded machine adds to the wall time."""
    total = time.process_time()
    if not str(getattr(store, "url", "")).startswith("postgresql://"):
        return total
    try:
        data = store.query("SELECT setting FROM pg_settings WHERE name = 'data_directory'")[0][0]  # type: ignore[attr-defined]
        postmaster = Path(data, "postmaster.pid").read_text().split()[0]
        tick = os.sysconf("SC_CLK_TCK")
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == postmaster:  # ppid
                total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    except (OSError, IndexError, ValueError):
        pass
    return total


def measure(db: Path | str, requests: int) -> dict[str, dict[str, float]]:
    import httpx
    import uvicorn

    from parallax.web.app import create_app

    store = open_store(str(db))
    app = create_app(store, load(environ={}, secret_key="bench-" + "k" * 32))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    rng = random.Random(SEED + 1)
    ids = [r[0] for r in store.query("SELECT id FROM stories WHERE merged_into IS NULL")]
    article_ids = [r[0] for r in store.query("SELECT id FROM articles")]
    start = datetime(2026, 1, 1, tzinfo=UTC)

    def week() -> str:
        """A random 7-day custom window within the 300 days of the data (mostly a new one each time)."""
        day = start + timedelta(days=rng.randrange(0, 293))
        return f"window=custom&from={day:%Y-%m-%d}&to={day + timedelta(days=6):%Y-%m-%d}"

    def some_filter() -> str:
        """One of the front page's filters, drawn at random: a week, an outlet, or outlets left out and a language."""
        kind = rng.randrange(3)
        if kind == 0:
            return week()
        if kind == 1:
            return f"outlet={rng.choice(OUTLETS).replace(' ', '+')}"
        return (f"exclude={rng.choice(OUTLETS).replace(' ', '+')}&exclude={rng.choice(OUTLETS).replace(' ', '+')}"
                f"&lang={rng.choice(['de', 'fr'])}")
    results: dict[str, dict[str, float]] = {}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        plans = {
            "top": lambda i: "/",
            "story": lambda i: f"/stories/{rng.choice(ids)}",
            "search": lambda i: f"/search?q={SEARCHES[i % len(SEARCHES)]}",
            "api_stories": lambda i: "/api/stories",
            "api_story": lambda i: f"/api/stories/{rng.choice(ids)}",
            "entity": lambda i: f"/entities/{rng.choice(PEOPLE)}",
            "outlet": lambda i: f"/outlets/{rng.choice(OUTLETS)}",
            "article": lambda i: f"/articles/{rng.choice(article_ids)}",
            "top_filtered": lambda i: f"/?{some_filter()}",
            "api_stories_filtered": lambda i: f"/api/stories?{some_filter()}",
            "story_filtered": lambda i: f"/stories/{rng.choice(ids)}?exclude={rng.choice(OUTLETS).replace(' ', '+')}",
            "search_filtered": lambda i: f"/search?q={SEARCHES[i % len(SEARCHES)]}&{week() if i % 2 else 'lang=de'}",
            "entity_filtered": lambda i: f"/entities/{rng.choice(PEOPLE)}?{week()}",
            "outlet_filtered": lambda i: f"/outlets/{rng.choice(OUTLETS)}?lang={rng.choice(['de', 'fr'])}",
        }
        for name, path_of in plans.items():
            started = time.perf_counter()
            first = client.get(path_of(0))
            cold = (time.perf_counter() - started) * 1000
            assert first.status_code == 200, (name, first.status_code)
            timings = []
            cpu = _server_cpu(store)
            for i in range(requests):
                path = path_of(i)
                started = time.perf_counter()
                answer = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
                assert answer.status_code == 200, (path, answer.status_code)
            cpu_ms = (_server_cpu(store) - cpu) * 1000 / requests
            results[name] = {"cold_ms": round(cold, 1), "cpu_ms": round(cpu_ms, 1),
                             "p50_ms": round(percentile(timings, 50), 1),
                             "p95_ms": round(percentile(timings, 95), 1), "p99_ms": round(percentile(timings, 99), 1),
                             "mean_ms": round(statistics.fmean(timings), 1), "requests": requests}
        # the re-rank after the stories changed: done by a background thread while requests keep the
        # previous order, so it costs a core for this long but no request waits for it
        recompute = []
        for _ in range(3):
            started = time.perf_counter()
            app.state.web.top.compute(store)
            recompute.append((time.perf_counter() - started) * 1000)
        results["rank_recompute"] = {"p50_ms": round(percentile(recompute, 50), 1),
                                     "max_ms": round(max(recompute), 1), "requests": len(recompute)}
    server.should_exit = True
    thread.join(timeout=10)
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--db", default=None, help="a SQLite file, or with --postgres a postgresql:// URL")
    parser.add_argument("--postgres", action="store_true", help="measure the PostgreSQL store")
    args = parser.parse_args(argv)
    if args.postgres:
        return main_postgres(args)
    db = Path(args.db) if args.db else Path(tempfile.gettempdir()) / f"parallax-bench-web-v2-{args.articles}.db"  # v2: articles carry a language
    if db.exists():
        have = open_store(str(db)).stats()["articles"]
        if have != args.articles:
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
    generated_in = None
    if not db.exists():
        started = time.monotonic()
        generate(db, args.articles)
        generated_in = time.monotonic() - started
    stats = open_store(str(db)).stats()
    load_before = os.getloadavg()[0]
    results = measure(db, args.requests)
    load_after = os.getloadavg()[0]
    metrics: dict[str, float] = {"articles": stats["articles"], "stories": stats["stories"],
                                 "load_average_before": round(load_before, 2), "load_average_after": round(load_after, 2)}
    for page, figures in results.items():
        for key, value in figures.items():
            if key != "requests":
                metrics[f"{page}_{key}"] = value
    size_mb = sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists()) / 1e6
    rows = "\n".join(
        f"| `{page}` | {f.get('p50_ms')} | {f.get('p95_ms', '–')} | {f.get('p99_ms', '–')} | "
        f"{f.get('cold_ms', f.get('max_ms', '–'))} | {f.get('cpu_ms', '–')} |"
        for page, f in results.items()
    )
    paths = {"top": "`/`", "story": "`/stories/{id}` (random stories)", "search": "`/search?q=` (8 queries, "
             "common and rare words)", "api_stories": "`/api/stories`", "api_story": "`/api/stories/{id}`",
             "entity": "`/entities/{name}` (100 people, ~200 stories each)",
             "outlet": "`/outlets/{name}` (60 outlets)",
             "article": "`/articles/{id}` (random articles)",
             "top_filtered": "`/?...` with one random filter: a random 7-day custom window, one outlet, or two "
                             "outlets left out and a language (stories matching a filter are cached until the "
                             "stories change, 64 filters at most)",
             "api_stories_filtered": "`/api/stories?...`, the same filters",
             "story_filtered": "`/stories/{id}?exclude=...` (random stories, one outlet left out)",
             "search_filtered": "`/search?q=...` with a random 7-day window or `lang=de` (and the count of all matches)",
             "entity_filtered": "`/entities/{name}?window=custom&from=&to=` (a random week)",
             "outlet_filtered": "`/outlets/{name}?lang=de|fr`",
             "rank_recompute": "ranking every live story again after the stories changed (background thread, "
                               "not a request)"}
    legend = "\n".join(f"- `{k}`: {v}" for k, v in paths.items())
    markdown = f"""## Web latency (`bench_web.py`)

{stats['articles']:,} synthetic articles in {stats['stories']:,} stories in SQLite ({size_mb:.0f} MB), written
straight through the store (`upsert_articles` / `save_story` with generated syntheses), **not through the
NLP pipeline**: this measures the web app and the store's queries. uvicorn on 127.0.0.1, one request at a
time over HTTP keep-alive, {args.requests} requests per page after one cold request. Goal: p95 < 100 ms.
The machine is shared: its 1-minute load average was {load_before:.1f} before and {load_after:.1f} after the
run (2 cores), so figures include waiting for a core.

| page | p50 ms | p95 ms | p99 ms | cold (first) / max ms | CPU ms per request |
| --- | ---: | ---: | ---: | ---: | ---: |
{rows}

{legend}

The CPU column is the CPU time of the benchmark process (the app, the store, the HTTP client) and, on
PostgreSQL, of the server's backends, per request (mean): what a request costs without the waiting for
a core that the shared machine's load adds to the wall times.

The front page ranks every live story (`rank.py`, over the covering index `stories_listing`) and keeps
the order until the stories table changes; then one background thread ranks again while requests keep
the previous order (stale-while-revalidate). The cold column of `top` is the first request of the
process, which waits for the first ranking; `rank_recompute` is what each later re-rank costs.
{f"Database generated in {generated_in:.0f} s." if generated_in else "Database reused from an earlier run."}
"""
    write_result("bench_web", metrics, markdown, command=COMMAND)
    print(json.dumps(results, indent=2))
    return check_floors("bench_web", metrics)


def main_postgres(args: argparse.Namespace) -> int:
    """The same measurement on PostgreSQL: a fresh database filled by the same generator."""
    cluster = None
    url = args.db
    if url is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from pgcluster import PgCluster, unavailable

        reason = unavailable()
        if reason:
            print(f"cannot run on PostgreSQL: {reason}", file=sys.stderr)
            return 2
        cluster = PgCluster.start()
        url = cluster.new_database()
    try:
        started = time.monotonic()
        generate(url, args.articles)
        generated_in = time.monotonic() - started
        stats = open_store(url).stats()
        load_before = os.getloadavg()[0]
        results = measure(url, args.requests)
        load_after = os.getloadavg()[0]
    finally:
        if cluster is not None:
            cluster.stop()
    metrics: dict[str, float] = {"articles": stats["articles"], "stories": stats["stories"],
                                 "load_average_before": round(load_before, 2), "load_average_after": round(load_after, 2),
                                 "generated_seconds": round(generated_in, 1)}
    for page, figures in results.items():
        for key, value in figures.items():
            if key != "requests":
                metrics[f"{page}_{key}"] = value
    rows = "\n".join(
        f"| `{page}` | {f.get('p50_ms')} | {f.get('p95_ms', '–')} | {f.get('p99_ms', '–')} | "
        f"{f.get('cold_ms', f.get('max_ms', '–'))} | {f.get('cpu_ms', '–')} |"
        for page, f in results.items()
    )
    markdown = f"""## Web latency on PostgreSQL (`bench_web.py --postgres`)

{stats['articles']:,} synthetic articles in {stats['stories']:,} stories (the same generator as the SQLite run)
in PostgreSQL 15 (a throwaway local cluster, fsync off), the same pages and requests ({args.requests} per page).
Load average {load_before:.1f} before and {load_after:.1f} after (2 cores shared). Generated in {generated_in:.0f} s.

| page | p50 ms | p95 ms | p99 ms | cold (first) / max ms | CPU ms per request |
| --- | ---: | ---: | ---: | ---: | ---: |
{rows}

The CPU column is the CPU time of the benchmark process (the app, the store, the HTTP client) and, on
PostgreSQL, of the server's backends, per request (mean): what a request costs without the waiting for
a core that the shared machine's load adds to the wall times.
"""
    write_result("bench_web_postgres", metrics, markdown, command=COMMAND + " --postgres")
    print(json.dumps(results, indent=2))
    return check_floors("bench_web_postgres", metrics)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
