"""Placing and lifting blocks, and writing edit filters: moderators only, each change on
the record with its reason."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.categories.models import Category
from apps.web.refusals import Conflict
from apps.web.usertext import checked_reason
from apps.wiki.models import ActionKind, Article, ModeratorAction
from apps.wiki.permissions import can_moderate

from . import addresses
from .models import Action, Block, EditFilter, FilterAction, Kind
from .rules import check_runs, compile_rule


class NotActive(Conflict):
    """The block was lifted or ran out meanwhile (a 409)."""


def block_create(
    *,
    moderator: User,
    reason: str,
    user: User | None = None,
    network: str = "",
    sitewide: bool = True,
    actions: Iterable[str] = (),
    articles: Iterable[Article] = (),
    categories: Iterable[Category] = (),
    expires_at: datetime | None = None,
) -> Block:
    """Keep an account, or an address range, from writing: everywhere (``sitewide``) or only
    ``actions``, ``articles`` and the articles of ``categories``; until ``expires_at``."""
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can block.")
    errors: dict[str, str] = {}
    first = last = ""
    if (user is None) == (not network.strip()):
        errors["user"] = "Block an account or an address range: one of the two."
    elif user is not None:
        if user.pk == moderator.pk:
            errors["user"] = "You cannot block yourself."
        elif can_moderate(user):
            errors["user"] = "Moderators cannot be blocked here: staff can remove them first."
    else:
        try:
            parsed = addresses.parse_network(network)
        except ValueError as error:
            errors["network"] = str(error)
        else:
            network = str(parsed)
            first, last = addresses.bounds(parsed)
    actions = list(dict.fromkeys(actions))
    articles, categories = list(articles), list(categories)
    if any(action not in Action.values for action in actions):
        errors["actions"] = "Choose among proposing, talk pages, comments and uploads."
    if not sitewide and not (actions or articles or categories):
        errors["actions"] = (
            "Say what a partial block keeps them from: actions, articles or categories."
        )
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "The end must be in the future."
    try:
        reason = checked_reason(reason, missing="Say why: the blocked fan reads it.")
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        block = Block.objects.create(
            user=user,
            network=network if user is None else "",
            first=first,
            last=last,
            sitewide=sitewide,
            actions=[] if sitewide else actions,
            reason=reason,
            expires_at=expires_at,
            created_by=moderator,
        )
        if not sitewide:
            block.articles.set(articles)
            block.categories.set(categories)
        ModeratorAction.objects.create(
            actor=moderator,
            action=ActionKind.BLOCKED,
            user=user,
            article=articles[0] if len(articles) == 1 and not sitewide else None,
            summary=f"Blocked {block.target} from: {block.scope()} ({block.until})"[:500],
            details={
                "block": block.pk,
                "network": block.network,
                "sitewide": sitewide,
                "actions": block.actions,
                "articles": [article.pk for article in articles] if not sitewide else [],
                "categories": [category.pk for category in categories] if not sitewide else [],
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
            reason=reason,
        )
    return block


def block_lift(*, block: Block, moderator: User, reason: str) -> Block:
    """End a block now (it stays on the record, as lifted)."""
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can lift blocks.")
    reason = checked_reason(reason, missing="Say why the block is lifted.")
    with transaction.atomic():
        locked = Block.objects.select_for_update().get(pk=block.pk)
        if not locked.is_active:
            raise NotActive("This block has already ended or been lifted.")
        locked.lifted_at = timezone.now()
        locked.lifted_by = moderator
        locked.lift_reason = reason
        locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        ModeratorAction.objects.create(
            actor=moderator,
            action=ActionKind.BLOCK_LIFTED,
            user=locked.user,
            summary=f"Lifted the block of {locked.target} placed by {locked.created_by} "
            f"on {locked.created_at:%Y-%m-%d}"[:500],
            details={"block": locked.pk},
            reason=reason,
        )
    return locked


FILTER_FIELDS = ("name", "notes", "rule", "kinds", "action", "message", "tag", "enabled")


def filter_save(
    *,
    moderator: User,
    reason: str,
    edit_filter: EditFilter | None = None,
    **fields: Any,
) -> EditFilter:
    """Create an edit filter (``edit_filter`` None) or change one; every change is on the
    record with what changed and why. Saving it enabled clears the reason it was off."""
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can change edit filters.")
    unknown = set(fields) - set(FILTER_FIELDS)
    if unknown:
        raise TypeError(f"Not a filter's field: {', '.join(sorted(unknown))}")
    errors: dict[str, str] = {}
    values = {name: fields.get(name, getattr(edit_filter, name, "")) for name in FILTER_FIELDS}
    values["name"] = str(values["name"] or "").strip()
    values["rule"] = str(values["rule"] or "").strip()
    values["kinds"] = [kind for kind in Kind.values if kind in (values["kinds"] or [])]
    values["enabled"] = bool(values["enabled"])
    if not values["name"]:
        errors["name"] = "Name the filter."
    try:
        check_runs(compile_rule(values["rule"]))
    except ValueError as error:
        errors["rule"] = str(error)
    if not values["kinds"]:
        errors["kinds"] = "Choose what it looks at."
    if values["action"] not in FilterAction.values:
        errors["action"] = "Choose what it does."
    elif (
        values["action"] in (FilterAction.WARN, FilterAction.REFUSE)
        and not str(values["message"] or "").strip()
    ):
        errors["message"] = "Write what the writer reads when it matches."
    try:
        reason = checked_reason(reason, missing="Say why (it goes in the audit log).")
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = (
            {name: getattr(edit_filter, name) for name in FILTER_FIELDS}
            if edit_filter is not None
            else {}
        )
        target = edit_filter or EditFilter(created_by=moderator)
        for name, value in values.items():
            setattr(target, name, value)
        if target.enabled:
            target.broken = ""
        target.changed_at = timezone.now()
        target.save()
        changed = {
            name: {"from": before.get(name), "to": values[name]}
            for name in FILTER_FIELDS
            if before.get(name) != values[name]
        }
        what = "Created" if edit_filter is None else "Changed"
        ModeratorAction.objects.create(
            actor=moderator,
            action=ActionKind.FILTER_CHANGED,
            summary=f"{what} edit filter #{target.pk} “{target.name}” "
            f"({', '.join(changed) or 'nothing'}; {'on' if target.enabled else 'off'})"[:500],
            details={"filter": target.pk, "changed": changed},
            reason=reason,
        )
    return target
