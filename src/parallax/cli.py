"""The ``parallax`` command line: parses arguments and renders; the work lives elsewhere.

Exit status: 0 when anything was processed (rejections are listed), 1 when nothing could be read,
2 on a usage error.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .errors import ParallaxError
from .models import Rejected
from .settings import SETTINGS, Settings, load
from .wording import plural

app = typer.Typer(
    name="parallax",
    help="Read one news story through many outlets at once.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

Paths = Annotated[list[Path], typer.Argument(help="Files or directories (recursive) of articles.", show_default=False)]
DbOption = Annotated[
    str | None, typer.Option("--db", help="Database file or postgresql:// URL (default: PARALLAX_DB or ./parallax.db).")
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _settings(**overrides: Any) -> Settings:
    try:
        return load(**overrides)
    except ParallaxError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None


@contextmanager
def _progress(enabled: bool = True) -> Iterator[Any]:
    """A Rich progress bar on stderr (hidden when stderr is not a terminal or disabled)."""
    if not enabled or not err.is_terminal:
        yield lambda stage, done, total: None
        return
    bars: dict[str, Any] = {}
    with Progress(
        TextColumn("{task.description:>10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    ) as progress:

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in bars:
                bars[stage] = progress.add_task(stage, total=total)
            progress.update(bars[stage], completed=done, total=total)

        yield update


SQLITE_HEADER = b"SQLite format 3\x00"


def database_problem(url: str, *, create: bool) -> str | None:
    """Why the database ``url`` cannot be opened as asked, or None.

    A read-only command (``create=False``) on a missing file says so rather than creating an empty
    database; a file that is not an SQLite database is named as such rather than failing later.
    """
    if url.startswith(("postgresql://", "postgres://")) or url == ":memory:":
        return None
    path = Path(url.removeprefix("sqlite:///"))
    if path.is_dir():
        return f"{path} is a folder, not a database file"
    if not path.exists():
        if create:
            return None if path.parent.is_dir() else f"no such folder for the database: {path.parent}"
        return f"no database at {path} (build one with `parallax build PATH --db {path}`, or check --db)"
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}"
    if header and header != SQLITE_HEADER:
        return f"{path} is not a Parallax database (not an SQLite file)"
    return None


def _open(db: str | None, settings: Settings, *, create: bool = True):
    """The store named by ``--db`` (or the setting); exit 2 with one line when it is unusable."""
    import sqlite3

    from .store import open_store

    url = db or settings.db
    problem = database_problem(url, create=create)
    if problem:
        err.print(f"[red]error:[/] {problem}")
        raise typer.Exit(2)
    try:
        return open_store(url)
    except ParallaxError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    except sqlite3.DatabaseError as exc:
        err.print(f"[red]error:[/] {url} cannot be opened as a Parallax database: {exc}")
        raise typer.Exit(2) from None


def _print_rejections(rejected: list[Rejected]) -> None:
    for r in rejected:
        err.print(f"[yellow]rejected[/] {r.source}: {r.reason}")


@app.callback()
def main_callback(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what each stage does.")] = False,
) -> None:
    """Parallax: clean, de-duplicate, group and synthesise news coverage."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)


@app.command()
def clean(paths: Paths, as_json: JsonFlag = False) -> None:
    """Clean articles: body text and metadata, page noise removed."""
    from .clean import clean_documents
    from .sources.files import read_paths

    settings = _settings()
    items = list(read_paths(paths, settings))
    raw = [i for i in items if not isinstance(i, Rejected)]
    results = iter(clean_documents(raw, settings))
    good = 0
    for item in items:
        result = item if isinstance(item, Rejected) else next(results)
        if isinstance(result, Rejected):
            if as_json:
                out.print(json.dumps({"source": result.source, "error": result.reason}, ensure_ascii=False))
            else:
                err.print(f"[yellow]rejected[/] {result.source}: {result.reason}")
            continue
        good += 1
        record = result.to_dict()
        if as_json:
            keys = ("source", "url", "outlet", "title", "byline", "published", "placed", "text")
            out.print(json.dumps({k: record[k] for k in keys}, ensure_ascii=False), markup=False)
        else:
            out.rule(record["title"] or record["source"])
            record["published"] = record["published"] or _undated(record)
            meta = " · ".join(str(record[k]) for k in ("outlet", "byline", "published", "url") if record[k])
            if meta:
                out.print(meta, style="dim", markup=False)
            out.print(record["text"] + "\n", markup=False)
    if not good:
        raise typer.Exit(1)


@app.command()
def digest(
    paths: Paths,
    as_json: JsonFlag = False,
    summary_words: Annotated[int | None, typer.Option("--summary-words", min=10, help="Summary length.")] = None,
) -> None:
    """One-shot, no database: stories and their syntheses for the given files."""
    from .pipeline import digest as run_digest
    from .sources.files import read_paths

    settings = _settings(summary_words=summary_words)
    with _progress() as progress:
        doc = run_digest(read_paths(paths, settings), settings, progress=progress)
    if as_json:
        out.print(json.dumps(doc, ensure_ascii=False), markup=False)
    else:
        for story in doc["stories"]:
            _render_story(story, _members(story, doc["articles"]))
        _print_rejections([Rejected(r["source"], r["reason"]) for r in doc["rejected"]])
    if not doc["articles"]:
        raise typer.Exit(1)


WorkersOption = Annotated[int | None, typer.Option(
    "--workers", help="Run the parallel stages on a local Dask cluster of N processes (needs dask[distributed]).")]
SchedulerOption = Annotated[str | None, typer.Option(
    "--scheduler", help="Run the parallel stages on an existing Dask cluster (tcp://host:8786).")]


@contextmanager
def _runner(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """The in-process runner, or a Dask one for --workers / --scheduler (closed afterwards)."""
    if workers is None and scheduler is None:
        from .runners import InProcessRunner

        yield InProcessRunner()
        return
    if workers is not None and scheduler is not None:
        err.print("[red]error:[/] give --workers or --scheduler, not both")
        raise typer.Exit(2)
    from .runners.dask import DaskRunner

    try:
        runner = DaskRunner.local(workers) if workers is not None else DaskRunner.connect(scheduler or "")
    except ParallaxError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    with runner:
        yield runner


@app.command()
def build(paths: Paths, db: DbOption = None, workers: WorkersOption = None, scheduler: SchedulerOption = None) -> None:
    """Add articles to the database, updating stories and syntheses incrementally."""
    from .pipeline import Pipeline
    from .priority import yield_cpu

    settings = _settings(db=db)
    yield_cpu(settings)  # batch work: readers of the web app get the CPU first
    store = _open(db, settings)
    with _runner(workers, scheduler) as runner, _progress() as progress:
        try:
            report = Pipeline(store, settings, progress=progress, runner=runner).ingest(runner.read(paths, settings))
        except ParallaxError as exc:  # e.g. the database was grouped with another embedder
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2) from None
    _print_rejections(report.rejected)
    err.print(
        f"{plural(report.documents, 'document')}: {plural(report.articles_added, 'new article')} "
        f"({plural(report.duplicates, 'copy')}), {report.already_stored:,} already stored, "
        f"{len(report.rejected):,} rejected; {plural(len(report.stories_touched), 'story')} updated"
    )
    if report.processed == 0:
        raise typer.Exit(1)


@app.command()
def stories(db: DbOption = None, as_json: JsonFlag = False,
            limit: Annotated[int, typer.Option(min=1, help="How many stories.")] = 20) -> None:
    """The top stories in the database."""
    from .rank import rank_stories

    settings = _settings(db=db)
    store = _open(db, settings, create=False)
    ranked = rank_stories(store.list_stories(limit=100_000))
    top = ranked[:limit]
    if as_json:
        keys = ("id", "title", "article_count", "outlets", "updated")
        out.print(json.dumps({"stories": [{k: s[k] for k in keys} for s in top]}, ensure_ascii=False), markup=False)
        return
    if not top:
        err.print("No stories yet: add articles with `parallax build PATH`.")
        return
    title = "Top stories" if len(ranked) <= limit else f"Top stories: {limit:,} of {len(ranked):,} (--limit N for more)"
    table = Table(title=title, show_lines=False)
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("title")
    table.add_column("articles", justify="right")
    table.add_column("outlets")
    for s in top:
        outlets = ", ".join(s["outlets"][:4]) + (f" and {len(s['outlets']) - 4} more" if len(s["outlets"]) > 4 else "")
        table.add_row(s["id"], s["title"], str(s["article_count"]), outlets)
    out.print(table)


@app.command()
def show(story_id: Annotated[str, typer.Argument(help="A story id.")], db: DbOption = None,
         as_json: JsonFlag = False,
         show_all: Annotated[bool, typer.Option("--all", help="Print every quote, figure, date and entity "
                                                               "(the default cuts long lists and says how many more).")] = False) -> None:
    """One story's synthesis."""
    settings = _settings(db=db)
    store = _open(db, settings, create=False)
    live = store.resolve_story_id(story_id)
    body = store.story(live) if live else None
    if body is None:
        err.print(f"[red]error:[/] no story {story_id!r}")
        raise typer.Exit(1)
    if as_json:
        out.print(json.dumps(body, ensure_ascii=False), markup=False)
        return
    articles = {a.id: a.to_dict() for a in store.story_articles(live)}
    _render_story(body, articles, show_all=show_all, hint=f"parallax show {live} --all")


@app.command()
def search(query: Annotated[str, typer.Argument(help="Words to look for.")], db: DbOption = None,
           as_json: JsonFlag = False, limit: Annotated[int, typer.Option(min=1)] = 20) -> None:
    """Full-text search over articles."""
    from .store.queries import MATCH_END, MATCH_START

    settings = _settings(db=db)
    store = _open(db, settings, create=False)
    hits = store.search(query, limit=limit)
    total = _match_count(store, query, len(hits), limit)
    if as_json:
        for hit in hits:
            hit["snippet"] = hit["snippet"].replace(MATCH_START, "").replace(MATCH_END, "")
        out.print(json.dumps({"query": query, "total": total, "results": hits}, ensure_ascii=False), markup=False)
        return
    if not hits:
        err.print(f"Nothing matches {query!r}.")
        return
    shown = f"; the best {len(hits):,} below (--limit N for more)" if total > len(hits) else ""
    err.print(f"{plural(total, 'article')} {'matches' if total == 1 else 'match'} {query!r}{shown}.")
    for hit in hits:
        snippet = hit["snippet"].replace("[", "\\[").replace(MATCH_START, "[bold]").replace(MATCH_END, "[/bold]")
        out.print(f"[cyan]{hit['story_id'] or '-'}[/] {_escape(hit['title'] or '')} [dim]({_escape(_outlet_of(hit))})[/]")
        out.print(f"    {snippet}")


@app.command()
def migrate(
    source: Annotated[str, typer.Argument(help="The SQLite database file to copy.", show_default=False)],
    target: Annotated[str, typer.Argument(help="The database to copy it into (postgresql://user@host/db).",
                                          show_default=False)],
) -> None:
    """Copy a database (articles, stories, syntheses, state, feeds, readers) into another; safe to re-run."""
    from .store.transfer import copy_database

    settings = _settings()
    if source == target:
        err.print("[red]error:[/] the source and the target are the same database")
        raise typer.Exit(2)
    origin = _open(source, settings, create=False)
    destination = _open(target, settings)
    try:
        counts = copy_database(origin, destination)
    except ParallaxError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    finally:
        origin.close()
        destination.close()
    err.print("copied " + ", ".join(f"{n} {table}" for table, n in counts.items()) + f" into {destination.url}")


@app.command("settings")
def settings_command() -> None:
    """List every setting with its default and environment variable."""
    table = Table(title="Settings (override with PARALLAX_<NAME>)")
    for column in ("name", "default", "help"):
        table.add_column(column)
    for s in SETTINGS:
        table.add_row(f"PARALLAX_{s.name.upper()}", repr(s.default), s.help)
    out.print(table)


def _outlet_of(record: dict[str, Any]) -> str:
    """The outlet label of an article record, as the web app and feeds show it (clean.outlets)."""
    from .clean.outlets import outlet_label

    return outlet_label(record.get("outlet"), record.get("url"), record.get("source")) or "unknown"


def _undated(record: dict[str, Any]) -> str:
    """How an article without a date is shown: "undated", with the feed or file time that places it."""
    return f"undated (placed by its feed or file time, {record['placed'][:16]})" if record.get("placed") else "undated"


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def _match_count(store: Any, query: str, found: int, limit: int) -> int:
    """How many articles match ``query`` in all (counted only when the list was cut)."""
    if found < limit:
        return found
    return max(found, store.search_filtered(query, limit=1, count_cap=1_000_000)[1])


def _members(story: dict[str, Any], articles: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A digest story's articles: its own and their syndicated copies (what ``stories`` counts)."""
    ids = set(story["article_ids"])
    return {a["id"]: a for a in articles if a["id"] in ids or a.get("duplicate_of") in ids}


#: How many items of each list ``_render_story`` prints without ``--all``.
SHOWN = {"quotes": 10, "figures": 12, "timeline": 12, "entities": 15}


def _render_story(story: dict[str, Any], articles: dict[str, dict[str, Any]], *, show_all: bool = False,
                  hint: str = "--all") -> None:
    """One story for the terminal; ``articles`` are its articles and copies (by id)."""

    def outlets_of(ids: list[str]) -> str:
        names = sorted({_outlet_of(articles[i]) for i in ids if i in articles})
        return ", ".join(names)

    def cut(key: str) -> list[Any]:
        items = story[key]
        return items if show_all else items[: SHOWN[key]]

    def more(key: str, noun_singular: str) -> None:
        left = len(story[key]) - len(cut(key))
        if left > 0:
            out.print(f"  [dim]… {plural(left, 'more ' + noun_singular)} ({_escape(hint)})[/]")

    copies = sum(1 for a in articles.values() if a.get("duplicate_of"))
    undated = sum(1 for a in articles.values() if not a.get("published"))
    count = plural(len(articles) or len(story["article_ids"]), "article")
    if copies:
        count += f" ({plural(copies, 'syndicated copy')})"
    if undated:
        count += f", {undated:,} undated"
    out.rule(f"[bold]{_escape(story['title'])}[/]  [dim]{story['id']}[/]")
    out.print(f"[dim]{count} · {plural(len(story['outlets']), 'outlet')}: {_escape(', '.join(story['outlets']))}[/]")
    if story["summary"]:
        out.print("\n[bold]Summary[/]")
        for s in story["summary"]:
            out.print(f"• {_escape(s['text'])} [dim]({_escape(outlets_of(s['article_ids']))})[/]")
    contested = [c for c in story["claims"] if c["status"] == "contested"]
    if contested:
        out.print("\n[bold]Contested[/]")
        for c in contested:
            out.print(f"• {_escape(c['statement'])}")
            for p in c["positions"]:
                out.print(f"    {p['stance']:>8} {_escape(p['actor'] or '?')}: {_escape(p['text'])} "
                          f"[dim]({_escape(outlets_of(p['article_ids']))})[/]")
    if story["quotes"]:
        out.print("\n[bold]Quotes[/]")
        for q in cut("quotes"):
            out.print(f"• “{_escape(q['text'])}” — {_escape(q['speaker'] or 'unattributed')} "
                      f"[dim]({_escape(outlets_of(q['article_ids']))})[/]")
        more("quotes", "quote")
    if story["figures"]:
        out.print("\n[bold]Figures[/]")
        for f in cut("figures"):
            flag = " [red](disputed)[/]" if f.get("disagrees") else ""
            out.print(f"• {_escape(f['text'])} — {_escape(f['attributed_to'] or 'unattributed')}{flag}")
        more("figures", "figure")
    if story["timeline"]:
        out.print("\n[bold]Timeline[/]")
        for t in cut("timeline"):
            out.print(f"• {t['date']}: {_escape(t['text'])}")
        more("timeline", "dated event")
    if story["entities"]:
        names = ", ".join(f"{e['name']} ({e['kind']})" for e in cut("entities"))
        out.print(f"\n[bold]Entities[/] {_escape(names)}")
        more("entities", "entity")
    if articles:  # in time order: dated by their date, undated by their feed or file time
        out.print("\n[bold]Articles[/]")
        ordered = sorted(articles.values(), key=lambda a: (a.get("published") or a.get("placed") or "~", a["id"]))
        for a in ordered:
            when = (a["published"] or "")[:16] or _undated(a)
            copy = " [dim](copy)[/]" if a.get("duplicate_of") else ""
            out.print(f"• {_escape(_outlet_of(a))}: {_escape(a.get('title') or 'Untitled')} [dim]{_escape(when)}[/]{copy}")
    out.print()


def _register_extensions() -> None:
    """Commands that live with their subsystem (live sources, web) register themselves here."""
    from .sources.commands import register as register_sources
    from .web.commands import register as register_web

    register_sources(app)
    register_web(app)


_register_extensions()


def main() -> None:
    """Entry point of the ``parallax`` script."""
    try:
        app()
    except ParallaxError as exc:
        err.print(f"[red]error:[/] {exc}")
        sys.exit(1)


if __name__ == "__main__":
    main()
