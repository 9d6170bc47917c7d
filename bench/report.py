"""The one table a run prints, and var/bench/report.json in the shape the issue fixes.

Each figure is the median of the rounds. ``ratio_to_bare`` is a page's
requests per second over the bare view's: the share of the machine's ceiling
(gunicorn, middleware, wrk on the same cores) that the page's own work leaves.
``middleware_ratio`` is the bare view's over the same view behind Django's
default middleware: what the project's own middleware leaves of Django's ceiling.
"""

import json
import statistics
from collections.abc import Sequence

from .config import REPORT
from .load import Measure


def _median(values: Sequence[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return round(statistics.median(known), 1) if known else None


def _figures(runs: list[Measure]) -> dict[str, object]:
    return {
        "rps": _median([run.rps for run in runs]) or 0.0,
        "p50_ms": _median([run.p50_ms for run in runs]),
        "p99_ms": _median([run.p99_ms for run in runs]),
        "errors": sum(run.errors for run in runs),
        "rounds_rps": [round(run.rps, 1) for run in runs],
    }


def summarise(
    bare: list[Measure],
    default: list[Measure],
    pages: dict[str, list[Measure]],
    queries: dict[str, int],
    first_visit: dict[str, int],
    data: dict[str, int],
    extras: dict[str, object],
) -> dict[str, object]:
    """The report: the issue's keys first, then what else a reader needs to trust it."""
    bare_figures = _figures(bare)
    bare_rps = float(bare_figures["rps"])  # type: ignore[arg-type]
    report_pages = {}
    for name, runs in pages.items():
        figures = _figures(runs)
        rps = float(figures["rps"])  # type: ignore[arg-type]
        report_pages[name] = {
            "rps": rps,
            "p50_ms": figures["p50_ms"],
            "p99_ms": figures["p99_ms"],
            "queries": queries[name],
            "ratio_to_bare": round(rps / bare_rps, 3) if bare_rps else None,
            "queries_first_visit": first_visit.get(name, queries[name]),
            "errors": figures["errors"],
            "rounds_rps": figures["rounds_rps"],
        }
    default_figures = _figures(default)
    default_rps = float(default_figures["rps"])  # type: ignore[arg-type]
    return {
        "data": data,
        "bare": bare_figures,
        "default_middleware": default_figures,
        "middleware_ratio": round(bare_rps / default_rps, 3) if default_rps else None,
        "pages": report_pages,
        **extras,
    }


def _cell(value: object, width: int, digits: int = 1) -> str:
    if value is None:
        return "—".rjust(width)
    if isinstance(value, float):
        return f"{value:,.{digits}f}".rjust(width)
    return str(value).rjust(width)


def table(report: dict[str, object]) -> str:
    pages: dict[str, dict[str, object]] = report["pages"]  # type: ignore[assignment]
    bare: dict[str, object] = report["bare"]  # type: ignore[assignment]
    head = f"{'page':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'queries':>10}{'× bare':>9}"
    lines = [head + f"{'errors':>8}", "-" * (len(head) + 8)]
    row = [_cell(bare["rps"], 9), _cell(bare["p50_ms"], 9), _cell(bare["p99_ms"], 9)]
    lines.append(f"{'bare view (ceiling)':<22}" + "".join(row) + " " * 10 + _cell(1.0, 9, 3))
    lines[-1] += _cell(bare["errors"], 8)
    default: dict[str, object] = report["default_middleware"]  # type: ignore[assignment]
    row = [_cell(default["rps"], 9), _cell(default["p50_ms"], 9), _cell(default["p99_ms"], 9)]
    lines.append(f"{'  Django default mw':<22}" + "".join(row) + " " * 10 + "         ")
    lines[-1] += _cell(default["errors"], 8)
    for name, page in pages.items():
        queries = f"{page['queries']}/{page['queries_first_visit']}"
        cells = [page["rps"], page["p50_ms"], page["p99_ms"]]
        lines.append(
            f"{name:<22}"
            + "".join(_cell(value, 9) for value in cells)
            + queries.rjust(10)
            + _cell(page["ratio_to_bare"], 9, 3)
            + _cell(page["errors"], 8)
        )
    return "\n".join(lines)


def footer(report: dict[str, object]) -> str:
    data: dict[str, int] = report["data"]  # type: ignore[assignment]
    built = "this run" if report["built_this_run"] else "an earlier run, reused"
    others = float(report["cpu_used_by_others"])  # type: ignore[arg-type]
    found: dict[str, str] = report["search_results"]  # type: ignore[assignment]
    return "\n".join(
        [
            "queries: on a URL's second request / on its first (in-process, Django's test",
            "  client; with a page cache, the first is the miss)",
            f"data: {data['articles']:,} articles, {data['revisions']:,} revisions on "
            f"{report['engine']} ({report['database_size']}); built in "
            f"{report['build_seconds']} s ({built})",
            "articles found: "
            + ", ".join(f"{page} {n}" for page, n in found.items())
            + " (a page lists 50)"
            + ("  <- a search found NOTHING" if "0" in found.values() else ""),
            f"review-page diff of a 50 kB article: {report['diff_ms']} ms "
            "(text_diff + uncited_statements, median of 5)",
            f"edit page GET, in-process: {report['edit_page_ms']} ms (median)",
            f"the project's middleware leaves {report['middleware_ratio']} of Django's default "
            "middleware's ceiling (bare view ÷ the same view behind Django's default list)",
            f"peak memory of a site worker: {report['worker_peak_mb']} MB (VmHWM)",
            f"load: {report['load']}; figures are medians of the rounds",
            f"CPU used by other processes during the load: {others:.0%} of the machine"
            + ("  <- NOISY: something else was running" if others > 0.1 else ""),
            "errors: all rounds; socket errors and non-2xx/3xx (proposals: anything but 302)",
            f"written to {REPORT.relative_to(REPORT.parents[2])}",
        ]
    )


def write(report: dict[str, object]) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2) + "\n")
