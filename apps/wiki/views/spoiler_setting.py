"""The reader's spoiler setting (offered on every episode and article page)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.catalog.models import Episode, Show
from apps.web import spoilers
from apps.web.params import id_value, slug_value


@require_POST
def set_point(request):
    show = get_object_or_404(Show, slug=slug_value(request.POST.get("show")))
    posted = request.POST.get("episode", "")
    episode = None
    if posted:
        episode_id = id_value(posted)
        if episode_id is None:
            messages.error(request, "Choose an episode from the list.")
            return _back(request, show)
        episode = get_object_or_404(Episode.objects.with_show(), pk=episode_id, season__show=show)
    spoilers.remember(request, show, episode)
    if episode is None:
        messages.success(request, f"Spoilers for {show}: you see everything.")
    else:
        messages.success(
            request, f"Spoilers for {show}: hidden after {episode.code} “{episode.title}”."
        )
    return _back(request, show)


def _back(request, show):
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect(show)
