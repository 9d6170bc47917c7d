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

from django.core.exceptions import FieldDoesNotExist
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


FOREIGN = "This cursor is not one the API gave: start again."


def _values(cursor: str, count: int) -> list[Any]:
    """The ``count`` values a cursor carries; a 400 problem for anything else."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != count:
        raise Problem("bad-request", FOREIGN)
    return values


def _decode(cursor: str, fields: tuple[str, ...], model: type[Model]) -> list[Any]:
    decoded: list[Any] = []
    for field, value in zip(fields, _values(cursor, len(fields)), strict=True):
        try:
            kind = model._meta.get_field(field.lstrip("-")).get_internal_type()  # type: ignore[union-attr]
        except FieldDoesNotExist:
            kind = ""  # an annotation (a number or a name)
        if value is None:
            decoded.append(None)
        elif kind == "DateTimeField" and isinstance(value, str) and parse_datetime(value):
            decoded.append(parse_datetime(value))
        elif (
            type(value) is int
            and kind in (*INTEGERS, "")
            or isinstance(value, str)
            and kind in (*TEXTS, "")
        ):
            decoded.append(value)
        else:
            raise Problem("bad-request", FOREIGN)
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


# A ranked list (search) has no keyset to resume from: its cursor is a position in the
# ranking, as opaque as the others, and bounded.
MAX_POSITION = 1000


def position_cursor(offset: int) -> str | None:
    return _encode([offset]) if offset < MAX_POSITION else None


def position(cursor: str | None) -> int:
    if not cursor:
        return 0
    (value,) = _values(cursor, 1)
    if type(value) is not int or not 0 <= value <= MAX_POSITION:
        raise Problem("bad-request", FOREIGN)
    return value
