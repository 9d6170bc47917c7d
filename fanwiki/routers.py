"""Reads from a replica, writes to the primary, and a user's own writes read back at once.

Active only when ``DATABASE_REPLICA_URL`` is set. A read goes to the replica
unless (1) a transaction is open on the primary (what it reads must be what it
writes against), (2) the request is itself a write (POST and friends), or (3)
the browser wrote within the last ``REPLICA_PIN_SECONDS`` — replication lag
must not make a fan's own proposal or a moderator's own decision vanish on the
page they are redirected to. Background tasks pin themselves with
:func:`primary`.

A replica that does not answer is not a reader's problem: reads go to the
primary instead. A process that cannot connect to the replica (refused, or no
answer within ``DATABASE_REPLICA_CONNECT_TIMEOUT``) reads from the primary for
``REPLICA_RETRY_SECONDS`` without trying it again (a circuit,
fanwiki/circuit.py), and a page whose replica connection broke while it was
being made is made again from the primary.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from .circuit import Circuit

REPLICA = "replica"
ROUTER = "fanwiki.routers.PrimaryReplicaRouter"
PIN_COOKIE = "primary_pin"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

_pinned: ContextVar[bool] = ContextVar("primary_pinned", default=False)

REPLICA_CIRCUIT = Circuit("read replica", "reading from the primary", "REPLICA_RETRY_SECONDS")


def replica_answers() -> bool:
    """Whether reads may go to the replica: it is connected, or connects now."""
    if REPLICA_CIRCUIT.open():
        return False
    replica = connections[REPLICA]
    if replica.connection is not None:
        return True  # a connection that broke shows on its query: see the middleware
    try:
        replica.ensure_connection()
    except DatabaseError as error:
        REPLICA_CIRCUIT.failed(error)
        return False
    REPLICA_CIRCUIT.answered()
    return True


def _replica_failed_this_request() -> bool:
    """The replica's connection raised an error in this request: take it as down."""
    replica = connections[REPLICA]
    if not replica.errors_occurred:
        return False
    REPLICA_CIRCUIT.failed(RuntimeError("its connection broke during a request"))
    with suppress(DatabaseError):
        replica.close()
    return True


@contextmanager
def primary() -> Iterator[None]:
    """Every read inside the block goes to the primary."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: object) -> str:
        if _pinned.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA if replica_answers() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: object) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: object) -> bool:
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
        return db == DEFAULT_DB_ALIAS


class PrimaryAfterWriteMiddleware:
    """Pins a write request, and the same browser's next requests for a while, to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if ROUTER not in settings.DATABASE_ROUTERS:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writes = request.method not in SAFE_METHODS
        token = _pinned.set(writes or PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
            if response.status_code >= 500 and not writes and _replica_failed_this_request():
                # The replica went away while the page was made: make it from the primary.
                _pinned.set(True)
                response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
