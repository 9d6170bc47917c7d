"""Mass rollback: undo every approved change one fan made since a time, article by article,
leaving later good edits by others in place; reject their pending proposals.

For each article, the fan's approved versions since then are undone newest first,
each by a three-way merge (wiki's merge_cited) of the version before it onto the
text as it stands: what others wrote later stays. A merge that conflicts leaves
that article alone and lists it (a moderator fixes it by hand); one they created
is listed too (a first version cannot be undone into nothing). Each rolled-back
article gets one new version, published as a revert, and one moderator action.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.moderation import services as moderation
from apps.web.usertext import checked_reason
from apps.wiki.citing import CitationInput
from apps.wiki.merging import Cited, cited_of, merge_cited, with_citations
from apps.wiki.models import (
    ActionKind,
    Article,
    AuditAction,
    Citation,
    ModeratorAction,
    Revision,
    RevisionStatus,
)
from apps.wiki.naming import Names
from apps.wiki.permissions import can_moderate
from apps.wiki.services import Carried, WikiConflict, revision_publish

MAX_ARTICLES = 200  # one rollback at most; more is a job for several, or for staff


@dataclass
class Plan:
    """What rolling back one article would do."""

    article: Article
    edits: list[Revision]  # the fan's approved versions since the time, oldest first
    body: str = ""
    citations: list[CitationInput] = field(default_factory=list)
    names: Names | None = None
    problem: str = ""  # why it is left alone, or ""
    unchanged: bool = False  # their edits were undone already

    @property
    def ok(self) -> bool:
        return not self.problem and not self.unchanged


@dataclass
class Report:
    done: list[tuple[Article, Revision]] = field(default_factory=list)
    left: list[Plan] = field(default_factory=list)
    rejected: int = 0


def _as_cited(body: str, citations: list[CitationInput]) -> Cited:
    return Cited(
        body,
        {c.key: Citation(source=c.source, quote=c.quote, locator=c.locator) for c in citations
         if c.key is not None},
    )  # fmt: skip


def _histories(article_ids: list[int]) -> dict[int, list[Revision]]:
    """Each article's approved versions, in the order readers saw them, with their
    citations: two queries for every article of a rollback."""
    histories: dict[int, list[Revision]] = {pk: [] for pk in article_ids}
    approved = (
        Revision.objects.filter(article_id__in=article_ids, status=RevisionStatus.APPROVED)
        .order_by("decided_at", "pk")
        .prefetch_related(with_citations())
    )
    for revision in approved:
        histories[revision.article_id].append(revision)
    return histories


def plan_article(article: Article, edits: list[Revision], history: list[Revision]) -> Plan:
    """``history``: the article's approved versions, oldest first (_histories)."""
    seen = {revision.pk: index for index, revision in enumerate(history)}
    for revision in history:
        revision.article = article  # their links name it: no query a version
    plan = Plan(article=article, edits=[history[seen[edit.pk]] for edit in edits])
    if article.approved_revision_id not in seen:
        plan.problem = "The article is not published."
        return plan
    current = history[seen[article.approved_revision_id]]
    cited = cited_of(current)
    names = Names.of(current)
    for edit in reversed(plan.edits):
        index = seen[edit.pk]
        if index == 0:
            plan.problem = "They created this article: its first version cannot be undone."
            return plan
        before = history[index - 1]
        merged = merge_cited(cited_of(edit), cited, cited_of(before))
        if not merged.clean:
            plan.problem = (
                f"Undoing version #{edit.pk} conflicts with what others wrote since "
                f"({'; '.join(merged.problems) or f'{merged.conflicts} conflicting place(s)'})."
            )
            return plan
        cited = _as_cited(merged.body, merged.citations)
        plan.citations = merged.citations
        # A move or a change of categories they made is undone too, if nobody changed it since.
        if names == Names.of(edit) and Names.of(edit) != Names.of(before):
            names = Names.of(before)
    plan.body, plan.names = cited.body, names
    plan.unchanged = plan.body == current.body and names == Names.of(current)
    return plan


def _edits_since(user: User, since: datetime) -> QuerySet[Revision]:
    return Revision.objects.filter(
        author=user, status=RevisionStatus.APPROVED, decided_at__gte=since
    ).order_by("decided_at", "pk")


def preview(*, user: User, since: datetime) -> tuple[list[Plan], list[Revision]]:
    """What a rollback would do, article by article, and which proposals it would reject."""
    by_article: dict[int, list[Revision]] = {}
    for edit in _edits_since(user, since):
        by_article.setdefault(edit.article_id, []).append(edit)
    articles = Article.objects.select_related("episode__season__show")
    articles_by_pk = articles.in_bulk(list(by_article)[:MAX_ARTICLES])
    histories = _histories(list(articles_by_pk))
    plans = [
        plan_article(article, by_article[pk], histories[pk])
        for pk, article in articles_by_pk.items()
    ]
    pending = list(
        Revision.objects.pending().filter(author=user).select_related("article").order_by("pk")
    )
    return plans, pending


def rollback(*, user: User, since: datetime, moderator: User, reason: str) -> Report:
    """Roll back ``user``'s approved changes since ``since`` and reject their pending
    proposals, all with ``reason`` (each article in its own transaction)."""
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can roll back a fan's edits.")
    if user.pk == moderator.pk or can_moderate(user):
        raise PermissionDenied("A moderator's edits are reverted one by one, not rolled back.")
    reason = checked_reason(reason, missing="Say why (the authors and the record see it).")
    if since > timezone.now():
        raise ValidationError({"since": "Choose a time in the past."})
    report = Report()
    plans, pending = preview(user=user, since=since)
    when = f"{timezone.localtime(since):%Y-%m-%d %H:%M}"
    for planned in plans:
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=planned.article.pk)
            # Again, under the lock, on the history as it is now.
            plan = plan_article(article, planned.edits, _histories([article.pk])[article.pk])
            if not plan.ok:
                report.left.append(plan)
                continue
            published = revision_publish(
                article=article,
                text=Carried(
                    author=moderator,
                    body=plan.body,
                    summary=f"Rolled back the edits of {user} since {when}: {reason}"[:300],
                    base=article.approved_revision,
                    citations=plan.citations,
                    names=plan.names,
                ),
                actor=moderator,
                automatic=True,
                action=AuditAction.REVERTED,
                reason=reason,
            )
            ModeratorAction.objects.create(
                actor=moderator,
                action=ActionKind.ROLLED_BACK,
                article=article,
                user=user,
                revision=published,
                summary=f"Rolled back {len(plan.edits)} edit(s) of {user} since {when} "
                f"as version #{published.pk}"[:500],
                details={"undone": [edit.pk for edit in plan.edits], "since": since.isoformat()},
                reason=reason,
            )
            report.done.append((article, published))
    for proposal in pending:
        try:
            moderation.revision_reject(revision=proposal, moderator=moderator, reason=reason)
        except (ValidationError, PermissionDenied, WikiConflict):
            continue  # decided or claimed meanwhile: left as it is
        report.rejected += 1
    return report
