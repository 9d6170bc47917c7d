"""The dialect is a leaf: it imports no app of the project and no model."""

import ast
import subprocess
import sys
from pathlib import Path

import apps.markup

PACKAGE = Path(apps.markup.__file__).parent
# The database and the app registry are what a leaf of pure functions never needs.
FORBIDDEN_PREFIXES = ("apps.", "django.db", "django.apps", "django.contrib")


def imported_modules(path: Path) -> list[str]:
    """Absolute names of what a module imports; relative imports resolved against apps.markup."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            package = ["apps", "markup"]
            base = package[: len(package) - (node.level - 1)] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            # "from .. import wiki" imports apps.wiki: name what is imported too.
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_every_module_of_the_package_is_walked():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert {"__init__.py", "rendering.py", "references.py", "spoiler_sections.py"} <= set(modules)


def test_markup_imports_nothing_from_the_project_apps_or_the_database():
    offending = [
        f"{path.name}: {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for name in imported_modules(path)
        if name.startswith(FORBIDDEN_PREFIXES) and not name.startswith("apps.markup.")
    ]
    assert offending == []


def test_the_walker_sees_an_import_from_another_app(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from apps.wiki.models import Article\nfrom .. import wiki\nimport django.db")
    assert imported_modules(module) == ["apps.wiki.models.Article", "apps.wiki", "django.db"]


def test_importing_markup_loads_no_other_app():
    code = (
        "import sys, apps.markup\n"
        "print(sorted(m for m in sys.modules if m.startswith(('apps.', 'django.db'))"
        " and not m.startswith('apps.markup')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
