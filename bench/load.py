"""Load from wrk on 127.0.0.1: one page at a time, bounded in time, from a second process.

Each page is a Lua script that walks its own list of URLs (the same list on
every run), so a cache sees as many different articles as readers would ask
for. The proposal page posts the edit form and counts only the redirect that
means "proposal saved" (302) as a success.
"""

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

from .config import BENCH_DIR, PASSWORD

WRK = ["-t2", "-c8", "--latency", "--timeout", "30s"]
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
LUA = """
local paths = {paths}
local bodies = {bodies}
local offset = 0
local threads = {{}}
local n = 0
ok, other = 0, 0

function setup(thread)
  thread:set("start", offset)
  offset = offset + 7
  table.insert(threads, thread)
end

function request()
  n = n + 1
  local i = (start + n) % #paths + 1
  if bodies then
    return wrk.format("POST", paths[i], nil, bodies[i])
  end
  return wrk.format("GET", paths[i])
end
"""
LUA_POST = """
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

function response(status, headers, body)
  if status == 302 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local saved, refused = 0, 0
  for _, thread in ipairs(threads) do
    saved = saved + thread:get("ok")
    refused = refused + thread:get("other")
  end
  io.write(string.format("BENCH ok=%d other=%d\\n", saved, refused))
end
"""


@dataclass(frozen=True)
class Target:
    name: str
    base_url: str
    paths: list[str]
    cookie: str = ""
    bodies: list[str] | None = None  # form posts, one per path

    def script(self) -> Path:
        """The page's Lua script; URLs and url-encoded bodies are plain ASCII, JSON quotes them."""
        path = BENCH_DIR / "lua" / f"{self.name}.lua"
        path.parent.mkdir(exist_ok=True)
        bodies = _lua_list(self.bodies) if self.bodies else "nil"
        text = LUA.format(paths=_lua_list(self.paths), bodies=bodies)
        path.write_text(text + (LUA_POST if self.bodies else ""))
        return path


def _lua_list(items: list[str]) -> str:
    return "{" + ", ".join(json.dumps(item) for item in items) + "}"


@dataclass(frozen=True)
class Measure:
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    requests: int
    errors: int  # socket errors, timeouts and non-2xx/3xx; for posts, anything but a 302


def _ms(output: str, pattern: str) -> float | None:
    match = re.search(pattern + r"([\d.]+)(us|ms|s|m)\b", output, re.M)
    return float(match[1]) * UNITS[match[2]] if match else None


def _count(output: str, pattern: str) -> int:
    match = re.search(pattern, output)
    return int(match[1]) if match else 0


def parse(output: str) -> Measure:
    requests = _count(output, r"(\d+) requests in")
    seconds = (_ms(output, r"\d+ requests in ") or 1000.0) / 1000
    sockets = sum(map(int, re.findall(r"(?:connect|read|write|timeout) (\d+)", output)))
    if "BENCH ok=" in output:
        saved = _count(output, r"BENCH ok=(\d+)")
        rps, errors = saved / seconds, sockets + _count(output, r"BENCH ok=\d+ other=(\d+)")
    else:
        rps = requests / seconds
        errors = sockets + _count(output, r"Non-2xx or 3xx responses: (\d+)")
    if not requests:
        return Measure(0.0, None, None, 0, errors)
    p50, p99 = _ms(output, r"^\s+50%\s+"), _ms(output, r"^\s+99%\s+")
    return Measure(rps, p50, p99, requests, errors)


def wrk(target: Target, seconds: int) -> Measure:
    """One bounded wrk run against one page (the bare view when it has no script)."""
    command = [shutil.which("wrk") or "wrk", *WRK, f"-d{seconds}s"]
    if target.cookie:
        command += ["-H", f"Cookie: {target.cookie}"]
    if target.paths != ["/"] or target.bodies:
        command += ["-s", str(target.script())]
    result = subprocess.run(  # noqa: S603 - wrk, with arguments built here
        [*command, target.base_url + target.paths[0]],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    return parse(result.stdout)


def warm(target: Target) -> None:
    """Ask for each of the target's pages once: the load then meets caches as readers do.

    A wiki's cache is warm in steady state; without this, the first round of a page
    with 200 addresses would mostly measure the misses that fill it.
    """
    for path in target.paths:
        request = urllib.request.Request(target.base_url + path)  # noqa: S310 - 127.0.0.1
        if target.cookie:
            request.add_header("Cookie", target.cookie)
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=60):
            pass


def drain(url: str) -> None:
    """Wait until the server has worked off what the last run left queued (one more request).

    wrk stops after its time, but requests it sent are still in the server's queue; the
    next page must not pay for them. The queue is first come, first served.
    """
    with urllib.request.urlopen(url, timeout=120):  # noqa: S310 - 127.0.0.1
        pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def status(target: Target) -> int:
    """The status of the target's first request, as wrk will send it (redirects not followed)."""
    body = target.bodies[0].encode() if target.bodies else None
    request = urllib.request.Request(target.base_url + target.paths[0], data=body)  # noqa: S310
    if target.cookie:
        request.add_header("Cookie", target.cookie)
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def login(base_url: str, username: str) -> tuple[str, str]:
    """Sign in through the login form; the Cookie header wrk sends, and the CSRF secret."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base_url + "/accounts/login/", timeout=30) as response:  # noqa: S310
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise SystemExit("The login page has no CSRF token.")
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
    with opener.open(base_url + "/accounts/login/", urlencode(form).encode(), timeout=60):  # noqa: S310
        pass
    cookies = {cookie.name: cookie.value or "" for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"Could not sign in as {username}.")
    header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    return header, cookies["csrftoken"]


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def elapsed_since(started: float) -> str:
    return f"{time.monotonic() - started:5.0f} s"
