"""Errors as RFC 9457 problem details (``application/problem+json``), for every refusal.

A problem has ``type`` (a link to its explanation in the API reference), ``title``
(the same for every problem of that type), ``status``, ``detail`` (this occurrence,
in words a bot author can show) and, for bad input, ``errors``: one entry per field,
``{"field": "citations.0.locator", "pointer": "#/citations/0/locator", "detail": ...}``.
"""

import json
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from apps.web.refusals import Conflict, message_of

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"
REFERENCE = "/api/v1/docs#problem-"

TITLES = {
    "bad-request": "The request could not be read",
    "unauthorized": "A valid token is needed",
    "forbidden": "Not allowed",
    "not-found": "Not found",
    "method-not-allowed": "Method not allowed",
    "conflict": "The current state forbids this",
    "stale-base": "The article changed since your base revision",
    "not-modified": "Not modified",
    "invalid": "Some fields are not acceptable",
    "flagged": "An edit filter warns about this text",
    "too-many-requests": "Too many requests",
    "too-many-pending": "Too many proposals await review",
    "server-error": "Something went wrong on our side",
}
STATUS = {
    "bad-request": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not-found": 404,
    "method-not-allowed": 405,
    "conflict": 409,
    "stale-base": 409,
    "invalid": 422,
    "flagged": 422,
    "too-many-requests": 429,
    "too-many-pending": 429,
    "server-error": 500,
}


class Problem(Exception):
    """Raised by an endpoint: answered as the problem ``kind`` with ``detail``."""

    def __init__(
        self,
        kind: str,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.kind, self.detail, self.errors = kind, detail, errors
        self.headers, self.extra = headers or {}, extra

    def response(self) -> HttpResponse:
        return problem_response(
            self.kind, self.detail, errors=self.errors, headers=self.headers, **self.extra
        )


def problem_response(
    kind: str,
    detail: str,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": REFERENCE + kind,
        "title": TITLES[kind],
        "status": STATUS[kind],
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = HttpResponse(json.dumps(body), status=STATUS[kind], content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    if kind == "unauthorized":
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def field_error(path: list[str | int], detail: str) -> dict[str, str]:
    parts = [str(part) for part in path]
    return {
        "field": ".".join(parts) or "body",
        "pointer": "#/" + "/".join(parts),
        "detail": detail,
    }


def _schema_errors(exc: SchemaError) -> list[dict[str, str]]:
    found = []
    for error in exc.errors:
        location = list(error.get("loc", ()))
        # ("body", "payload", "citations", 0, "quote") → citations.0.quote; ("query", "limit").
        if location[:1] == ["body"]:
            location = location[2:] if len(location) > 2 else location[1:]
        elif location[:1] in (["query"], ["path"], ["header"]):
            location = location[1:]
        found.append(field_error(location, str(error.get("msg", "Not acceptable."))))
    return found


def validation_errors(error: ValidationError, *, names: dict[str, str] | None = None) -> list:
    """A service's or form's ValidationError as field errors; ``names`` maps the site's
    field names to the API's (``citation-3`` → ``citations.2``)."""
    if not hasattr(error, "error_dict"):
        return [field_error([], message) for message in error.messages]
    found = []
    for field, errors in error.error_dict.items():
        name = (names or {}).get(field, field)
        path: list[str | int] = [] if name == "__all__" else name.split(".")  # type: ignore[assignment]
        found += [field_error(path, message) for message in ValidationError(errors).messages]
    return found


def install(api: Any) -> None:
    """Answer every refusal the endpoints (and ninja itself) raise as a problem."""

    def on_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
        return exc.response()

    def on_schema(request: HttpRequest, exc: SchemaError) -> HttpResponse:
        return problem_response(
            "invalid", "Some fields are missing or not acceptable.", errors=_schema_errors(exc)
        )

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return problem_response("invalid", message_of(exc), errors=validation_errors(exc))

    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem_response(
            "unauthorized",
            "Send a valid token as “Authorization: Bearer …” (or sign in on the site).",
        )

    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        kind = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
                405: "method-not-allowed", 409: "conflict", 422: "invalid",
                429: "too-many-requests"}.get(exc.status_code, "bad-request")  # fmt: skip
        return problem_response(kind, str(exc))

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem_response("forbidden", str(exc) or "You may not do this.")

    def on_missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response("not-found", str(exc) or "Nothing is at this address.")

    def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return problem_response("conflict", exc.message)

    def on_anything(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return problem_response("server-error", "The server failed to answer; the error is logged.")

    api.add_exception_handler(Problem, on_problem)
    api.add_exception_handler(SchemaError, on_schema)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(Http404, on_missing)
    api.add_exception_handler(Conflict, on_conflict)
    api.add_exception_handler(Exception, on_anything)
