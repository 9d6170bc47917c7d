"""What export and import agree on: the format's name and version, and the models in file order."""

from typing import Any

from django.contrib.auth.models import Group
from django.db.models import ManyToManyField, Model

from apps.accounts.models import User
from apps.api.models import ApiToken, DeliveryAttempt, TokenEvent, Webhook, WebhookDelivery
from apps.catalog.models import Episode, Season, Show
from apps.categories.models import Category, Membership
from apps.citations.models import Source
from apps.moderation.models import (
    ProtectionChange,
    ReviewClaim,
    ReviewComment,
    ReviewThread,
    TrustChange,
)
from apps.notifications.models import Notification
from apps.operations.models import ImportedPage, ImportedRevision, ImportedTalk, ImportRun
from apps.outbox.models import HeldTask
from apps.safety.models import Block, EditFilter, FilterHit, Suppression
from apps.talk.models import Post, TalkEvent, Topic, TopicFollow
from apps.wiki.models import (
    Article,
    AuditEvent,
    Citation,
    Follow,
    ModeratorAction,
    Redirect,
    Revision,
    RevisionTag,
    Statement,
)

BACKUP_FORMAT = "fanwiki-backup"
VERSION = 1

# File order: every model after the models its foreign keys point at.
MODELS: tuple[type[Model], ...] = (
    Group,
    User,
    Show,
    Season,
    Episode,
    Source,
    Article,
    Revision,
    Citation,
    Statement,
    AuditEvent,
    ReviewClaim,
    ReviewThread,
    ReviewComment,
    Follow,
    TrustChange,
    ProtectionChange,
    ModeratorAction,
    Notification,
    Topic,
    Post,
    TopicFollow,
    TalkEvent,
    Redirect,
    Category,
    Membership,
    ImportedPage,
    ImportedRevision,
    ImportedTalk,
    ImportRun,
    ApiToken,
    TokenEvent,
    Webhook,
    WebhookDelivery,
    DeliveryAttempt,
    Block,
    EditFilter,
    FilterHit,
    RevisionTag,
    Suppression,
    HeldTask,
)
# What oversight took out of revisions: written only when asked (export_wiki
# --with-suppressed); without it, a backup holds the placeholders alone.
SUPPRESSED: tuple[type[Model], ...] = (Suppression,)
# Models that moved between apps since a backup could have been written: the label a
# file may name them by, and the label they have now. Files keep loading across moves.
RENAMED: dict[str, str] = {
    "wiki.reviewclaim": "moderation.reviewclaim",
    "wiki.reviewthread": "moderation.reviewthread",
    "wiki.reviewcomment": "moderation.reviewcomment",
    "wiki.trustchange": "moderation.trustchange",
}
# Rows the migrations create themselves: matched by natural key, never required to be absent.
SHARED: tuple[type[Model], ...] = (Group,)
# Serialised with natural foreign keys, so groups and permissions travel by name, not by id.
NATURAL: tuple[type[Model], ...] = (Group, User)


class BackupError(Exception):
    """A file that cannot be imported, or a database that must not receive one."""


def label(model: type[Model]) -> str:
    return model._meta.label_lower


def many_to_many(model: type[Model]) -> list[tuple["ManyToManyField[Any, Any]", type[Model]]]:
    """The model's many-to-many fields, each with the model of the table behind it."""
    return [
        (field, through)
        for field in model._meta.many_to_many
        if (through := field.remote_field.through) is not None
    ]


def through_models() -> list[type[Model]]:
    """The tables behind the many-to-many fields of the exported models."""
    return [through for model in MODELS for _field, through in many_to_many(model)]
