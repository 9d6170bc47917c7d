"""Suppression (oversight): a revision's text, summary or author name taken out of the wiki
for everyone but oversighters — personal data, doxxing, a copyright complaint.

What is suppressed moves into a :class:`~apps.safety.models.Suppression` row and the
revision keeps placeholders, so that every page, feed, search result, API answer,
export and admin page shows the placeholder without having to know about
oversight; stored notifications and webhook bodies that quoted it are rewritten.
The approved current text cannot be suppressed (publish a replacement first), nor
a version a pending proposal is written against. Each suppression and each lift
is a restricted moderator action: its reason is for oversighters only.
"""

from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.models import Notification
from apps.web import hooks
from apps.web.appendonly import overseeing
from apps.web.pagecache import pages_changed
from apps.web.refusals import Conflict
from apps.web.usertext import checked_reason
from apps.wiki.models import (
    SUPPRESSED_AUTHOR,
    ActionKind,
    Article,
    Citation,
    ModeratorAction,
    Revision,
    RevisionStatus,
    Statement,
)
from apps.wiki.permissions import can_oversee
from apps.wiki.search import plain_text_key

from .models import FilterHit, Suppression

SUPPRESSED_TEXT = "(This version's text was suppressed by the wiki's oversight.)"
SUPPRESSED_HTML = "<p><em>This version’s text was suppressed by the wiki’s oversight.</em></p>"
SUPPRESSED_SUMMARY = "(summary suppressed)"
SUPPRESSED_QUOTE = "(suppressed)"
SUPPRESSED_NAME = "(name suppressed)"
PARTS = ("text", "summary", "author")
# Offered by this app: the apps that keep copies of what was written (the API's webhook
# bodies) rewrite them too.
REVISION_SUPPRESSED = "revision-suppressed"


class NothingToLift(Conflict):
    """Nothing of what was asked is suppressed (a 409)."""


def placeholder_author() -> User:
    """The account a suppressed author's revisions show: inactive, never able to log in."""
    user, _created = User.objects.get_or_create(
        username=SUPPRESSED_AUTHOR,
        defaults={"is_active": False, "password": make_password(None)},
    )
    return user


def _words(parts: list[str]) -> str:
    return " and ".join(", ".join(parts).rsplit(", ", 1)) if parts else "nothing"


def _replace_in(texts: list[str], old: str, new: str) -> list[str]:
    return [text.replace(old, new) for text in texts]


def _redact(revision: Revision, replacements: list[tuple[str, str]]) -> None:
    """Rewrite what was stored around the revision and quoted what is now suppressed:
    notifications (all of them for a summary or text; those about this revision for a
    name), webhook bodies, edit-filter hits."""
    about = Q(url__contains=f"revisions/{revision.pk}/") | Q(
        folded_url__contains=f"revisions/{revision.pk}/"
    )
    for old, new in replacements:
        if len(old.strip()) < 3:
            continue  # too short to find without hitting other words
        name = new == SUPPRESSED_NAME
        notes = Notification.objects.filter(about) if name else Notification.objects.all()
        for note in notes.filter(Q(message__contains=old) | Q(folded_message__contains=old)):
            note.message, note.folded_message = _replace_in(
                [note.message, note.folded_message], old, new
            )
            note.save(update_fields=["message", "folded_message"])
        for hit in FilterHit.objects.filter(Q(summary__contains=old) | Q(excerpt__contains=old)):
            hit.summary, hit.excerpt = _replace_in([hit.summary, hit.excerpt], old, new)
            hit.save(update_fields=["summary", "excerpt"])
    hooks.run(REVISION_SUPPRESSED, revision=revision, replacements=replacements)


def _check(oversighter: User, parts: dict[str, bool], reason: str) -> tuple[list[str], str]:
    if not can_oversee(oversighter):
        raise PermissionDenied("Only oversighters can suppress or lift a suppression.")
    chosen = [part for part in PARTS if parts.get(part)]
    errors = {}
    if not chosen:
        errors["text"] = "Choose what to suppress: the text, the summary, the author's name."
    try:
        reason = checked_reason(reason, missing="Say why (only oversighters will read it).")
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return chosen, reason


def revision_suppress(
    *,
    revision: Revision,
    oversighter: User,
    reason: str,
    text: bool = False,
    summary: bool = False,
    author: bool = False,
) -> Suppression:
    chosen, reason = _check(oversighter, {"text": text, "summary": summary, "author": author},
                            reason)  # fmt: skip
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=revision.article_id)
        locked = Revision.objects.select_for_update().select_related("author").get(pk=revision.pk)
        vault = Suppression.objects.select_for_update().filter(revision=locked).first()
        vault = vault or Suppression(revision=locked, by=oversighter)
        new = [part for part in chosen if not getattr(vault, part)]
        if not new:
            raise ValidationError({"text": "That is suppressed already."})
        _refuse_current(article, locked, new)
        with overseeing():
            replacements = _take_out(locked, vault, new)
        for part in new:
            setattr(vault, part, True)
        vault.by, vault.at = oversighter, timezone.now()
        vault.save()
        _redact(locked, replacements)
        ModeratorAction.objects.create(
            actor=oversighter,
            action=ActionKind.SUPPRESSED,
            article=article,
            revision=locked,
            summary=f"Suppressed the {_words(new)} of version #{locked.pk}",
            details={"parts": new},
            reason=reason,
            restricted=True,
        )
        pages_changed()
        # Search keeps each approved version's text as plain text: not this one's any more.
        transaction.on_commit(lambda: cache.delete(plain_text_key(locked)))
    return vault


def _refuse_current(article: Article, revision: Revision, parts: list[str]) -> None:
    if "text" not in parts:
        return
    if article.approved_revision_id == revision.pk:
        raise ValidationError({"text": (
            "This is the text readers see now: publish a replacement first (revert "
            "to an earlier version, or approve an edit without it), then suppress it."
        )})  # fmt: skip
    if Revision.objects.filter(base=revision, status=RevisionStatus.PENDING).exists():
        raise ValidationError(
            {"text": "A pending proposal is written against this version: decide it first."}
        )


def _take_out(locked: Revision, vault: Suppression, new: list[str]) -> list[tuple[str, str]]:
    """Move the parts into the vault and placeholders into the revision (inside
    overseeing()); what stored texts elsewhere to redact."""
    replacements: list[tuple[str, str]] = []
    if "text" in new:
        vault.body, vault.rendered_html = locked.body, locked.rendered_html
        citations = Citation.objects.filter(revision=locked).exclude(quote="")
        vault.quotes = {str(c.pk): c.quote for c in citations}
        statements = Statement.objects.filter(revision=locked)
        vault.statements = {str(s.pk): s.text for s in statements}
        Revision.objects.filter(pk=locked.pk).update(
            body=SUPPRESSED_TEXT, rendered_html=SUPPRESSED_HTML
        )
        citations.update(quote=SUPPRESSED_QUOTE)
        statements.update(text=SUPPRESSED_QUOTE)
        replacements += [(line, SUPPRESSED_QUOTE) for line in locked.body.splitlines()
                         if len(line.strip()) >= 20]  # fmt: skip
    if "summary" in new:
        vault.summary_text = locked.summary
        Revision.objects.filter(pk=locked.pk).update(summary=SUPPRESSED_SUMMARY)
        replacements.append((locked.summary, SUPPRESSED_SUMMARY))
    if "author" in new:
        vault.author_user = locked.author
        Revision.objects.filter(pk=locked.pk).update(author=placeholder_author())
        replacements.append((locked.author.username, SUPPRESSED_NAME))
    return replacements


def _put_back(locked: Revision, vault: Suppression, lifted: list[str]) -> None:
    if "text" in lifted:
        Revision.objects.filter(pk=locked.pk).update(
            body=vault.body, rendered_html=vault.rendered_html
        )
        for pk, quote in vault.quotes.items():
            Citation.objects.filter(pk=int(pk), revision=locked).update(quote=quote)
        for pk, statement in vault.statements.items():
            Statement.objects.filter(pk=int(pk), revision=locked).update(text=statement)
        vault.body = vault.rendered_html = ""
        vault.quotes, vault.statements = {}, {}
    if "summary" in lifted:
        Revision.objects.filter(pk=locked.pk).update(summary=vault.summary_text)
        vault.summary_text = ""
    if "author" in lifted:
        Revision.objects.filter(pk=locked.pk).update(author=vault.author_user)
        vault.author_user = None


def revision_unsuppress(
    *,
    revision: Revision,
    oversighter: User,
    reason: str,
    text: bool = False,
    summary: bool = False,
    author: bool = False,
) -> Suppression:
    """Put back what was suppressed (what notifications and webhooks said stays redacted)."""
    chosen, reason = _check(oversighter, {"text": text, "summary": summary, "author": author},
                            reason)  # fmt: skip
    with transaction.atomic():
        Article.objects.select_for_update().filter(pk=revision.article_id).exists()
        locked = Revision.objects.select_for_update().get(pk=revision.pk)
        vault = Suppression.objects.select_for_update().filter(revision=locked).first()
        lifted = [part for part in chosen if vault is not None and getattr(vault, part)]
        if vault is None or not lifted:
            raise NothingToLift("None of that is suppressed.")
        with overseeing():
            _put_back(locked, vault, lifted)
        for part in lifted:
            setattr(vault, part, False)
        vault.save()
        ModeratorAction.objects.create(
            actor=oversighter,
            action=ActionKind.UNSUPPRESSED,
            article_id=locked.article_id,
            revision=locked,
            summary=f"Lifted the suppression of the {_words(lifted)} of version #{locked.pk}",
            details={"parts": lifted},
            reason=reason,
            restricted=True,
        )
        pages_changed()
        # Search keeps each approved version's text as plain text: not this one's any more.
        transaction.on_commit(lambda: cache.delete(plain_text_key(locked)))
    return vault
