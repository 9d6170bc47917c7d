"""Pages fans use to propose: new article, edit, withdraw, their contributions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.catalog.models import Episode

from .. import services
from ..forms import ArticleCreateForm, CitationFormSet, ProposalForm, citation_initial
from ..models import Revision, RevisionStatus
from .access import get_article_for_user, int_param, sources_visible_to

CONFLICT = 409


def _apply_service_errors(error: ValidationError, form, formset) -> None:
    """Show a service's refusal next to the field it concerns, keeping what was typed."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            row = _citation_row(formset, field)
            for message in errors:
                if row is not None:
                    row.add_error(None, message)
                else:
                    form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            formset._non_form_errors.append(message)


def _citation_row(formset, field):
    """The citation row a service error names ("citation-3"), if it names one."""
    prefix, _, key = field.partition("-")
    if prefix != "citation" or not key.isascii() or not key.isdigit():
        return None
    return formset.form_for_key(int(key))


def _propose(request, *, form, formset, submit):
    """Validate both forms and call the service; return the revision or None."""
    if not (form.is_valid() and formset.is_valid()):
        return None
    try:
        return submit(form.cleaned_data, formset.citation_inputs())
    except ValidationError as error:
        _apply_service_errors(error, form, formset)
        return None


def _render_editor(request, context, *, status=200):
    return render(request, "wiki/propose.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request):
    initial = {}
    episode_id = int_param(request, "episode")
    if episode_id and Episode.objects.filter(pk=episode_id).exists():
        initial["episode"] = episode_id
    form = ArticleCreateForm(request.POST or None, initial=initial)
    formset = CitationFormSet(
        request.POST or None, prefix="citations", sources=sources_visible_to(request.user)
    )
    if request.method == "POST":
        revision = _propose(
            request,
            form=form,
            formset=formset,
            submit=lambda data, citations: services.article_create(
                author=request.user,
                title=data["title"],
                episode=data["episode"],
                body=data["body"],
                summary=data["summary"],
                citations=citations,
            ),
        )
        if revision is not None:
            messages.success(
                request,
                "Thank you. Your new article awaits review by a moderator; "
                "readers will see it once it is approved.",
            )
            return redirect(revision)
    return _render_editor(
        request,
        {"form": form, "formset": formset, "article": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request, slug):
    # Unpublished articles are visible (and editable) to their creator and moderators only.
    article = get_article_for_user(request.user, slug)
    current = article.approved_revision
    starting_point = current
    # "Revise" a rejected or withdrawn proposal of one's own: start from its text.
    from_pk = int_param(request, "from")
    if from_pk is not None:
        starting_point = get_object_or_404(
            Revision.objects.filter(article=article, author=request.user), pk=from_pk
        )
    initial = {"base_revision": current.pk if current else None}
    if starting_point is not None:
        initial["body"] = starting_point.body
    form = ProposalForm(request.POST or None, initial=initial)
    sources = sources_visible_to(request.user)
    formset = CitationFormSet(
        request.POST or None,
        prefix="citations",
        initial=citation_initial(starting_point) if starting_point else None,
        sources=sources,
    )
    conflict = None
    if request.method == "POST":
        try:
            revision = _propose(
                request,
                form=form,
                formset=formset,
                submit=lambda data, citations: services.revision_propose(
                    article=article,
                    author=request.user,
                    body=data["body"],
                    summary=data["summary"],
                    citations=citations,
                    base=_base_revision(article, data.get("base_revision")),
                ),
            )
        except services.StaleBase as stale:
            # Keep everything typed; point the form at the current text so that
            # submitting again, after comparing, goes through.
            conflict = stale.message
            article.refresh_from_db()
            data = request.POST.copy()
            data["base_revision"] = article.approved_revision_id or ""
            form = ProposalForm(data)
            formset = CitationFormSet(data, prefix="citations", sources=sources)
            form.is_valid()
            formset.is_valid()
            revision = None
        if revision is not None:
            messages.success(
                request,
                "Thank you. Your edit awaits review; readers keep seeing the current text "
                "until a moderator approves it.",
            )
            return redirect(article)
    return _render_editor(
        request,
        {
            "form": form,
            "formset": formset,
            "article": article,
            "conflict": conflict,
        },
        status=CONFLICT if conflict else 400 if request.method == "POST" else 200,
    )


def _base_revision(article, pk):
    """The approved revision the fan started from, as the form carried it."""
    if not pk:
        return None
    try:
        return article.revisions.get(pk=pk)
    except Revision.DoesNotExist as exc:
        raise ValidationError(
            "The revision you started from does not belong to this article."
        ) from exc


@login_required
@require_POST
def revision_withdraw(request, pk):
    revision = get_object_or_404(Revision, pk=pk)
    try:
        services.revision_withdraw(revision=revision, user=request.user)
    except services.WikiConflict as conflict:
        return render(
            request,
            "wiki/conflict.html",
            {"message": conflict.message, "revision": revision},
            status=CONFLICT,
        )
    messages.success(request, "Your proposal was withdrawn. Nothing of it was deleted.")
    return redirect("wiki:contributions")


@login_required
@require_GET
def contributions(request):
    revisions = (
        Revision.objects.filter(author=request.user)
        .select_related("article", "decided_by")
        .order_by("-created_at", "-id")
    )
    by_status = {status: [] for status in RevisionStatus.values}
    for revision in revisions:
        by_status[revision.status].append(revision)
    return render(
        request,
        "wiki/contributions.html",
        {
            "pending": by_status[RevisionStatus.PENDING],
            "approved": by_status[RevisionStatus.APPROVED],
            "rejected": by_status[RevisionStatus.REJECTED],
            "withdrawn": by_status[RevisionStatus.WITHDRAWN],
        },
    )
