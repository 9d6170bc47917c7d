"""The bench's own databases: one built per size, and a fresh copy of it for each run.

A run writes (proposals under load, sessions), so it serves a copy: every run
starts from the same data, and the next run skips the build. A marker (the
size, and a fingerprint of the code that shaped the rows) says whether a built
database can be reused. On PostgreSQL both are databases on the server that
DATABASE_URL names, never that database itself; on SQLite, files under
var/bench/ (found through FANWIKI_VAR_DIR, so the settings are the default
SQLite ones).
"""

import hashlib
import json
import shutil
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from .config import BENCH_DIR, ROOT

BUILD_NAME, RUN_NAME = "fanwiki_bench", "fanwiki_bench_run"
BUILDER = ("build", "citing", "config", "corpus", "history", "rows", "world")
SHAPING = ["apps/*/migrations/*.py", "apps/markup/*.py", *(f"bench/{m}.py" for m in BUILDER)]


def fingerprint() -> str:
    """Changes when a migration, the renderer or the builder changes: the rows would too."""
    digest = hashlib.sha256()
    for pattern in SHAPING:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]


class Store(Protocol):
    engine: str
    process_markers: tuple[str, ...]  # in the command lines of the server's processes serving us

    def marker(self) -> dict[str, object] | None: ...
    def reset(self) -> None: ...
    def mark(self, marker: dict[str, object]) -> None: ...
    def clone(self) -> None: ...
    def drop_clone(self) -> None: ...
    def environment(self, base: dict[str, str], *, run: bool) -> dict[str, str]: ...
    def size(self) -> str: ...


class SqliteStore:
    engine = "sqlite"
    process_markers: tuple[str, ...] = ()  # SQLite runs inside the workers

    def __init__(self) -> None:
        self.build_dir, self.run_dir = BENCH_DIR / "sqlite-build", BENCH_DIR / "sqlite-run"
        self.marker_path = self.build_dir / "marker.json"

    def marker(self) -> dict[str, object] | None:
        if not self.marker_path.exists():
            return None
        marker: dict[str, object] = json.loads(self.marker_path.read_text())
        return marker

    def reset(self) -> None:
        shutil.rmtree(self.build_dir, ignore_errors=True)
        self.build_dir.mkdir(parents=True)

    def mark(self, marker: dict[str, object]) -> None:
        self.marker_path.write_text(json.dumps(marker))

    def clone(self) -> None:
        self.drop_clone()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.build_dir / "fanwiki.sqlite3", self.run_dir / "fanwiki.sqlite3")

    def drop_clone(self) -> None:
        for path in self.run_dir.glob("fanwiki.sqlite3*"):
            path.unlink()

    def environment(self, base: dict[str, str], *, run: bool) -> dict[str, str]:
        env = {name: value for name, value in base.items() if name != "DATABASE_URL"}
        env["FANWIKI_VAR_DIR"] = str(self.run_dir if run else self.build_dir)
        return env

    def size(self) -> str:
        path = self.build_dir / "fanwiki.sqlite3"
        return f"{path.stat().st_size / 1e6:,.0f} MB" if path.exists() else "?"


class PostgresStore:
    engine = "postgresql"
    # The run's backends ("postgres: 15/main: postgres fanwiki_bench_run 127.0.0.1(…)"), and
    # the postmaster, which is charged the time of backends that exited: a recycled worker's.
    process_markers: tuple[str, ...] = (f" {RUN_NAME} ", "bin/postgres\x00-D")

    def __init__(self, url: str) -> None:
        self.url = url
        named = urlsplit(url).path.lstrip("/")
        if named in {BUILD_NAME, RUN_NAME}:
            raise SystemExit(f"DATABASE_URL names {named}, which the bench drops: name another.")

    def _url(self, name: str) -> str:
        return urlunsplit(urlsplit(self.url)._replace(path=f"/{name}"))

    def _admin(self, statement: sql.Composed) -> list[tuple[object, ...]]:
        """One statement on the server's maintenance database (CREATE and DROP need one)."""
        with psycopg.connect(self._url("postgres"), autocommit=True) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def marker(self) -> dict[str, object] | None:
        rows = self._admin(
            sql.SQL(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = {}"
            ).format(sql.Literal(BUILD_NAME))
        )
        text = rows[0][0] if rows else None
        return json.loads(text) if isinstance(text, str) and text.startswith("{") else None

    def reset(self) -> None:
        name = sql.Identifier(BUILD_NAME)
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        # template0: creating from template1 fails while anyone is connected to it.
        self._admin(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(name))

    def mark(self, marker: dict[str, object]) -> None:
        self._admin(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(BUILD_NAME), sql.Literal(json.dumps(marker))
            )
        )

    def clone(self) -> None:
        self.drop_clone()
        self._admin(
            sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                sql.Identifier(RUN_NAME), sql.Identifier(BUILD_NAME)
            )
        )

    def drop_clone(self) -> None:
        self._admin(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(RUN_NAME))
        )

    def environment(self, base: dict[str, str], *, run: bool) -> dict[str, str]:
        var = BENCH_DIR / ("postgresql-run" if run else "postgresql-build")
        url = self._url(RUN_NAME if run else BUILD_NAME)
        return {**base, "DATABASE_URL": url, "FANWIKI_VAR_DIR": str(var)}

    def size(self) -> str:
        query = sql.SQL("SELECT pg_database_size({})").format(sql.Literal(BUILD_NAME))
        return f"{int(str(self._admin(query)[0][0])) / 1e6:,.0f} MB"


def store_for(url: str) -> Store:
    if not url:
        return SqliteStore()
    if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit("The bench runs on SQLite or, with DATABASE_URL=postgres://…, PostgreSQL.")
    return PostgresStore(url)
