"""The house's rules, checked on the code itself: which app may import which, and what
the wiki names. README.md ("Layout") says why; a change that breaks one fails here."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "apps"

FOUNDATION = {"markup", "outbox", "accounts", "catalog", "citations"}
# Each app, and the apps it may import (besides itself). Upwards never: a feature plugs
# into the app below it through a hook (apps.web.hooks), it is not imported by it.
MAY_IMPORT = {
    "markup": set(),  # and no model at all: tests/markup/test_leaf.py
    # Tasks held while the broker is down, and mail that failed for good.
    "outbox": set(),
    "accounts": {"outbox"},
    "catalog": set(),
    "citations": set(),
    "web": FOUNDATION,  # what every page shares; no models, no feature app
    "notifications": FOUNDATION | {"web"},
    "wiki": FOUNDATION | {"web", "notifications"},  # articles and revisions
    "moderation": FOUNDATION | {"web", "notifications", "wiki"},
    "talk": FOUNDATION | {"web", "notifications", "wiki", "moderation"},
    "categories": FOUNDATION | {"web", "notifications", "wiki", "moderation"},
    # The moderators' toolkit: blocks, answering wiki's write-refusal hook.
    "safety": FOUNDATION | {"web", "notifications", "wiki", "moderation", "talk", "categories"},
    "operations": FOUNDATION
    | {"web", "notifications", "wiki", "moderation", "talk", "categories", "api", "safety"},
    # The API: reads and changes through the apps' own services, never beside them.
    "api": FOUNDATION
    | {"web", "notifications", "wiki", "moderation", "talk", "categories", "safety"},
}
# How many of wiki's modules talk may lean on: the few wiki offers apps built on it.
TALK_MAY_USE_OF_WIKI = 4


def modules_imported(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (inside functions too), made absolute."""
    # The package the module is in (for __init__.py, the package it is).
    package = list(path.relative_to(ROOT).with_suffix("").parts)[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            # "from apps.wiki import services" imports apps.wiki.services too.
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "apps" else None


def python_files(app: str) -> list[Path]:
    return sorted((APPS / app).rglob("*.py"))


def test_every_app_is_placed():
    apps = {path.name for path in APPS.iterdir() if (path / "__init__.py").exists()}
    assert apps == set(MAY_IMPORT)


def test_each_app_imports_only_the_apps_below_it():
    offending = [
        f"{path.relative_to(ROOT)} imports {module}"
        for app, allowed in MAY_IMPORT.items()
        for path in python_files(app)
        for module in sorted(modules_imported(path))
        if (other := app_of(module)) and other != app and other not in allowed
    ]
    assert offending == []


def module_of(name: str) -> str:
    """The module a dotted import names: "apps.wiki.models.Article" is apps.wiki.models."""
    parts = name.split(".")
    while parts:
        path = ROOT.joinpath(*parts)
        if path.with_suffix(".py").exists() or (path / "__init__.py").exists():
            return ".".join(parts)
        parts.pop()
    return name


def test_talk_leans_on_few_of_wikis_modules():
    used = {
        module_of(name)
        for path in python_files("talk")
        for name in modules_imported(path)
        if name.startswith("apps.wiki.")
    }
    assert len(used) <= TALK_MAY_USE_OF_WIKI, sorted(used)


def test_wiki_names_no_feature_built_on_it():
    """Wiki's code and templates never name talk; its templates name no feature app's
    pages or templates either (they offer slots that those apps fill)."""
    talk = re.compile(r"\btalk\b", re.IGNORECASE)
    feature_urls = re.compile(
        r"""['"](?:talk|moderation|categories):[\w-]+['"]|['"](?:talk|moderation|categories)/"""
    )
    offending = [
        str(path.relative_to(ROOT))
        for path in [*python_files("wiki"), *sorted((ROOT / "templates" / "wiki").rglob("*"))]
        if path.is_file()
        and (
            talk.search(path.read_text())
            or (path.suffix == ".html" and feature_urls.search(path.read_text()))
        )
    ]
    assert offending == []


def test_web_has_no_models():
    assert not (APPS / "web" / "models.py").exists()
    assert not (APPS / "web" / "migrations").exists()


def test_the_walk_sees_relative_and_nested_imports(tmp_path, monkeypatch):
    module = tmp_path / "apps" / "wiki" / "views" / "x.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from .. import services\nfrom ..models import Article\n"
        "def f():\n    from apps.talk.models import Topic\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    found = modules_imported(module)
    assert {"apps.wiki.services", "apps.wiki.models", "apps.talk.models"} <= found
