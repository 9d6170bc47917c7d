"""``/healthz``: can this app server answer? For load balancers, every second if they like.

It touches the database and the cache, nothing else: no session, no user, no
template. 200 with ``{"status": "ok", ...}`` when both answer, 503 naming the
part that failed when one does not.

With a read replica, its state is reported too (``"replica": "failing"``), but
does not make the answer a 503: reads go to the primary meanwhile, so the node
still serves every page. While the replica is taken as down (its circuit is
open) it is not asked again.
"""

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .routers import REPLICA, REPLICA_CIRCUIT, ROUTER, replica_answers

logger = logging.getLogger(__name__)


def _database(alias: str = DEFAULT_DB_ALIAS) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    if hasattr(cache, "ping"):  # ours answers past its circuit: ask Redis itself
        cache.ping()
    probe = secrets.token_hex(8)
    cache.set("healthz", probe, timeout=10)
    if cache.get("healthz") != probe:
        raise RuntimeError("the cache did not return what was just stored")


CHECKS: dict[str, Callable[[], object]] = {"database": _database, "cache": _cache}


def _replica() -> str:
    """As the router sees the replica (connected, or connecting now; not while its circuit
    is open), and a query on it."""
    if not replica_answers():
        return "failing"
    try:
        _database(REPLICA)
    except DatabaseError as error:
        REPLICA_CIRCUIT.failed(error)
        connections[REPLICA].close_if_unusable_or_obsolete()
        return "failing"
    REPLICA_CIRCUIT.answered()
    return "ok"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
            logger.warning("health check: %s failed: %s", name, error)
            results[name] = "failing"
            if name == "database":
                # A broken connection must not be reused by the next request.
                connections[DEFAULT_DB_ALIAS].close_if_unusable_or_obsolete()
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    if ROUTER in settings.DATABASE_ROUTERS:
        results["replica"] = _replica()  # reads go to the primary meanwhile: still healthy
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": results},
        status=200 if healthy else 503,
    )
