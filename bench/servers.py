"""The three servers a run loads, and the memory their workers reach.

The site runs exactly as deployed: ``make serve`` (collectstatic, migrate,
check --deploy, gunicorn). The bare server is the same gunicorn configuration
and settings with one tiny view (bench.bare_settings); the default server is
the bare one behind Django's default middleware instead of the project's
(bench.default_settings). Each runs in its own process group so stopping it
stops its workers, even when the run fails.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .config import BENCH_DIR, ROOT
from .machine import MemorySampler

BIN = ROOT / ".venv" / "bin"
STARTUP_SECONDS = 180


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tail(self, lines: int = 25) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def start(name: str, command: list[str], env: dict[str, str], port: int) -> Server:
    log = BENCH_DIR / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            command,
            cwd=ROOT,
            env={
                **env,
                "PORT": str(port),
                "SITE_URL": f"http://127.0.0.1:{port}",
                # gunicorn 27's control socket defaults to one path per user: one per server.
                "GUNICORN_CMD_ARGS": f"--control-socket {BENCH_DIR / name}.ctl",
            },
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: see stop()
        )
    return Server(name, port, process, log)


def wait_until_up(server: Server, path: str) -> None:
    """Until ``path`` answers 200; a server that exits or takes too long stops the run."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"The {server.name} server exited:\n{server.tail()}")
        try:
            with urllib.request.urlopen(server.url + path, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"The {server.name} server did not answer {path}:\n{server.tail()}")


def stop(server: Server) -> None:
    """Quick shutdown of the whole process group (make, gunicorn's master and its workers)."""
    if server.process.poll() is None:
        try:
            os.killpg(server.process.pid, signal.SIGINT)
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=15)
        except ProcessLookupError:
            pass


@contextmanager
def running(env: dict[str, str]) -> Iterator[tuple[Server, Server, Server, MemorySampler]]:
    """The servers, up and answering, and the site's workers' memory; always stopped on the
    way out."""
    make = [shutil.which("make") or "make", "--no-print-directory", "serve"]
    main = start("site", make, env, free_port())
    gunicorn = [str(BIN / "gunicorn"), "--config", "python:fanwiki.gunicorn"]
    ceilings: list[Server] = []
    try:
        wait_until_up(main, "/healthz")  # after collectstatic, which the bare servers' settings use
        for name, settings in (
            ("bare", "bench.bare_settings"),
            ("default", "bench.default_settings"),
        ):
            ceiling_env = {**env, "DJANGO_SETTINGS_MODULE": settings}
            ceilings.append(
                start(name, [*gunicorn, "fanwiki.wsgi:application"], ceiling_env, free_port())
            )
            wait_until_up(ceilings[-1], "/")
        with MemorySampler(main.process.pid).sampling() as sampler:
            yield main, ceilings[0], ceilings[1], sampler
    finally:
        stop(main)
        for server in ceilings:
            stop(server)
