"""The README's configuration table lists every environment variable the code reads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(
    r"""(?:os\.environ(?:\.get)?[(\[]|env_(?:bool|int|list)\()\s*["']([A-Z][A-Z0-9_]+)["']"""
)
MAKE_READ = re.compile(r"\$\$\{?([A-Z][A-Z0-9_]+)")
# Set by the process manager or for Django itself, not the operator's settings.
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "CI"}


def variables_read() -> set[str]:
    names = set()
    for path in [*ROOT.glob("fanwiki/*.py"), *ROOT.glob("apps/**/*.py")]:
        names |= set(READ.findall(path.read_text()))
    names |= set(MAKE_READ.findall((ROOT / "Makefile").read_text()))
    return names - NOT_SETTINGS


def documented() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") : readme.index("## Running in production")]
    return {
        name
        for line in table.splitlines()
        if line.startswith("| `")
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])
    }


def test_the_scanner_finds_what_settings_reads():
    assert {"SECRET_KEY", "DATABASE_URL", "SITE_URL", "CONN_MAX_AGE"} <= variables_read()


def test_every_variable_the_code_reads_is_documented():
    assert variables_read() - documented() == set()
