"""Imports point one way: moderation → talk → wiki. Wiki never imports talk."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_app_below_talk_imports_it():
    below = ("wiki", "markup", "catalog", "citations", "accounts", "notifications")
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for app in below
        for path in (ROOT / "apps" / app).rglob("*.py")
        for name in imported_modules(path)
        if name == "apps.talk" or name.startswith("apps.talk.")
    ]
    assert offenders == []
