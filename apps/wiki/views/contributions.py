"""*My contributions*: every proposal a fan made, whatever became of it."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..models import Revision, RevisionStatus

PAGE_SIZE = 50
# The order of the tabs: what needs the author first, then what readers see.
STATUSES = [
    RevisionStatus.CHANGES_REQUESTED,
    RevisionStatus.PENDING,
    RevisionStatus.REJECTED,
    RevisionStatus.APPROVED,
    RevisionStatus.MERGED,
    RevisionStatus.WITHDRAWN,
]


@login_required
@require_safe
def contributions(request: HttpRequest) -> HttpResponse:
    own = Revision.objects.filter(author_id=request.user.pk)
    counts = dict(own.order_by().values_list("status").annotate(total=Count("id")))
    status = request.GET.get("status", "")
    if status not in RevisionStatus.values:
        status = ""
    revisions = (
        (own.filter(status=status) if status else own)
        .select_related("article__episode__season__show", "decided_by")
        .prefetch_related(
            # A merged proposal links to the revision that carried it onto newer text.
            Prefetch(
                "merged_into",
                queryset=Revision.objects.select_related(
                    "article__episode__season__show", "decided_by"
                ).defer("body", "rendered_html"),
            ),
            # A proposal sent back and already revised offers its revision, not "Revise it".
            Prefetch(
                "revised_by",
                queryset=Revision.objects.select_related("article__episode__season__show")
                .prefetch_related("merged_into")
                .defer("body", "rendered_html")
                .order_by("pk"),
            ),
        )
        .defer("body", "rendered_html")
        .order_by("-created_at", "-id")
    )
    page = Paginator(revisions, PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [
        {"status": value, "label": RevisionStatus(value).label, "count": counts.get(value, 0)}
        for value in STATUSES
    ]
    return render(
        request,
        "wiki/contributions.html",
        {
            "page": page,
            "status": status,
            "tabs": tabs,
            "total": sum(counts.values()),
            "pending_count": counts.get(RevisionStatus.PENDING, 0),
        },
    )
