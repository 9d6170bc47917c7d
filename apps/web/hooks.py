"""How one app adds to pages and steps another app owns, without that app naming it.

The app that owns a page offers *slots* in its templates (``{% slot "article-tabs"
article=article %}``, from the ``slots`` template library) and, in its services,
*hooks* it runs at a given step (``hooks.run("revision-revised", old=..., new=...)``).
It declares each name with :func:`offer` when it starts, saying what it passes.
Another app fills them from its ``AppConfig.ready()``::

    @hooks.register("article-tabs", order=20)
    def talk_tab(*, request, article):
        return render_to_string("talk/article_tab.html", {...}, request=request)

A slot's functions receive the request and return HTML rendered from a template
(escaped like any template output) or None to add nothing. A hook's functions
receive what the owner passes. A registration under a name nobody offers is
reported by ``manage.py check`` (and the suite), not ignored in silence.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error

Hook = Callable[..., Any]

_offered: dict[str, str] = {}
_registry: dict[str, list[tuple[int, Hook]]] = defaultdict(list)


def offer(name: str, description: str) -> None:
    """Declare a slot or hook (by the app whose page or service has it)."""
    _offered[name] = description


def offered() -> dict[str, str]:
    """Every name offered, with what its owner said of it."""
    return dict(_offered)


def register(name: str, *, order: int = 0) -> Callable[[Hook], Hook]:
    """Add the decorated function to the slot or hook ``name`` (lower ``order`` first)."""

    def add(function: Hook) -> Hook:
        entries = _registry[name]
        if all(entry is not function for _order, entry in entries):  # ready() may run twice
            entries.append((order, function))
            entries.sort(key=lambda pair: pair[0])
        return function

    return add


def get(hook_name: str, /) -> list[Hook]:
    """The functions registered for ``hook_name``, in order."""
    if hook_name not in _offered:
        raise LookupError(f"Nothing offers the slot or hook “{hook_name}”.")
    return [function for _order, function in _registry[hook_name]]


def run(hook_name: str, /, **kwargs: Any) -> list[Any]:
    """Call every function registered for ``hook_name`` with ``kwargs``; their answers, in
    order (positional-only, so that a hook may pass anything by keyword, a name too)."""
    return [function(**kwargs) for function in get(hook_name)]


def check_registrations(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """A system check: every registration names a slot or hook some app offers."""
    return [
        Error(
            f"{function.__module__}.{function.__qualname__} is registered for “{name}”, "
            "which no app offers.",
            hint=f"Offered: {', '.join(sorted(_offered)) or 'nothing'}.",
            id="web.E001",
        )
        for name, entries in _registry.items()
        if name not in _offered
        for _order, function in entries
    ]
