"""``python -m bench.inprocess OUT``: what the load needs, and what is measured without load.

Run with the served database's environment (the servers' very settings): it
picks each page's URLs, counts each page's queries with Django's test client
(on a warm-up request to a URL, then on the request after it: with a page
cache, the first is a miss and the second a hit), prepares the proposal form posts
the way the browser sends them (like tests/wiki/test_loop.py's ``edit_post``),
and times the review page's diff functions on a 50 kB article. Writes JSON.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import TypeVar

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanwiki.settings")
django.setup()

from django.db import connection  # noqa: E402 - after django.setup()
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.catalog.models import Episode  # noqa: E402
from apps.categories.models import Category  # noqa: E402
from apps.markup import render_with_references  # noqa: E402
from apps.wiki.diff import text_diff, uncited_statements  # noqa: E402
from apps.wiki.models import Article, Citation, Revision  # noqa: E402

from . import corpus  # noqa: E402
from .config import (  # noqa: E402
    COMMON_WORD,
    FAN,
    MODERATOR,
    PAGES,
    POST_PAGES,
    PROPOSAL_ARTICLES,
    RARE_WORD,
    URLS_PER_PAGE,
)

T = TypeVar("T")
ADDITION = "\n\nThe crew rebuilt the set overnight after the first take.[@1]\n"


def spread(items: list[T], count: int, offset: float = 0.0) -> list[T]:
    """``count`` items evenly spread over ``items``: the same ones on every run."""
    if not items:
        return []
    step = len(items) / min(count, len(items))
    return [items[int(offset + n * step) % len(items)] for n in range(min(count, len(items)))]


def paths() -> tuple[dict[str, list[str]], list[str]]:
    """Each page's URLs, and the slugs of the articles the proposals edit."""
    slugs = list(Article.objects.published().order_by("id").values_list("slug", flat=True))
    step = len(slugs) / URLS_PER_PAGE
    articles = spread(slugs, URLS_PER_PAGE)
    episodes = Episode.objects.filter(articles__approved_revision__isnull=False).distinct()
    sources = (
        Citation.objects.current()
        .values_list("source_id", flat=True)
        .distinct()
        .order_by("source_id")
    )
    pending = Revision.objects.pending().values_list("pk", flat=True).order_by("pk")
    search = reverse("wiki:search")
    found = {
        "article-anonymous": [reverse("wiki:article", args=[slug]) for slug in articles],
        "history": [
            reverse("wiki:article-history", args=[slug])
            for slug in spread(slugs, URLS_PER_PAGE, step / 2)
        ],
        "episode": spread(
            [e.get_absolute_url() for e in episodes.select_related("season__show").order_by("pk")],
            URLS_PER_PAGE,
        ),
        "category": spread(
            [
                reverse("categories:category", args=[slug])
                for slug in Category.objects.order_by("pk").values_list("slug", flat=True)
            ],
            URLS_PER_PAGE,
        ),
        "home": [reverse("home")],
        "source": spread([reverse("wiki:source", args=[pk]) for pk in sources], URLS_PER_PAGE),
        "search-common": [f"{search}?q={COMMON_WORD}"],
        "search-rare": [f"{search}?q={RARE_WORD}"],
        "recent": [reverse("wiki:recent")],
        "moderation-queue": [reverse("moderation:queue")],
        "review": [
            reverse("moderation:review", args=[pk]) for pk in spread(list(pending), URLS_PER_PAGE)
        ],
    }
    found["article-signed-in"] = found["article-anonymous"]
    found["api-article"] = [f"/api/v1/articles/{slug}" for slug in articles]
    return found, spread(slugs, PROPOSAL_ARTICLES + 2, step / 3)


def proposal(client: Client, slug: str) -> tuple[str, dict[str, object], float]:
    """The edit form as the browser submits it (prefilled rows) with one sentence added."""
    path = reverse("wiki:article-edit", args=[slug])
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (path, response.status_code)
    form, formset = response.context["form"], response.context["formset"]
    data: dict[str, object] = {
        "body": form.initial["body"] + ADDITION,
        "summary": "Bench: one more production detail",
        "base_revision": form.initial["base_revision"],
        "citations-TOTAL_FORMS": str(formset.total_form_count()),
        "citations-INITIAL_FORMS": str(formset.initial_form_count()),
        "citations-MIN_NUM_FORMS": "1",
        "citations-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(formset.forms):
        for name, field in row.fields.items():
            value = row.initial.get(name, field.initial)
            if value not in (None, "", False):
                data[f"citations-{index}-{name}"] = value
    return path, data, elapsed * 1000


def queries(client: Client, path: str, data: dict[str, object] | None = None) -> int:
    """Queries of one request; a page that does not answer as a browser expects stops the run."""
    with CaptureQueriesContext(connection) as captured:
        response = client.post(path, data) if data is not None else client.get(path)
    expected = 302 if data is not None else 200
    assert response.status_code == expected, (path, response.status_code)
    return len(captured.captured_queries)


def found_by_search(client: Client, path: str) -> str:
    """How many articles a search page lists: a search that finds nothing is fast for nothing."""
    response = client.get(path)
    if response.context is None:  # served from a cache: nothing rendered to look at
        return "?"
    results = len(response.context["results"])
    return f"{results}+" if response.context["more_results"] else str(results)


def fifty_kb() -> tuple[str, str]:
    """A 50 kB article and an edited copy: lines reworded, added and removed throughout."""
    texts: list[str] = []
    index = 0
    while sum(len(text) for text in texts) < 50_000:
        texts.append(
            corpus.fill(corpus.family(index, ["Hub"]).bodies[4], corpus.slot_values(index, 1000))
        )
        index += 1
    old = "\n".join(texts)
    new = []
    for number, line in enumerate(old.splitlines()):
        if number % 60 == 59:
            continue
        new.append(line.replace(" the ", " that ", 1) if number % 10 == 3 else line)
        if number % 40 == 20:
            new.append("A new line the proposal adds, citing nothing.")
    return old, "\n".join(new)


def diff_ms() -> float:
    """The review page's diff work (text_diff, uncited_statements) for a 50 kB article."""
    old, new = fifty_kb()
    versions = []
    for body in (old, new):
        _html, refs = render_with_references(body, {key: key for key in range(1, 7)})
        statements = SimpleNamespace(all=lambda refs=refs: refs.statements)
        versions.append(SimpleNamespace(body=body, statements=statements))
    times = []
    for _ in range(5):
        started = time.perf_counter()
        text_diff(old, new)
        uncited_statements(versions[0], versions[1])
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main(out: Path) -> int:
    setup_test_environment()  # the test client keeps each response's template context
    data = {"articles": Article.objects.count(), "revisions": Revision.objects.count()}
    clients = {"anonymous": Client(), "fan": Client(), "moderator": Client()}
    clients["fan"].force_login(User.objects.get(username=FAN))
    clients["moderator"].force_login(User.objects.get(username=MODERATOR))
    found, edited = paths()
    forms = [proposal(clients["fan"], slug) for slug in edited]
    for client in clients.values():  # process-wide caches (content types, templates) warm
        queries(client, found["article-anonymous"][-1])
    repeat, first = {}, {}
    for page, who in PAGES.items():
        client = clients[who]
        if page in POST_PAGES:  # each post adds a proposal, so the two go to other articles
            first[page] = queries(client, forms[-1][0], forms[-1][1])
            repeat[page] = queries(client, forms[-2][0], forms[-2][1])
            continue
        first[page] = queries(client, found[page][0])
        repeat[page] = queries(client, found[page][0])
    result = {
        "paths": found,
        "proposals": [(path, data) for path, data, _ in forms[:-2]],
        "queries": repeat,
        "queries_first_visit": first,
        "edit_page_ms": statistics.median(ms for _, _, ms in forms),
        "search_results": {
            page: found_by_search(clients["anonymous"], found[page][0])
            for page in ("search-common", "search-rare")
        },
        "diff_ms": diff_ms(),
        "data": data,
    }
    out.write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
