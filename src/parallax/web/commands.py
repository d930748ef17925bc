"""CLI commands of the web app: ``parallax serve`` and ``parallax users add|list``.

``register(app)`` adds them to the ``parallax`` command (see ``cli.py``).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

users_app = typer.Typer(help="Accounts for multi-user mode (PARALLAX_MULTI_USER=1).", no_args_is_help=True)

DbOption = Annotated[
    str | None, typer.Option("--db", help="Database file (default: PARALLAX_DB or ./parallax.db).")
]


def _console() -> Console:
    return Console(stderr=True, highlight=False)


def _settings(**overrides: object):
    from ..errors import ParallaxError
    from ..settings import load

    try:
        return load(**overrides)
    except ParallaxError as exc:
        _console().print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None


def _store(db: str | None, settings, *, create: bool = False):
    from ..cli import _open

    return _open(db, settings, create=create)


def serve(
    db: DbOption = None,
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on (PARALLAX_HOST).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on (PARALLAX_PORT).")] = None,
    multi_user: Annotated[bool | None, typer.Option(
        "--multi-user/--single-user", help="Require login (PARALLAX_MULTI_USER).")] = None,
) -> None:
    """Serve the web app and JSON API over the database (no feed polling: see `parallax run`)."""
    import uvicorn

    from .app import create_app

    err = _console()
    settings = _settings(db=db, host=host, port=port, multi_user=multi_user)
    store = _store(db, settings)
    if not settings.multi_user and settings.host not in {"127.0.0.1", "::1", "localhost"}:
        err.print("[yellow]warning:[/] single-user mode on a non-loopback address: everyone can read; "
                  "only this machine can change follows, picks and feeds. Use --multi-user for accounts.")
    if settings.multi_user and not [u for u in store.list_users() if u["username"] != "local"]:
        err.print("[yellow]warning:[/] multi-user mode without accounts: add one with `parallax users add NAME --admin`")
    app = create_app(store, settings)
    err.print(f"serving http://{settings.host}:{settings.port}/ (Ctrl-C to stop)")
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning",
                            proxy_headers=True, forwarded_allow_ips="127.0.0.1")
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        raise typer.Exit(1)


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="The new account's user name.")],
    db: DbOption = None,
    admin: Annotated[bool, typer.Option("--admin", help="Let this account manage feeds.")] = False,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from standard input instead of prompting.")] = False,
) -> None:
    """Create an account (argon2 password hash)."""
    from ..errors import ParallaxError
    from .actions import create_user

    err = _console()
    settings = _settings(db=db)
    store = _store(db, settings, create=True)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(store, username, password, role="admin" if admin else "reader")
    except ParallaxError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    err.print(f"added {user['username']} ({user['role']})")


@users_app.command("list")
def users_list(db: DbOption = None) -> None:
    """List the accounts."""
    settings = _settings(db=db)
    store = _store(db, settings)
    for user in store.list_users():
        if user["username"] != "local":
            typer.echo(f"{user['username']}\t{user['role']}\t{user['created_at']}")


def register(app: typer.Typer) -> None:
    """Add ``parallax serve`` and the ``parallax users`` group to ``app``."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
