"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a temporary folder, a free port
on 127.0.0.1, removed afterwards. Debian's binaries (``postgresql`` package); as root they run as the
``postgres`` user (initdb refuses root).

>>> cluster = PgCluster.start()  # doctest: +SKIP
>>> url = cluster.new_database()  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
TEMPLATE = "parallax_template"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unavailable() -> str | None:
    """Why no cluster can be started here, or None."""
    if not any((d / "initdb").exists() for d in BIN_DIRS) and not shutil.which("initdb"):
        return "PostgreSQL is not installed (apt-get install postgresql, or `make test` as root)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' user to run PostgreSQL as"
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError:
        return "psycopg or psycopg-pool is not installed (pip install 'psycopg[binary]' psycopg-pool)"
    return None


@dataclass
class PgCluster:
    folder: Path
    port: int
    bin: Path
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=180,
                              stdin=subprocess.DEVNULL)

    @property
    def base_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}"

    @classmethod
    def start(cls) -> PgCluster:
        bin_dir = next((d for d in BIN_DIRS if (d / "initdb").exists()), None)
        if bin_dir is None:
            bin_dir = Path(shutil.which("initdb") or "initdb").parent
        folder = Path(tempfile.mkdtemp(prefix="parallax-pg-"))
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        cluster = cls(folder, _free_port(), bin_dir)
        data = folder / "data"
        try:
            cluster._run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                         "--locale=C.UTF-8", "--no-sync")
            options = (f"-p {cluster.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            cluster._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "-t", "120",
                         "start")
            cluster._sql("postgres", f"CREATE DATABASE {TEMPLATE}")
            from parallax.store.postgres import PostgresStore

            PostgresStore(f"{cluster.base_url}/{TEMPLATE}", pool_size=1).close()
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _sql(self, database: str, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.base_url}/{database}", autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self) -> str:
        """A new, migrated, empty database; its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self._sql("postgres", f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return f"{self.base_url}/{name}"

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with contextlib.suppress(Exception):  # best effort: the whole cluster goes at the end
            self._sql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        data = self.folder / "data"
        if (data / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
            except subprocess.SubprocessError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)
