"""What the machine does during a run: workers' memory, and CPU used by anyone else.

The bench shares two cores with whatever else runs (tests, a browser): the
figures mean little when something else takes a good share of the CPU, so the
run reports how much did.
"""

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return children


def _is_gunicorn(pid: int) -> bool:
    try:
        return "gunicorn" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return False


def _workers(root: int) -> list[int]:
    """gunicorn's workers under ``root``: the children of a gunicorn process (the master)."""
    children = _children()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        if _is_gunicorn(pid):
            found += children.get(pid, [])
    return found


def _peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class MemorySampler:
    """The highest resident memory any worker of a server reached (workers get recycled)."""

    root: int
    peak_kb: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self._stop.wait(0.5):
            for pid in _workers(self.root):
                self.peak_kb = max(self.peak_kb, _peak_kb(pid))

    @contextmanager
    def sampling(self) -> Iterator["MemorySampler"]:
        thread = threading.Thread(target=self.run, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()


def _ours(groups: list[int], markers: tuple[str, ...]) -> dict[int, int]:
    """CPU ticks, with reaped children's, of our processes: those in our process groups, and
    the database server's that serve the run (their command line has one of ``markers``)."""
    ticks = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid = int(stat.parent.name)
            ours = int(fields[2]) in groups  # pgrp
            if not ours and markers:
                command = (stat.parent / "cmdline").read_text(errors="replace")
                ours = any(marker in command for marker in markers)
        except (OSError, ValueError):
            continue
        if ours:
            ticks[pid] = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    mine = os.times()
    own = (mine.user, mine.system, mine.children_user, mine.children_system)
    ticks[os.getpid()] = int(sum(own) * os.sysconf("SC_CLK_TCK"))
    return ticks


def _machine_ticks() -> tuple[int, int]:
    """(busy, all) ticks of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


@dataclass
class CpuShare:
    """The share of the machine's CPU that processes outside the bench used meanwhile."""

    groups: list[int]
    markers: tuple[str, ...] = ()  # in the command lines of database processes serving the run
    others: float = 0.0
    _start: tuple[int, int, dict[int, int]] = (0, 0, {})

    def __enter__(self) -> "CpuShare":
        self._start = (*_machine_ticks(), _ours(self.groups, self.markers))
        return self

    def __exit__(self, *exc: object) -> None:
        busy, total = _machine_ticks()
        start_busy, start_total, start_ours = self._start
        ours = sum(
            t - start_ours.get(pid, 0) for pid, t in _ours(self.groups, self.markers).items()
        )
        elapsed = total - start_total
        self.others = max(busy - start_busy - ours, 0) / elapsed if elapsed else 0.0
