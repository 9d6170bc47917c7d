"""Public user profiles: who someone is on the wiki, and the text of theirs readers see."""

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ..models import Article, Revision
from ..permissions import can_moderate
from ..policy import is_trusted

PAGE_SIZE = 50


def approved_contributions(user):
    """A user's approved revisions, newest approval first, with what a listing shows.

    Approved only: a profile is public, and proposals that are pending, rejected or
    withdrawn (their text and summaries alike) are for their author and moderators.
    """
    return (
        Revision.objects.approved()
        .filter(author=user)
        .select_related("article__episode__season__show")
        .defer("body", "rendered_html")
        .order_by("-decided_at", "-id")
    )


@require_safe
def profile(request, username):
    # Deactivated accounts have no public page, as if they had never existed.
    person = get_object_or_404(get_user_model(), username=username, is_active=True)
    page = Paginator(approved_contributions(person), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "wiki/profile.html",
        {
            "person": person,
            "page": page,
            "articles_created": Article.objects.published().filter(created_by=person).count(),
            "is_moderator": can_moderate(person),
            "is_trusted": is_trusted(person),
            "is_own_profile": request.user.pk == person.pk,
        },
    )
