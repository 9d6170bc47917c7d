"""What the API adds to other apps' pages and steps."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from apps.talk.services import TALK_POSTED
from apps.web import hooks, spoilers
from apps.web.apps import ACCOUNT_SETTINGS
from apps.wiki.slots import NAMES_PUBLISHED, REVISION_DECIDED, REVISION_PROPOSED

from .models import WebhookEvent
from .webhooks import emit


@hooks.register(ACCOUNT_SETTINGS, order=50)
def tokens_on_account_page(*, request: HttpRequest, user) -> str:
    from .views import tokens_section

    return render_to_string("api/account_tokens.html", tokens_section(request), request=request)


# ---- Webhook events: what the services announce, as each webhook receives it ------------
# Made as nobody's reader (nothing folded): a webhook belongs to the site's staff, and what
# it receives must not depend on whose request caused the event.


def _article(article) -> dict:
    from .present import article_ref

    with spoilers.reading_as(None):
        return article_ref(article)


def _revision(revision) -> dict:
    return {
        "id": revision.pk,
        "status": revision.status,
        "summary": revision.summary,
        "author": revision.author.username,
        "bot": revision.author.is_bot,
        "base_id": revision.base_id,
        "automatic": revision.automatic,
        "decided_by": revision.decided_by.username if revision.decided_by else None,
    }


@hooks.register(NAMES_PUBLISHED, order=90)
def revision_published(*, article, revision, names, previous) -> None:
    emit(
        WebhookEvent.REVISION_PUBLISHED,
        {"article": _article(article), "revision": _revision(revision)},
    )


@hooks.register(REVISION_PROPOSED, order=90)
def proposal_submitted(*, revision) -> None:
    emit(
        WebhookEvent.PROPOSAL_SUBMITTED,
        {"article": _article(revision.article), "revision": _revision(revision)},
    )


@hooks.register(REVISION_DECIDED, order=90)
def proposal_decided(*, revision, automatic) -> None:
    emit(
        WebhookEvent.PROPOSAL_DECIDED,
        {"article": _article(revision.article), "revision": _revision(revision)},
    )


@hooks.register(TALK_POSTED, order=90)
def talk_posted(*, post) -> None:
    topic = post.topic
    emit(
        WebhookEvent.TALK_POSTED,
        {
            "article": _article(topic.article),
            "topic": {"id": topic.pk, "title": topic.title},
            "post": {"id": post.pk, "author": post.author.username, "parent_id": post.parent_id},
        },
    )


@hooks.register("revision-suppressed", order=10)
def redact_deliveries(*, revision, replacements) -> None:
    """Webhook bodies quoted what oversight suppressed: rewritten (those already sent are
    out of reach). A name is rewritten only in the bodies about this revision."""
    from apps.safety.suppression import SUPPRESSED_NAME

    from .models import WebhookDelivery

    for old, new in replacements:
        if len(old.strip()) < 3:
            continue
        deliveries = WebhookDelivery.objects.filter(body__contains=old)
        if new == SUPPRESSED_NAME:
            deliveries = deliveries.filter(body__contains=f'"id": {revision.pk}')
        for delivery in deliveries:
            delivery.body = delivery.body.replace(old, new)
            delivery.save(update_fields=["body"])
