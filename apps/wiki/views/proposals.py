"""Pages fans use to propose: new article, edit, withdraw."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from apps.catalog.models import Episode
from apps.web import hooks
from apps.web.params import id_value, int_param, text_param
from apps.web.refusals import CONFLICT, TOO_MANY, Flagged, add_errors

from .. import services
from ..citing import names_of
from ..forms import ArticleCreateForm, CitationFormSet, MoveForm, ProposalForm, citation_initial
from ..merging import citation_inputs, cited_of, merge_revisions
from ..models import Revision
from ..naming import Names, merge_names
from ..policy import account_refusal, protection_refusal
from ..presenting import raw_text_spoils
from ..revising import superseded_by
from ..services.publishing import SUMMARY_LENGTH
from ..slots import EDITOR_TAKING
from .access import cannot_write, get_article_for_user, proposer_required, sources_visible_to


def _show_refusal(error: ValidationError, form, formset) -> None:
    """Show a service's refusal beside what it concerns, keeping what was typed: a field
    of the form, a citation row ("citation-3"), or, naming no field, the citations."""

    def on_citation_row(field: str, message: str) -> bool:
        prefix, _, key = field.partition("-")
        row = formset.form_for_key(id_value(key)) if prefix == "citation" else None
        if row is not None:
            row.add_error(None, message)
        return row is not None

    if hasattr(error, "error_dict") or isinstance(error, Flagged):
        add_errors(form, error, elsewhere=on_citation_row)
    else:
        formset.add_non_form_errors(error.messages)


def _render_editor(request, context, *, status=200):
    context["upload_url"] = settings.MARKDOWNX_UPLOAD_URLS_PATH
    return render(request, "wiki/propose.html", context, status=status)


@login_required
@proposer_required
@require_http_methods(["GET", "HEAD", "POST"])
def article_create(request):
    initial = {}
    episode_id = int_param(request, "episode")
    if episode_id and Episode.objects.filter(pk=episode_id).exists():
        initial["episode"] = episode_id
    # A link to a missing article ([[Title]]) arrives here with the title.
    title = text_param(request, "title")
    if title:
        initial["title"] = title
    form = ArticleCreateForm(request.POST or None, initial=initial)
    formset = CitationFormSet(
        request.POST or None, prefix="citations", sources=sources_visible_to(request.user)
    )
    status = 0
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            revision = services.article_create(
                author=request.user,
                title=data["title"],
                episode=data["episode"],
                body=data["body"],
                summary=data["summary"],
                citations=formset.citation_inputs(),
                submission_key=data.get("submission_key"),
                categories=data["categories"],
                aliases=data["aliases"],
                acknowledged=data.get("acknowledged") or "",
            )
        except ValidationError as error:
            _show_refusal(error, form, formset)
        except services.WikiConflict as refusal:
            # Written, but refused on its way to readers (a trusted author's title taken by
            # another article meanwhile): nothing was kept; the form comes back as typed.
            form.add_error(None, refusal.message)
            status = _refusal_status(refusal)
        else:
            _thank(request, revision)
            return redirect(revision)
    return _render_editor(
        request,
        {"form": form, "formset": formset, "article": None},
        status=status or (400 if request.method == "POST" else 200),
    )


def _starting_point(request, article):
    """Where an edit starts: the approved text, or one of the author's own proposals.

    ``?from=<id>`` revises a rejected, withdrawn or pending proposal of the
    author's. A pending one that has gone stale opens as a three-way merge onto
    the current text, conflicts marked for the author to resolve.
    Returns (revises, body, citation rows, names, notice).
    """
    current = article.approved_revision
    from_pk = int_param(request, "from")
    if from_pk is None:
        return (
            None,
            current.body if current else "",
            citation_initial(current) if current else None,
            names_of(current, article),
            "",
        )
    revises = get_object_or_404(
        Revision.objects.filter(article=article, author=request.user).select_related("base"),
        pk=from_pk,
    )
    if current and revises.base_id != current.pk:
        # Written against older text (whatever became of it): carry it onto the current
        # text, so that submitting it can never undo a newer approved change.
        merged = merge_revisions(revises.base, current, revises)
        names, naming_problems = merge_names(
            names_of(revises.base, article), Names.of(current), Names.of(revises)
        )
        rows = [
            {"source": c.source.pk, "quote": c.quote, "locator": c.locator, "key": c.key}
            for c in merged.citations
        ]
        notice = (
            f"The article changed after you wrote this proposal. {merged.conflicts} place(s) "
            "where both changed the same words are shown between <<<<<<< and >>>>>>> "
            "markers: keep what should stay from each side, delete the markers, and submit."
            if merged.conflicts
            else "The article changed after you wrote this proposal; your changes have been "
            "carried onto the current text below. Check it and submit."
        )
        if naming_problems:
            notice += (
                " Its title changed too: "
                + "; ".join(naming_problems)
                + ". Your proposal keeps your title; move the article back if that is wrong."
            )
        return revises, merged.body, rows or citation_initial(revises), names, notice
    return revises, revises.body, citation_initial(revises), Names.of(revises), ""


@login_required
@proposer_required
@require_http_methods(["GET", "HEAD", "POST"])
def article_edit(request, slug):
    # Unpublished articles are visible (and editable) to their creator and moderators only.
    article = get_article_for_user(request.user, slug)
    if refusal := account_refusal(request.user, article=article):  # a block of this article
        return cannot_write(request, refusal)
    refusal = protection_refusal(request.user, article)
    if refusal:
        return render(
            request, "wiki/protected.html", {"article": article, "message": refusal}, status=403
        )
    current = article.approved_revision
    revises, body, rows, names, notice = _starting_point(request, article)
    newer = superseded_by(revises) if revises is not None else None
    if newer is not None:
        # Sent back and already revised: the review goes on with the revision.
        messages.info(request, f"You already revised this proposal as #{newer.pk}.")
        return redirect(newer)
    take = text_param(request, "take")[:100] if revises is not None else ""
    if take and request.method != "POST":
        # Opened to take something in (a reviewer's suggestion): the app that offered it
        # gives the text to start from, for the author to look over before submitting.
        taken = next(
            (
                found
                for found in hooks.run(
                    EDITOR_TAKING, revision=revises, body=body, take=take, user=request.user
                )
                if found
            ),
            None,
        )
        if taken is None:
            take = ""
        else:
            body, notice = taken
    if (
        request.method != "POST"
        and not request.GET.get("spoilers")
        and raw_text_spoils(article, body)
    ):
        # The editor shows the text whole, spoiler sections and links included.
        reveal = request.GET.copy()
        reveal["spoilers"] = "show"
        return render(
            request, "wiki/editor_spoilers.html", {"article": article, "reveal": reveal.urlencode()}
        )
    form = ProposalForm(
        request.POST or None,
        initial={
            "base_revision": current.pk if current else None,
            "body": body,
            "takes": take,
            "categories": names.category_text,
            "aliases": "\n".join(names.aliases),
        },
    )
    sources = sources_visible_to(request.user)
    formset = CitationFormSet(
        request.POST or None, prefix="citations", initial=rows, sources=sources
    )
    conflict = None
    conflict_status = CONFLICT
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            typed = Names.typed(
                title=names.title, categories=data["categories"], aliases=data["aliases"]
            )
            revision = services.revision_propose(
                article=article,
                names=typed,
                author=request.user,
                body=data["body"],
                summary=data["summary"],
                citations=formset.citation_inputs(),
                base=_base_revision(article, data.get("base_revision")),
                revises=revises,
                submission_key=data.get("submission_key"),
                takes=data.get("takes") or "",
                acknowledged=data.get("acknowledged") or "",
            )
        except ValidationError as error:
            _show_refusal(error, form, formset)
        except services.StaleBase as stale:
            # Keep everything typed; point the form at the current text so that
            # submitting again, after comparing, goes through.
            conflict = stale.message
            written_on = _base_revision(article, form.cleaned_data.get("base_revision"))
            article.refresh_from_db()
            data = request.POST.copy()
            data["base_revision"] = article.approved_revision_id or ""
            if article.approved_revision is not None:
                # The categories and other names approved meanwhile join the typed ones
                # (a three-way merge, as the review does): submitting again keeps both.
                merged, _problems = merge_names(
                    names_of(written_on, article), Names.of(article.approved_revision), typed
                )
                data["categories"] = merged.category_text
                data["aliases"] = "\n".join(merged.aliases)
            form = ProposalForm(data)
            formset = CitationFormSet(data, prefix="citations", sources=sources)
            form.is_valid()
            formset.is_valid()
        except services.WikiConflict as refusal:
            conflict = refusal.message
            conflict_status = _refusal_status(refusal)
        else:
            _thank(request, revision)
            return redirect(article)
    return _render_editor(
        request,
        {
            "form": form,
            "formset": formset,
            "article": article,
            "conflict": conflict,
            "notice": notice,
            "revises": revises,
        },
        status=conflict_status if conflict else 400 if request.method == "POST" else 200,
    )


def _refusal_status(refusal: services.WikiConflict) -> int:
    """409 for a state that forbids the change; 429 when the author's proposals already
    fill their share of the queue (they may propose again once some are decided)."""
    return TOO_MANY if isinstance(refusal, services.TooManyPending) else CONFLICT


def _thank(request, revision):
    if revision.automatic:
        messages.success(
            request, "Your change is live: as a trusted editor it was approved at once."
        )
    else:
        messages.success(
            request,
            "Thank you. Your proposal awaits review; readers keep seeing the current text "
            "until a moderator approves it.",
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
@proposer_required
@require_http_methods(["GET", "HEAD", "POST"])
def article_move(request, slug):
    """Propose a new title: a version with the current text and citations and the new name,
    reviewed like any edit (and approved at once for the authors whose edits are)."""
    article = get_article_for_user(request.user, slug)
    current = article.approved_revision
    if current is None:
        messages.info(
            request,
            "This article awaits its first review: it can be moved once a moderator has "
            "approved it.",
        )
        return redirect(article)
    if refusal := account_refusal(request.user, article=article):  # a block of this article
        return cannot_write(request, refusal)
    refusal = protection_refusal(request.user, article)
    if refusal:
        return render(
            request, "wiki/protected.html", {"article": article, "message": refusal}, status=403
        )
    if request.method != "POST" and not request.GET.get("spoilers") and article.folded:
        # The form starts from the title the reader has not reached yet.
        reveal = request.GET.copy()
        reveal["spoilers"] = "show"
        return render(
            request, "wiki/editor_spoilers.html", {"article": article, "reveal": reveal.urlencode()}
        )
    form = MoveForm(request.POST or None, initial={"title": current.title})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        names = names_of(current, article)
        try:
            new = Names.typed(
                title=data["title"],
                categories=names.category_text,
                aliases="\n".join(a for a in names.aliases if a != data["title"].strip()),
            )
            if new.title == names.title:
                raise ValidationError({"title": "That is the article's title already."})
            revision = services.revision_propose(
                article=article,
                author=request.user,
                body=current.body,
                summary=_move_summary(names.title, new.title, data["reason"]),
                citations=citation_inputs(cited_of(current)),
                base=current,
                names=new,
                acknowledged=data.get("acknowledged") or "",
            )
        except ValidationError as error:
            add_errors(form, error)
        except services.WikiConflict as refusal:  # a stale base, or a title taken meanwhile
            form.add_error(None, refusal.message)
        else:
            _thank(request, revision)
            article.refresh_from_db()
            return redirect(article)
    return render(
        request,
        "wiki/move.html",
        {"form": form, "article": article, "current": current},
        status=400 if request.method == "POST" else 200,
    )


def _move_summary(old: str, new: str, reason: str) -> str:
    """The edit summary of a move: both titles and the reason, the reason kept whole when
    long titles would not leave room for it."""
    reason = reason.strip()
    for summary in (f"Moved “{old}” to “{new}”: {reason}", f"Moved to “{new}”: {reason}"):
        if len(summary) <= SUMMARY_LENGTH:
            return summary
    return f"Moved: {reason}"[:SUMMARY_LENGTH]
