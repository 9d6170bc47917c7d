"""A signed-in user's notifications: the list, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from apps.web.params import id_value

from . import preferences
from .models import Notification

PAGE_SIZE = 50


@require_safe
@login_required
def notification_list(request):
    notifications = (
        Notification.objects.for_user(request.user)
        .select_related("episode__season__show")
        .order_by("-created_at", "-id")
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "on_site": preferences.on_site(request.user)},
    )


@require_POST
@login_required
def mark_read(request):
    """Mark all the user's unread notifications read, or only the one named by ``id``."""
    unread = Notification.objects.for_user(request.user).unread()
    raw = request.POST.get("id", "")
    if raw:
        notification_id = id_value(raw)
        if notification_id is None:
            return HttpResponseBadRequest("The notification id must be a number.")
        # Someone else's id matches nothing: it is neither marked nor revealed.
        unread = unread.filter(pk=notification_id)
    unread.update(read_at=timezone.now())
    return redirect("notifications:list")
