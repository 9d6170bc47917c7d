"""Cursor pagination: a list's next page starts after the last item of this one.

The cursor is opaque to clients (base64 of the sort values of the last item sent), so
a row inserted while a bot walks a list neither repeats an item nor skips one, as an
offset would. Every ordering ends with the primary key, which makes it total.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.dateparse import parse_datetime

from .problems import Problem

T = TypeVar("T", bound=Model)
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
INTEGERS = ("AutoField", "BigAutoField", "IntegerField", "PositiveSmallIntegerField")
TEXTS = ("CharField", "SlugField", "TextField")


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def _encode(values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _fits(kind: str, value: object) -> bool:
    return (kind in INTEGERS and type(value) is int) or (kind in TEXTS and isinstance(value, str))


def _decode(cursor: str, fields: tuple[str, ...], model: type[Model]) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != len(fields):
        raise Problem("bad-request", "This cursor is not one the API gave: start again.")
    decoded: list[Any] = []
    for field, value in zip(fields, values, strict=True):
        kind = model._meta.get_field(field.lstrip("-")).get_internal_type()  # type: ignore[union-attr]
        if value is None:
            decoded.append(None)
        elif kind == "DateTimeField" and isinstance(value, str) and parse_datetime(value):
            decoded.append(parse_datetime(value))
        elif _fits(kind, value):
            decoded.append(value)
        else:
            raise Problem("bad-request", "This cursor is not one the API gave: start again.")
    return decoded


def _after(fields: tuple[str, ...], values: list[Any]) -> Q:
    """Rows after ``values`` in the order ``fields`` (a keyset condition)."""
    condition = Q(pk__in=[])
    equal = Q()
    for field, value in zip(fields, values, strict=True):
        name = field.lstrip("-")
        beyond = Q(**{f"{name}__lt" if field.startswith("-") else f"{name}__gt": value})
        condition |= equal & beyond
        equal &= Q(**{name: value})
    return condition


def paginate(
    queryset: QuerySet[T], *, order: tuple[str, ...], cursor: str | None, limit: int | None
) -> Page[T]:
    """One page of ``queryset`` in ``order`` (which must end with ``id`` or ``-id``)."""
    size = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    queryset = queryset.order_by(*order)
    if cursor:
        queryset = queryset.filter(_after(order, _decode(cursor, order, queryset.model)))
    rows = list(queryset[: size + 1])
    if len(rows) <= size:
        return Page(rows, None)
    last = rows[size - 1]
    return Page(rows[:size], _encode([getattr(last, f.lstrip("-")) for f in order]))
