"""CLI commands of live sources: ``parallax run`` and ``parallax feeds add|list|remove|import|export|poll``.

``register(app)`` adds them to the ``parallax`` command (called by ``cli._register_extensions``).
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer

DEFAULT_OPML = "data/feeds.opml"

DbOption = Annotated[
    str | None, typer.Option("--db", help="Database file (default: PARALLAX_DB or ./parallax.db).")
]

feeds_app = typer.Typer(help="The feeds `parallax run` polls: add, list, remove, import, export.",
                        no_args_is_help=True)


def default_opml() -> bytes:
    """The default feed list shipped with Parallax (``parallax/data/feeds.opml``)."""
    return resources.files("parallax").joinpath(DEFAULT_OPML).read_bytes()


def _console() -> tuple[Any, Any]:
    from ..cli import err, out

    return out, err


def _settings(**overrides: Any) -> Any:
    from ..cli import _settings as load_settings

    return load_settings(**overrides)


def _store(db: str | None, settings: Any) -> Any:
    from ..cli import _open

    return _open(db, settings)


def _import_feeds(store: Any, items: list[dict[str, Any]]) -> tuple[int, int]:
    """Add feeds from OPML items; returns (added, already there)."""
    known = {f["url"] for f in store.list_feeds()}
    added = 0
    for item in items:
        if item["url"] not in known:
            added += 1
        store.add_feed(item["url"], title=item.get("title"))
        known.add(item["url"])
    return added, len(items) - added


def _read_opml_source(source: str, settings: Any, *, any_url: bool = False) -> list[dict[str, Any]] | None:
    """Feeds of an OPML file or URL; None when ``source`` is a URL that is not OPML (a feed).

    Without ``any_url`` only URLs ending in ``.opml`` are fetched (others are taken as feeds).
    """
    from ..errors import FetchError
    from .opml import OPMLError, parse_opml

    path = Path(source).expanduser()
    if source == "-" or path.exists():
        data = sys.stdin.buffer.read() if source == "-" else path.read_bytes()
        return parse_opml(data)
    if not source.lower().startswith(("http://", "https://")):
        raise typer.BadParameter(f"{source!r} is neither a file nor an http(s) URL")
    if not any_url and not source.lower().split("?")[0].endswith(".opml"):
        return None
    from .fetch import Fetcher
    from .robots import RobotsCache

    with Fetcher(settings) as fetcher:
        fetcher.robots = RobotsCache(fetcher)
        try:
            response = fetcher.get(source, accept=None)
        except FetchError as exc:
            raise typer.BadParameter(f"cannot fetch {source}: {exc}") from None
    if response.status != 200:
        raise typer.BadParameter(f"cannot fetch {source}: HTTP {response.status}")
    try:
        return parse_opml(response.content)
    except OPMLError:
        if any_url:
            raise
        return None


@feeds_app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="A feed URL, a site's page (its feed is discovered) or an article URL.")],
    title: Annotated[str | None, typer.Option("--title", help="The outlet's name.")] = None,
    page: Annotated[bool, typer.Option("--page", help="Add one article page, read once (no discovery).")] = False,
    db: DbOption = None,
) -> None:
    """Add a feed (fetched at the next poll of `parallax run` or `parallax feeds poll`)."""
    _, err = _console()
    if not url.lower().startswith(("http://", "https://")):
        err.print(f"[red]error:[/] {url!r} is not an http(s) URL")
        raise typer.Exit(2)
    settings = _settings(db=db)
    store = _store(db, settings)
    known = store.feed_by_url(url)
    feed = store.add_feed(url, title=title, kind="page" if page else "feed")
    verb = "already there" if known else "added"
    err.print(f"{verb}: feed {feed['id']} {feed['url']}")
    from .fetch import guard_refusal

    refusal = guard_refusal(url, settings)
    if refusal:
        err.print(f"[yellow]warning:[/] it will not be fetched: {refusal}")


@feeds_app.command("list")
def list_feeds(db: DbOption = None,
               as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False) -> None:
    """Every feed with its status: last and next fetch, entries taken, last error."""
    from rich.table import Table

    out, err = _console()
    settings = _settings(db=db)
    store = _store(db, settings)
    feeds = store.list_feeds()
    if as_json:
        keys = ("id", "url", "title", "site_url", "kind", "added_at", "last_fetch", "next_fetch", "last_status",
                "last_error", "entries", "failures")
        out.print(json.dumps({"feeds": [{k: f[k] for k in keys} for f in feeds]}, ensure_ascii=False), markup=False)
        return
    if not feeds:
        err.print("No feeds yet: `parallax feeds add URL` or `parallax feeds import FILE.opml`.")
        return
    table = Table(title=f"{len(feeds)} feeds")
    for column in ("id", "feed", "last fetch", "next fetch", "entries", "status"):
        table.add_column(column, overflow="fold")
    for f in feeds:
        if f["last_error"]:
            status = f"[red]{_escape(f['last_error'])}[/]"
        elif f["last_status"]:
            status = f"HTTP {f['last_status']}"
        else:
            status = "[dim]not fetched yet[/]"
        name = f"{_escape(f['title'])}\n[dim]{_escape(f['url'])}[/]" if f["title"] else _escape(f["url"])
        upcoming = _when(f["next_fetch"]) if f["next_fetch"] else ("done" if f["kind"] == "page" else "never")
        table.add_row(str(f["id"]), name, _when(f["last_fetch"]), upcoming, str(f["entries"]), status)
    out.print(table)


@feeds_app.command("remove")
def remove(feed: Annotated[str, typer.Argument(help="A feed id or URL.")], db: DbOption = None) -> None:
    """Forget a feed (its articles stay)."""
    _, err = _console()
    settings = _settings(db=db)
    store = _store(db, settings)
    row = store.feed(feed) if feed.isdigit() else store.feed_by_url(feed)
    if row is None or not store.remove_feed(row["id"]):
        err.print(f"[red]error:[/] no feed {feed!r}")
        raise typer.Exit(1)
    err.print(f"removed: feed {row['id']} {row['url']}")


@feeds_app.command("import")
def import_feeds(
    source: Annotated[str | None, typer.Argument(help="An OPML file, URL, or - for standard input.")] = None,
    default: Annotated[bool, typer.Option("--default", help="Import the default list shipped with Parallax.")] = False,
    db: DbOption = None,
) -> None:
    """Add the feeds of an OPML subscription list."""
    from ..errors import ParallaxError
    from .opml import parse_opml

    _, err = _console()
    if (source is None) == (not default):
        err.print("[red]error:[/] give an OPML file or URL, or --default")
        raise typer.Exit(2)
    settings = _settings(db=db)
    try:
        items = parse_opml(default_opml()) if default else _read_opml_source(source or "", settings, any_url=True)
    except (ParallaxError, typer.BadParameter) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    if items is None:
        err.print(f"[red]error:[/] {source} is not an OPML document")
        raise typer.Exit(1)
    store = _store(db, settings)
    added, known = _import_feeds(store, items)
    err.print(f"{added} feeds added, {known} already there")


@feeds_app.command("export")
def export(
    path: Annotated[Path | None, typer.Argument(help="Where to write the OPML (default: standard output).")] = None,
    db: DbOption = None,
) -> None:
    """Write every feed as OPML."""
    from .opml import to_opml

    settings = _settings(db=db)
    store = _store(db, settings)
    data = to_opml(f for f in store.list_feeds() if f["kind"] == "feed")
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        path.write_bytes(data)


@feeds_app.command("poll")
def poll(db: DbOption = None,
         all_feeds: Annotated[bool, typer.Option("--all", help="Poll every feed, due or not.")] = False) -> None:
    """Poll the feeds that are due once, process new articles, print what each feed did."""
    from .poller import Poller

    _out, err = _console()
    settings = _settings(db=db)
    store = _store(db, settings)
    poller = Poller(store, settings)
    from ..priority import yield_cpu

    yield_cpu(settings)  # batch work, all of this command (its fetch threads inherit it)
    try:
        if all_feeds:
            for feed in store.list_feeds():
                poller.poll_soon(feed["id"])
        results = poller.poll_once()
    finally:
        poller.stop()
    for result in results:
        _print_result(result)
    added = sum(r.articles_added for r in results)
    err.print(f"{len(results)} feed{'' if len(results) == 1 else 's'} polled, "
              f"{added} new article{'' if added == 1 else 's'}")
    if results and all(r.outcome == "error" for r in results):
        err.print("[red]error:[/] every feed polled failed")
        raise typer.Exit(1)


def _when(stamp: str | None) -> str:
    """A stored UTC timestamp as a short relative time (``3m ago``, ``in 2h``)."""
    from datetime import UTC, datetime

    if not stamp:
        return "-"
    seconds = (datetime.fromisoformat(stamp) - datetime.now(UTC)).total_seconds()
    size = abs(seconds)
    for unit, span in (("d", 86_400), ("h", 3_600), ("m", 60)):
        if size >= span:
            text = f"{size / span:.0f}{unit}"
            break
    else:
        return "now" if size < 5 else (f"in {size:.0f}s" if seconds > 0 else f"{size:.0f}s ago")
    return f"in {text}" if seconds > 0 else f"{text} ago"


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def _print_news(result: Any) -> None:
    """While running: a line per failed poll and per poll that brought new entries."""
    if result.error or result.new_entries:
        _print_result(result)


def _print_result(result: Any) -> None:
    _, err = _console()
    if result.error:
        err.print(f"[yellow]feed {result.feed_id}[/] {_escape(result.url)}: [red]{_escape(result.error)}[/]",
                  soft_wrap=True)
    else:
        err.print(f"feed {result.feed_id} {_escape(result.url)}: {result.outcome}, {result.new_entries} new entries, "
                  f"{result.articles_added} articles added", soft_wrap=True)


def _quiet_exit_server() -> type:
    """A uvicorn server that stops on SIGINT/SIGTERM and then exits normally (status 0)."""
    import uvicorn

    class QuietExitServer(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            # uvicorn re-raises the signal after its graceful shutdown (status 130 / killed by
            # SIGTERM); Parallax shuts the poller down after the server and exits 0 instead
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            previous = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

    return QuietExitServer


def run(
    feeds: Annotated[list[str] | None, typer.Option(
        "--feeds", help="OPML files or URLs, or feed URLs, to add before starting (repeatable).")] = None,
    db: DbOption = None,
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on (PARALLAX_HOST).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on (PARALLAX_PORT).")] = None,
    no_default: Annotated[bool, typer.Option(
        "--no-default", help="Do not import the default feed list into an empty database.")] = False,
) -> None:
    """Poll the feeds, turn new articles into stories, and serve the web app, until Ctrl-C."""
    import uvicorn

    from ..errors import ParallaxError
    from ..web.app import create_app
    from .opml import parse_opml
    from .poller import Poller

    _, err = _console()
    settings = _settings(db=db, host=host, port=port)
    store = _store(db, settings)
    for source in feeds or []:
        try:
            items = _read_opml_source(source, settings)
        except (ParallaxError, typer.BadParameter) as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2) from None
        if items is None:
            store.add_feed(source)
        else:
            _import_feeds(store, items)
    if not store.list_feeds() and not no_default:
        added, _ = _import_feeds(store, parse_opml(default_opml()))
        err.print(f"imported the default list: {added} feeds")
    poller = Poller(store, settings, on_result=_print_news)
    app = create_app(store, settings, poller=poller)
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning", lifespan="on")
    server = _quiet_exit_server()(config)
    err.print(f"polling {len(store.list_feeds())} feeds; serving http://{settings.host}:{settings.port}/ "
              "(Ctrl-C to stop)")
    poller.start()
    try:
        server.run()  # handles SIGINT and SIGTERM: returns after a graceful shutdown
    finally:
        poller.stop()
        err.print("stopped")
    if not server.started:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``parallax run`` and the ``parallax feeds`` group to ``app``."""
    app.command("run")(run)
    app.add_typer(feeds_app, name="feeds")
