"""Edit filters at work: the answer to wiki's "content-check" hook, and trying a rule.

Every enabled filter for the kind of text is run (apps.safety.rules) on what a fan
is about to store; every match is logged (FilterHit), whatever comes of it. Then,
in order of weight: a refusal (the filters' messages), a warning (the messages,
and a token the page carries back: submitted again, those warnings pass), and
for proposals a hold for review and the tags. A filter whose rule fails, or takes
longer than EDIT_FILTER_MAX_MS, is switched off with the reason (shown on the
filters page) and the text goes on as if it had not matched: never a 500.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from rule_engine import errors

from apps.accounts.models import User
from apps.moderation.models import ReviewComment
from apps.talk.models import Post
from apps.web.refusals import Flagged
from apps.wiki.models import Revision
from apps.wiki.screening import Screening, Written

from . import rules
from .models import EditFilter, FilterAction, FilterHit, Kind

logger = logging.getLogger(__name__)

ACK_SALT = "safety.filters.acknowledged"
ACK_MAX_AGE = 24 * 3600
REFUSED = "This cannot be saved: it matches one of the wiki's filters against abuse."
WARNED = "Check this before saving: it matches one of the wiki's filters against abuse."
WARNED_TAIL = "If it is right as it is, submit it again to save it."
EXCERPT = 500


def _acknowledged(token: str, user: User) -> set[int]:
    if not token:
        return set()
    try:
        data = signing.loads(token, salt=ACK_SALT, max_age=ACK_MAX_AGE)
    except signing.BadSignature:
        return set()
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return set()
    return {pk for pk in data.get("f", []) if isinstance(pk, int)}


def _token(user: User, filters: set[int]) -> str:
    return signing.dumps({"u": user.pk, "f": sorted(filters)}, salt=ACK_SALT, compress=True)


def _switch_off(edit_filter: EditFilter, why: str) -> None:
    """Off, with the reason, in its own write (what is being written may yet fail)."""
    logger.warning("edit filter %s switched off: %s", edit_filter.pk, why)
    EditFilter.objects.filter(pk=edit_filter.pk).update(enabled=False, broken=why[:1000])


def _matches(edit_filter: EditFilter, facts: rules.Facts) -> bool:
    try:
        rule = rules.compile_rule(edit_filter.rule)
        matched, took = rules.evaluate(rule, facts)
    except (ValueError, errors.EngineError) as error:
        _switch_off(edit_filter, f"Its rule failed on a text: {error}")
        return False
    if took > rules.too_slow_ms():
        _switch_off(edit_filter, f"Its rule took {took:.0f} ms on one text (at most "
                                 f"{rules.too_slow_ms():.0f} ms).")  # fmt: skip
        return False
    return matched


def _log(matched: list[tuple[EditFilter, bool]], written: Written) -> None:
    article = written.article if written.article is not None and written.article.pk else None
    with transaction.atomic():
        FilterHit.objects.bulk_create(
            FilterHit(
                filter=edit_filter,
                user=written.author,
                kind=written.kind,
                action=edit_filter.action,
                acknowledged=acknowledged,
                article=article,
                title=written.title[:300],
                summary=written.summary[:300],
                excerpt=written.added_text[:EXCERPT],
            )
            for edit_filter, acknowledged in matched
        )


def check(written: Written) -> Screening | None:
    """The enabled filters' verdict on ``written`` (see the module docstring)."""
    active = [f for f in EditFilter.objects.filter(enabled=True) if written.kind in f.kinds]
    if not active:
        return None
    facts = rules.Facts(written)
    seen = _acknowledged(written.acknowledged, written.author)
    matched = [f for f in active if _matches(f, facts)]
    if not matched:
        return None
    _log([(f, f.action == FilterAction.WARN and f.pk in seen) for f in matched], written)
    refusing = [f for f in matched if f.action == FilterAction.REFUSE]
    if refusing:
        raise ValidationError([f.message or REFUSED for f in refusing], code="filtered")
    warning = [f for f in matched if f.action == FilterAction.WARN and f.pk not in seen]
    if warning:
        messages = [f.message or WARNED for f in warning] + [WARNED_TAIL]
        raise Flagged(messages, acknowledge=_token(written.author, seen | {f.pk for f in warning}))
    proposal = written.kind == Kind.PROPOSAL
    return Screening(
        hold=proposal and any(f.action == FilterAction.HOLD for f in matched),
        tags=tuple(f.label for f in matched if f.action == FilterAction.TAG) if proposal else (),
    )


@dataclass(frozen=True)
class Trial:
    """One stored text a rule was tried on."""

    item: Any  # a Revision, a Post or a ReviewComment
    written: Written
    matched: bool
    error: str = ""


def _stored(kind: str, count: int) -> list[tuple[Any, Written]]:
    if kind == Kind.PROPOSAL:
        revisions = Revision.objects.select_related(
            "author", "article__episode__season__show", "base"
        ).order_by("-created_at", "-id")[:count]
        return [
            (r, Written(kind=kind, author=r.author, article=r.article, text=r.body,
                        previous=r.base.body if r.base else "", summary=r.summary,
                        title=r.title or r.article.title, rendered=r.rendered_html))
            for r in revisions
        ]  # fmt: skip
    if kind == Kind.TALK:
        posts = Post.objects.select_related(
            "author", "topic__article__episode__season__show"
        ).order_by("-created_at", "-id")[:count]
        return [
            (p, Written(kind=kind, author=p.author, article=p.topic.article, text=p.body,
                        summary=p.topic.title, title=p.topic.article.title,
                        rendered=p.rendered_html))
            for p in posts
        ]  # fmt: skip
    comments = ReviewComment.objects.select_related(
        "author", "thread__revision__article__episode__season__show"
    ).order_by("-created_at", "-id")[:count]
    return [
        (c, Written(kind=kind, author=c.author, article=c.thread.revision.article, text=c.body,
                    title=c.thread.revision.article.title, rendered=c.rendered_html))
        for c in comments
    ]  # fmt: skip


def trial(rule_text: str, kinds: list[str], count: int) -> list[Trial]:
    """The rule tried on the last ``count`` stored texts of each kind (nothing is logged or
    changed): which would have matched. Raises ValueError if the rule cannot be read."""
    rule = rules.compile_rule(rule_text)
    tried = []
    for kind in kinds:
        for item, written in _stored(kind, count):
            try:
                matched, _took = rules.evaluate(rule, rules.Facts(written))
            except errors.EngineError as error:
                tried.append(Trial(item, written, False, str(error)))
            else:
                tried.append(Trial(item, written, matched))
    tried.sort(key=lambda t: t.item.created_at, reverse=True)
    return tried
