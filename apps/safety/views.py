"""The moderators' block pages: the list (active and ended), a new block, lifting one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.moderation.access import moderator_required
from apps.web.pagecache import paged
from apps.web.refusals import BAD_REQUEST, Conflict, add_errors, message_of
from apps.web.requests import user_of

from . import services
from .forms import BlockForm, LiftForm
from .models import Block

PAGE_SIZE = 50


@require_safe
@moderator_required
def block_list(request: HttpRequest) -> HttpResponse:
    ended = request.GET.get("show") == "ended"
    blocks = (
        Block.objects.active()
        if not ended
        else Block.objects.exclude(pk__in=Block.objects.active().values("pk"))
    )
    blocks = blocks.select_related("user", "created_by", "lifted_by").prefetch_related(
        "articles", "categories"
    )
    return render(
        request,
        "safety/block_list.html",
        {"page": paged(request, blocks, PAGE_SIZE), "ended": ended, "lift_form": LiftForm()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@moderator_required
def block_new(request: HttpRequest) -> HttpResponse:
    form = BlockForm(
        request.POST or None,
        initial={
            "username": request.GET.get("user", "")[:150],
            "network": request.GET.get("address", "")[:50],
            "duration": "1w",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            block = services.block_create(
                moderator=user_of(request),
                user=data["username"],
                network=data["network"],
                sitewide=data["scope"] == "sitewide",
                actions=data["actions"],
                articles=data["articles"],
                categories=data["categories"],
                expires_at=data["expires_at"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{block.target} is blocked.")
            return redirect("safety:blocks")
    status = BAD_REQUEST if request.method == "POST" else 200
    return render(request, "safety/block_new.html", {"form": form}, status=status)


@require_POST
@moderator_required
def block_lift(request: HttpRequest, pk: int) -> HttpResponse:
    block = get_object_or_404(Block, pk=pk)
    form = LiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Block not lifted: give a reason.")
        return redirect("safety:blocks")
    try:
        services.block_lift(
            block=block, moderator=user_of(request), reason=form.cleaned_data["reason"]
        )
    except (Conflict, PermissionDenied) as refused:
        messages.error(request, message_of(refused))
    else:
        messages.success(request, f"The block of {block.target} is lifted.")
    return redirect("safety:blocks")
