"""Work lists across the wiki: statements that need a citation, and disputed ones."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.web.pagecache import cached_for_readers, paged

from ..models import Citation, Statement, StatementKind
from ..presenting import shown_statements

PAGE_SIZE = 50


def _current(kind):
    return (
        Statement.objects.current()
        .filter(kind=kind)
        .select_related("revision__article__episode__season__show")
        .order_by("since", "id")
    )


@require_safe
@cached_for_readers(query=("page",))
def citation_needed(request):
    """Statements of approved text marked [citation needed], oldest first."""
    page = paged(request, _current(StatementKind.NEEDED), PAGE_SIZE)
    shown_statements(page.object_list)
    return render(request, "wiki/citation_needed.html", {"page": page})


@require_safe
@cached_for_readers(query=("page",))
def disputed(request):
    """Statements of approved text on which the cited sources disagree."""
    statements = _current(StatementKind.DISPUTED).prefetch_related(
        Prefetch("citations", queryset=Citation.objects.select_related("source"))
    )
    page = paged(request, statements, PAGE_SIZE)
    shown_statements(page.object_list)
    return render(request, "wiki/disputed.html", {"page": page})
