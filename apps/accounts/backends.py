"""Permissions read once, then kept in the shared cache until they change.

Django's ``ModelBackend`` asks the database twice for a user's permissions (their
own and their groups') on every request that checks one, and nearly every page
checks one: the header links to the review queue for moderators. This backend
keeps each user's set of permission names in the shared cache with the
*generation* it was read in. Any change to who holds what (a user added to or
removed from a group, a permission given to or taken from a user or a group, a
group or permission saved or deleted, a migrate, a restored backup) moves the
generation on, so the next check reads the database again. The generation and
the user's set are read in one round trip.

Only a cache every process shares (Redis) keeps permissions between requests: a
per-process memory cache would keep a revoked permission in the other processes.
Inactive users, superusers and object permissions behave as ``ModelBackend``'s.
"""

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import router

from fanwiki.generations import Generation, shared
from fanwiki.prepared import Prepared
from fanwiki.routers import primary

logger = logging.getLogger(__name__)

PERMISSIONS = Generation("perms:generation")
KEEP_SECONDS = 600  # also bounds a change made behind the signals' back (raw SQL)


def _user_key(user_id: object) -> str:
    return f"perms:user:{user_id}"


def permissions_changed(**kwargs: Any) -> None:
    """Who holds which permission may have changed: every kept set is stale."""
    PERMISSIONS.changed()


def _user_query(*, user: int) -> Any:
    model = get_user_model()
    return model._default_manager.filter(pk=user).values_list(*_attnames())


def _attnames() -> list[str]:
    return [field.attname for field in get_user_model()._meta.concrete_fields]


# The signed-in user, read on every page: compiled once per process (fanwiki.prepared).
_USER = Prepared(_user_query, "user")


class CachedPermissionsBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """ModelBackend's, with the query compiled once (the same manager and filter)."""
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return super().get_user(user_id)
        model = get_user_model()
        rows = _USER.rows(model, user=user_id)
        if not rows:
            return None
        user = model.from_db(router.db_for_read(model) or "default", _attnames(), rows[0])
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if (
            obj is not None
            or not user_obj.is_active
            or user_obj.is_anonymous
            or hasattr(user_obj, "_perm_cache")
            or not shared()
        ):
            return super().get_all_permissions(user_obj, obj)
        user_obj._perm_cache = self._kept(user_obj)
        return user_obj._perm_cache

    def _kept(self, user_obj: Any) -> set[str]:
        key = _user_key(user_obj.pk)
        try:
            found = cache.get_many([PERMISSIONS.key, key])
        except Exception:  # noqa: BLE001 - the cache is down: ask the database, as without it
            return super().get_all_permissions(user_obj)
        generation = PERMISSIONS.read(found.get(PERMISSIONS.key))
        kept = found.get(key)
        # Kept with the superuser flag it was read for: a superuser has every permission.
        if kept is not None and kept[:2] == (generation, user_obj.is_superuser):
            return set(kept[2])
        # From the primary: a replica behind it could hand back a permission just taken
        # away, to be kept under the generation that took it away.
        with primary():
            permissions = super().get_all_permissions(user_obj)
        if generation is not None:
            try:
                kept = (generation, user_obj.is_superuser, sorted(permissions))
                cache.set(key, kept, timeout=KEEP_SECONDS)
            except Exception:  # noqa: BLE001 - not kept: asked again next time
                logger.warning("permissions not kept: the cache refused them", exc_info=True)
        return permissions


def connect() -> None:
    """Move the generation on whenever who holds a permission may change (AppConfig.ready)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    user = get_user_model()
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(
            _m2m_changed, sender=through, dispatch_uid=f"perms-{through._meta.label}"
        )
    for model in (Group, Permission):
        post_save.connect(permissions_changed, sender=model, dispatch_uid=f"perms-{model}")
        post_delete.connect(permissions_changed, sender=model, dispatch_uid=f"perms-{model}-del")
    post_delete.connect(permissions_changed, sender=user, dispatch_uid="perms-user-del")
    post_migrate.connect(permissions_changed, dispatch_uid="perms-migrate")


def _m2m_changed(action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear", "pre_clear"):
        permissions_changed()
