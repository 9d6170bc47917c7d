"""``python -m bench.run`` (``make bench``): build or reuse, serve, load, report.

Environment: BENCH_ARTICLES (default 10,000), BENCH_SECONDS per page per round
(default 5), BENCH_REBUILD=1 to build again, DATABASE_URL for PostgreSQL (the
bench uses databases of its own on that server). Each round loads the bare
view once and then every page, so the ceiling is measured beside the pages
without doubling the run: 12 pages x 2 x 3 rounds x 5 s alone would be six
minutes, more than the issue allows the whole 1,000-article run.
"""

import json
import os
import secrets
import subprocess
import sys
import time
from urllib.parse import urlencode

import redis

from . import load, report, servers
from .config import BENCH_DIR, FAN, MODERATOR, PAGES, POST_PAGES, ROOT, ROUNDS, Options
from .databases import Store, fingerprint, store_for
from .load import Measure, Target, progress
from .machine import CpuShare

NOT_PASSED_ON = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "DJANGO_SETTINGS_MODULE"}


def serving_env() -> dict[str, str]:
    """Production settings on plain HTTP at 127.0.0.1, for the build, the servers and the probes."""
    env = {name: value for name, value in os.environ.items() if name not in NOT_PASSED_ON}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",  # each server gets its own port's (bench.servers)
        WEB_CONCURRENCY="2",
        LOG_LEVEL="WARNING",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        # One client on 127.0.0.1 asks thousands of times a second: the abuse limits
        # would answer 429 (their middleware still runs, on the site and the bare view).
        RATELIMIT_ENABLE="false",
        # One fan's proposals pile up in the queue, far past the cap that protects reviewers.
        PENDING_PROPOSALS_CAP="0",
    )
    if not env.get("REDIS_URL") and redis_answers(BENCH_REDIS):
        # As in production (docs/deploy.md): the cache the workers share. A database of
        # its own, emptied first, so no page of an earlier run is served.
        redis.Redis.from_url(BENCH_REDIS).flushdb()
        env["REDIS_URL"] = BENCH_REDIS
    return env


BENCH_REDIS = "redis://127.0.0.1:6379/11"


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def python(module: str, env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def ensure_built(store: Store, options: Options, env: dict[str, str]) -> tuple[float, bool]:
    """The build's duration, and whether it ran now (False: the database of an earlier run)."""
    wanted = {"articles": options.articles, "fingerprint": fingerprint()}
    marker = store.marker() or {}
    if not options.rebuild and all(marker.get(key) == value for key, value in wanted.items()):
        progress(f"Reusing the {store.engine} bench database of {options.articles:,} articles.")
        return float(marker.get("build_seconds", 0.0)), False  # type: ignore[arg-type]
    why = "asked to" if options.rebuild else "size or code changed" if marker else "none yet"
    progress(f"Building {options.articles:,} articles on {store.engine} ({why})…")
    store.reset()
    started = time.monotonic()
    python(
        "bench.build",
        {**store.environment(env, run=False), "BENCH_ARTICLES": str(wanted["articles"])},
    )
    seconds = round(time.monotonic() - started, 1)
    store.mark({**wanted, "build_seconds": seconds})
    return seconds, True


def targets(site: str, measured: dict[str, object]) -> list[Target]:
    """Each page's target: its URLs, the cookie of who asks, the form posts."""
    fan, csrf = load.login(site, FAN)
    cookies = {"anonymous": "", "fan": fan, "moderator": load.login(site, MODERATOR)[0]}
    paths: dict[str, list[str]] = measured["paths"]  # type: ignore[assignment]
    posts: list[tuple[str, dict[str, object]]] = measured["proposals"]  # type: ignore[assignment]
    found = []
    for name, who in PAGES.items():
        if name in POST_PAGES:
            bodies = [urlencode({**data, "csrfmiddlewaretoken": csrf}) for _, data in posts]
            found.append(Target(name, site, [p for p, _ in posts], cookies[who], bodies))
        else:
            found.append(Target(name, site, paths[name], cookies[who]))
    for target in found:
        status = load.status(target)
        if status != (302 if target.bodies else 200):
            raise SystemExit(
                f"{target.name}: {target.paths[0]} answers {status}; see var/bench/site.log"
            )
    return found


def rounds(
    bare: Target, default: Target, pages: list[Target], seconds: int
) -> tuple[list[Measure], list[Measure], dict[str, list[Measure]]]:
    started = time.monotonic()
    for target in pages:
        if not target.bodies:
            load.warm(target)
    progress(f"caches warmed ({load.elapsed_since(started)})")
    bare_runs: list[Measure] = []
    default_runs: list[Measure] = []
    page_runs: dict[str, list[Measure]] = {target.name: [] for target in pages}
    for number in range(1, ROUNDS + 1):
        bare_runs.append(load.wrk(bare, seconds))
        load.drain(bare.base_url + "/")
        default_runs.append(load.wrk(default, seconds))
        load.drain(default.base_url + "/")
        for target in pages:
            page_runs[target.name].append(load.wrk(target, seconds))
            load.drain(target.base_url + "/healthz")
        summary = ", ".join(f"{name} {runs[-1].rps:.0f}" for name, runs in page_runs.items())
        elapsed = load.elapsed_since(started)
        progress(
            f"round {number}/{ROUNDS} ({elapsed}), req/s: bare {bare_runs[-1].rps:.0f}, "
            f"Django's default middleware {default_runs[-1].rps:.0f}, {summary}"
        )
    return bare_runs, default_runs, page_runs


def main() -> int:
    options = Options.from_env()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    store = store_for(options.database_url)
    env = serving_env()
    build_seconds, built = ensure_built(store, options, env)
    store.clone()
    run_env = store.environment(env, run=True)
    try:
        with servers.running(run_env) as (site, bare, default, sampler):
            progress(f"Serving at {site.url} (site) and {bare.url} (bare); measuring in-process…")
            out = BENCH_DIR / "inprocess.json"
            python("bench.inprocess", run_env, str(out))
            measured = json.loads(out.read_text())
            pages = targets(site.url, measured)
            groups = [site.process.pid, bare.process.pid, default.process.pid]
            with CpuShare(groups, store.process_markers) as cpu:
                bare_runs, default_runs, page_runs = rounds(
                    Target("bare", bare.url, ["/"]),
                    Target("default", default.url, ["/"]),
                    pages,
                    options.seconds,
                )
    finally:
        store.drop_clone()
    extras = {
        "engine": store.engine,
        "build_seconds": build_seconds,
        "built_this_run": built,
        "database_size": store.size(),
        "search_results": measured["search_results"],
        "diff_ms": round(measured["diff_ms"], 1),
        "edit_page_ms": round(measured["edit_page_ms"], 1),
        "worker_peak_mb": round(sampler.peak_kb / 1024, 1),
        "cpu_used_by_others": round(cpu.others, 3),
        "load": f"wrk -t2 -c8 --latency, {options.seconds} s per page per round, {ROUNDS} rounds",
        "cache": "redis" if env.get("REDIS_URL") else "local memory (per worker)",
    }
    result = report.summarise(
        bare_runs,
        default_runs,
        page_runs,
        measured["queries"],
        measured["queries_first_visit"],
        measured["data"],
        extras,
    )
    report.write(result)
    print(report.table(result))
    print(report.footer(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
