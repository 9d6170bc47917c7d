"""The moderators' pages of the toolkit: blocks (in force and ended, a new one, lifting one)
and edit filters (the list, writing and trying one, what they matched)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.models import User
from apps.moderation.access import moderator_required
from apps.web.pagecache import paged
from apps.web.refusals import BAD_REQUEST, Conflict, add_errors, message_of
from apps.web.requests import user_of
from apps.wiki.models import Revision
from apps.wiki.permissions import can_oversee

from . import filters, rules, services, suppression
from . import rollback as rollbacks
from .forms import BlockForm, FilterForm, LiftForm, OversightForm, RollbackForm
from .models import Block, EditFilter, FilterAction, FilterHit, Kind, Suppression

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


@require_safe
@moderator_required
def filter_list(request: HttpRequest) -> HttpResponse:
    listed = EditFilter.objects.annotate(
        hit_count=Count("hits"), last_hit=Max("hits__created_at")
    ).select_related("created_by")
    return render(request, "safety/filter_list.html", {"filters": listed, "symbols": rules.SYMBOLS})


@require_http_methods(["GET", "HEAD", "POST"])
@moderator_required
def filter_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new filter or a change to one; "Try" runs the rule on recent texts, saving nothing."""
    edit_filter = get_object_or_404(EditFilter, pk=pk) if pk is not None else None
    initial = (
        {name: getattr(edit_filter, name) for name in services.FILTER_FIELDS}
        if edit_filter is not None
        else {"kinds": [Kind.PROPOSAL], "action": FilterAction.WARN}
    )
    form = FilterForm(request.POST or None, initial={**initial, "try_count": 100})
    tried: list[filters.Trial] | None = None
    status = 200
    if request.method == "POST":
        status = BAD_REQUEST
        if "try" in request.POST:
            # Only what the trial needs: the rule and what it looks at.
            form.is_valid()
            data = form.cleaned_data
            try:
                tried = filters.trial(
                    data.get("rule") or "", data.get("kinds") or [], data.get("try_count") or 100
                )
            except ValueError as error:
                form.errors.pop("reason", None)
                form.add_error("rule", str(error))
            else:
                status = 200
        elif form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.filter_save(
                    moderator=user_of(request),
                    edit_filter=edit_filter,
                    reason=data["reason"],
                    **{name: data[name] for name in services.FILTER_FIELDS},
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, f"Filter “{saved.name}” saved ({'on' if saved.enabled else 'off'})."
                )
                return redirect("safety:filters")
    return render(
        request,
        "safety/filter_edit.html",
        {
            "form": form,
            "edit_filter": edit_filter,
            "tried": tried,
            "matched": sum(1 for t in tried if t.matched) if tried is not None else 0,
            "symbols": rules.SYMBOLS,
        },
        status=status,
    )


@require_safe
@moderator_required
def filter_hits(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The log of what the filters matched (one filter's, or all), newest first."""
    edit_filter = get_object_or_404(EditFilter, pk=pk) if pk is not None else None
    hits = FilterHit.objects.select_related("filter", "user", "article__episode__season__show")
    if edit_filter is not None:
        hits = hits.filter(filter=edit_filter)
    return render(
        request,
        "safety/filter_hits.html",
        {"edit_filter": edit_filter, "page": paged(request, hits, PAGE_SIZE)},
    )


def _require_oversight(request: HttpRequest) -> None:
    if not can_oversee(request.user):
        raise PermissionDenied("Only oversighters can suppress revisions.")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def oversight(request: HttpRequest, pk: int) -> HttpResponse:
    """Suppress (or put back) a revision's text, summary or author name; the originals are
    shown here, to oversighters only."""
    _require_oversight(request)
    revision = get_object_or_404(Revision.objects.select_related("article", "author"), pk=pk)
    vault = Suppression.objects.filter(revision=revision).select_related("author_user").first()
    form = OversightForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = BAD_REQUEST
        if form.is_valid():
            lift = request.POST.get("do") == "lift"
            service = suppression.revision_unsuppress if lift else suppression.revision_suppress
            try:
                service(
                    revision=revision,
                    oversighter=user_of(request),
                    reason=form.cleaned_data["reason"],
                    text=form.cleaned_data["text"],
                    summary=form.cleaned_data["summary"],
                    author=form.cleaned_data["author"],
                )
            except ValidationError as error:
                add_errors(form, error)
            except Conflict as conflict:
                form.add_error(None, conflict.message)
            else:
                messages.success(request, "Put back." if lift else "Suppressed.")
                return redirect("safety:oversight", pk=revision.pk)
    return render(
        request,
        "safety/oversight.html",
        {"revision": revision, "vault": vault, "form": form},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@moderator_required
def rollback(request: HttpRequest, username: str) -> HttpResponse:
    """Preview, then roll back, every approved change of one fan since a time (and reject
    their pending proposals): the preview is the page, the rollback is its one button."""
    person = get_object_or_404(User, username=username)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = RollbackForm(data, initial={"since": "1d"})
    plans: list[rollbacks.Plan] = []
    pending: list[Revision] = []
    report: rollbacks.Report | None = None
    since = None
    status = 200
    if form.is_valid():
        since = form.since_time()
        if request.method == "POST":
            try:
                report = rollbacks.rollback(
                    user=person, since=since, moderator=user_of(request),
                    reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except ValidationError as error:
                add_errors(form, error)
                status = BAD_REQUEST
            except PermissionDenied as refused:
                form.add_error(None, message_of(refused))
                status = 403
        if report is None:
            plans, pending = rollbacks.preview(user=person, since=since)
    elif request.method == "POST":
        status = BAD_REQUEST
    return render(
        request,
        "safety/rollback.html",
        {"person": person, "form": form, "plans": plans, "pending": pending,
         "rollable": [plan for plan in plans if plan.ok], "report": report, "since": since},
        status=status,
    )  # fmt: skip
