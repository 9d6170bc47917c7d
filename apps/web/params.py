"""Values from the query string and posted data, parsed strictly.

A value that is not what the page expects is answered as if it were absent (or,
for lists, with a message): never passed on to a query, where a NUL character or
a number too large for the column makes the database refuse it with a 500.
"""

import re

from django.http import HttpRequest

_ID = re.compile(r"[0-9]{1,18}")
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")


def id_value(value: object) -> int | None:
    """A positive id from posted or query data (at most 18 digits), or None."""
    return int(value) if isinstance(value, str) and _ID.fullmatch(value) else None


def int_param(request: HttpRequest, name: str) -> int | None:
    """A positive integer from the query string, or None for anything else."""
    return id_value(request.GET.get(name, ""))


def int_list_param(request: HttpRequest, name: str, *, limit: int) -> list[int]:
    """Positive integers from ``?name=1&name=2`` or ``?name=1,2``, in order, without repeats.

    Raises ValueError, with a message for the caller, on anything else or on more than
    ``limit`` of them: a script that sends those has a bug worth hearing about.
    """
    parts = [part.strip() for value in request.GET.getlist(name) for part in value.split(",")]
    parts = [part for part in parts if part]
    if len(parts) > limit:
        raise ValueError(f"Ask for at most {limit} at once.")
    if not all(_ID.fullmatch(part) for part in parts):
        raise ValueError(f"“{name}” takes whole numbers, such as ?{name}=12 or ?{name}=12,15.")
    return list(dict.fromkeys(int(part) for part in parts))


def text_param(request: HttpRequest, name: str, *, max_length: int = 200) -> str:
    """A search string from the query string: trimmed, bounded, without NUL characters."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:max_length]


def slug_value(value: object) -> str:
    """A slug from posted or query data, or "" for anything else (NUL, other characters).

    Looked up as is, a NUL character makes PostgreSQL refuse the query (a 500); ""
    matches no row, so a lookup answers 404 or applies no filter instead.
    """
    return value if isinstance(value, str) and _SLUG.fullmatch(value) else ""
