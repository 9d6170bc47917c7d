"""Queries the ORM writes once per process and the hottest pages then run as they are.

Building a query costs the ORM far more than running it on a small table: cloning
querysets, resolving ``Exists`` and ``OuterRef``, compiling SQL. On a page served
from the cache, the one or two queries left (the signed-in user, what the page's
personal parts show) took most of its time. A :class:`Prepared` query is written
by the ORM, with the same managers and filters as everywhere else, the first time
it runs in a process for a database engine; afterwards only its parameters change.

The query is built with a distinct sample value for each parameter, and the
positions where those values land in the compiled parameters are the parameters'
places. Only whole numbers (ids) may be parameters: a value that changes the SQL
itself (None becoming ``IS NULL``, a list's length) cannot be one, and a query
whose sample values do not each land exactly once is refused when first built.
"""

from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet

# Far from any id a table holds; one more for each parameter.
_SAMPLE_BASE = 7_340_000_000_000


Compiled = tuple[str, list[Any], list[str | None], list[tuple[int, list[Any], Any]]]


class Prepared:
    """``build(**ids)`` (a queryset of values_list rows) compiled once per engine, then
    run with other ids; its rows come back converted as the ORM converts them."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *names: str) -> None:
        self.build = build
        self.names = names
        self._compiled: dict[str, Compiled] = {}

    def _compile(self, alias: str) -> Compiled:
        vendor = connections[alias].vendor
        found = self._compiled.get(vendor)
        if found is None:
            samples = {name: _SAMPLE_BASE + number for number, name in enumerate(self.names)}
            compiler = self.build(**samples).query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            by_value = {value: name for name, value in samples.items()}
            places = [by_value.get(value) if isinstance(value, int) else None for value in params]
            missing = [name for name in self.names if name not in places]
            if missing:
                raise ValueError(f"{', '.join(missing)}: not a parameter of the query")
            selected = [column[0] for column in compiler.select[: compiler.col_count]]
            converters = [
                (position, list(functions), expression)
                for position, (functions, expression) in compiler.get_converters(selected).items()
            ]
            found = (sql, list(params), places, converters)
            self._compiled[vendor] = found
        return found

    def rows(self, model: type[Model], **ids: int) -> list[list[Any]]:
        """The query's rows for these ids, read where the router reads ``model``."""
        alias = router.db_for_read(model) or "default"
        sql, constants, places, converters = self._compile(alias)
        params = [
            constant if place is None else int(ids[place])
            for constant, place in zip(constants, places, strict=True)
        ]
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = [list(row) for row in cursor.fetchall()]
        for row in fetched:
            for position, functions, expression in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
        return fetched
