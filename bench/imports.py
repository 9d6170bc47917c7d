"""``python -m bench.imports`` (``make bench-import``): how fast import_mediawiki takes in a
fan wiki's full-history dump, and how much memory it holds, on SQLite and PostgreSQL.

A dump is written first (var/bench/import/): pages of an episode wiki, each with a
history of revisions by several authors, an infobox, {{cite …}} references (shared
between pages, as real wikis cite the same recaps), named references, categories, lists
and a table. Then, for each size and each engine, a fresh database is migrated and the
command imports the dump in a process of its own: its wall time and peak memory (the
process's maximum resident set) are measured from outside.

Environment: BENCH_IMPORT_SIZES (revisions, default "5000,50000"), BENCH_IMPORT_PER_PAGE
(revisions a page, default 10), DATABASE_URL for the PostgreSQL server (default
postgres://postgres@127.0.0.1:5432/; skipped when it does not answer).
"""

import gzip
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from xml.sax.saxutils import escape

from .config import BENCH_DIR, ROOT

OUT = BENCH_DIR / "import"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "fanwiki_bench_import"
SHOWS = ["The Office"]
TEMPLATES = ["Quote", "Main", "Spoiler"]


def page_text(page: int, revision: int) -> str:
    season, number = page // 25 + 1, page % 25 + 1
    shared = page % 40  # sources cited by many pages
    lines = []
    if page % 10 != 0:
        lines.append(
            f"{{{{Infobox episode\n| season = {season}\n| episode = {number}\n"
            f"| airdate = {{{{Start date|2006|{page % 12 + 1}|{page % 28 + 1}}}}}\n"
            f"| production = {season}{number:03d}\n}}}}"
        )
    lines.append(
        f"'''Episode {page}''' is episode {number} of season {season}."
        f'<ref name="recap">{{{{cite web |url=https://recaps.example.com/{shared} '
        f"|title=Recap {shared} |publisher=Recaps Weekly "
        f"|date=2006-05-{shared % 28 + 1:02d}}}}}</ref>"
    )
    lines.append("\n== Production ==")
    for sentence in range(revision + 1):
        lines.append(
            f"Fact {sentence} about the filming of episode {page}, written in revision "
            f"{sentence}.<ref>{{{{cite book |last=Author{sentence % 7} |first=A "
            f"|title=The Book {sentence % 5} |publisher=Dutton |year=2020 "
            f'|page={sentence * 3 + 1}}}}}</ref> Also seen in the recap.<ref name="recap"/>'
        )
    lines.append("\n== Trivia ==")
    lines += [f"* Trivia item {item} of episode {page}." for item in range(3)]
    lines.append("** A detail under it.")
    lines.append('{| class="wikitable"\n! Character !! Scene\n|-\n| Pam || Reception\n|}')
    if page % 5 == 0:
        lines.append(f"{{{{{TEMPLATES[page % len(TEMPLATES)]}|Something to look at}}}}")
    lines.append(f"[[Category:Season {season} episodes]]\n[[Category:Episodes|{page:05d}]]")
    return "\n".join(lines)


def write_dump(path: Path, revisions: int, per_page: int) -> None:
    pages = revisions // per_page
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=3) as out:
        out.write(
            '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" '
            'xml:lang="en">\n  <siteinfo>\n    <sitename>Bench Wiki</sitename>\n'
            "    <base>https://bench.example.org/wiki/Main_Page</base>\n  </siteinfo>\n"
        )
        revision_id = 0
        for page in range(pages):
            out.write(
                f"  <page>\n    <title>Episode {page}</title>\n    <ns>0</ns>\n"
                f"    <id>{page + 1}</id>\n"
            )
            for revision in range(per_page):
                revision_id += 1
                text = page_text(page, revision)
                digest = hashlib.sha1(text.encode()).hexdigest()  # noqa: S324
                out.write(
                    f"    <revision>\n      <id>{revision_id}</id>\n"
                    f"      <timestamp>2021-{page % 12 + 1:02d}-{revision % 28 + 1:02d}T"
                    f"{page % 24:02d}:00:00Z</timestamp>\n"
                    f"      <contributor><username>Fan {revision_id % 50}</username>"
                    f"<id>{revision_id % 50 + 1}</id></contributor>\n"
                    f"      <comment>Edit {revision}</comment>\n"
                    "      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
                    f'      <text xml:space="preserve">{escape(text)}</text>\n'
                    f"      <sha1>{digest}</sha1>\n    </revision>\n"
                )
            out.write("  </page>\n")
        out.write("</mediawiki>\n")


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, int, int, str]:
    """Run a command; its wall time (s), its own peak resident memory (MiB), the peak of
    it and its worker processes together (MiB, sampled every 0.2 s), and its output."""
    started = time.monotonic()
    with open(OUT / "last.log", "w") as log:
        process = subprocess.Popen(  # noqa: S603 - this project's own commands
            command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=log
        )
        peak_tree = [0]
        sampler = threading.Thread(target=_sample_tree, args=(process.pid, peak_tree), daemon=True)
        sampler.start()
        assert process.stdout is not None
        output = process.stdout.read().decode()
        _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed:\n{output}\n(see {OUT / 'last.log'})")
    return elapsed, usage.ru_maxrss // 1024, peak_tree[0] // 1024, output


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, from /proc (KiB)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0]) if "VmRSS:" in status else 0
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(child) for child in children)
        except (OSError, IndexError, ValueError):
            continue
    return total


def _sample_tree(pid: int, peak: list[int]) -> None:
    while Path(f"/proc/{pid}").exists():
        peak[0] = max(peak[0], _tree_rss_kib(pid))
        time.sleep(0.2)


def pg_url() -> str | None:
    import psycopg
    from psycopg import sql

    base = os.environ.get("DATABASE_URL", "")
    admin = base if base.startswith("postgres") else PG_DEFAULT
    try:
        with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as c:
            c.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_NAME))
            )
            c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_NAME)))
    except psycopg.OperationalError:
        return None
    return admin.rsplit("/", 1)[0] + "/" + PG_NAME


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in os.environ.get("BENCH_IMPORT_SIZES", "5000,50000").split(",")]
    per_page = int(os.environ.get("BENCH_IMPORT_PER_PAGE", "10"))
    python = sys.executable
    results = []
    for size in sizes:
        dump = OUT / f"dump-{size}-{per_page}.xml.gz"
        if not dump.exists():
            print(f"writing a dump of {size:,} revisions ({size // per_page:,} pages)…", flush=True)
            write_dump(dump, size, per_page)
        engines = [("sqlite", f"sqlite:///{OUT / 'bench.sqlite3'}")]
        for engine, url in engines + [("postgresql", pg_url())]:
            if url is None:
                print(f"{engine}: no server answers, skipped")
                continue
            if engine == "sqlite":
                (OUT / "bench.sqlite3").unlink(missing_ok=True)
            env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
            env.update(DATABASE_URL=url, LOG_LEVEL="WARNING", DEBUG="true", REDIS_URL="")
            run_measured([python, "manage.py", "migrate", "-v0"], env)
            seconds, peak, peak_tree, output = run_measured(
                [python, "manage.py", "import_mediawiki", str(dump), "--show", "Bench",
                 "--json", str(OUT / f"report-{engine}-{size}.json")],
                env,
            )  # fmt: skip
            report = json.loads((OUT / f"report-{engine}-{size}.json").read_text())
            row = {
                "engine": engine,
                "revisions": size,
                "imported": report["revisions_imported"],
                "seconds": round(seconds, 1),
                "revisions_per_second": round(report["revisions_imported"] / seconds, 1),
                "peak_memory_mib": peak,
                "peak_memory_with_workers_mib": peak_tree,
                "dump_mib": round(dump.stat().st_size / 2**20, 1),
            }
            results.append(row)
            print(
                f"{engine:10} {size:>7,} revisions: {row['seconds']:>7.1f} s, "
                f"{row['revisions_per_second']:>6.1f} revisions/s, peak {peak} MiB "
                f"({peak_tree} MiB with its workers)",
                flush=True,
            )
            del output
    (OUT / "report.json").write_text(json.dumps(results, indent=2))
    print(f"written {OUT / 'report.json'}")


if __name__ == "__main__":
    main()
