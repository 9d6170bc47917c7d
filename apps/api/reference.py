"""The API reference page's content, read from the OpenAPI document the code makes.

The page is plain HTML made on the server (no script, so the site's CSP holds, and
nothing to load from elsewhere): every operation with its parameters, body and answers,
every schema with its fields, the problem types, and how webhooks are signed.
"""

from functools import cache
from typing import Any

from .problems import STATUS, TITLES

PROBLEM_HELP = {
    "bad-request": "The request could not be read: malformed JSON, or a cursor the API "
    "did not give.",
    "unauthorized": "The endpoint needs a token (or the token is unknown, revoked or "
    "expired). Sent with WWW-Authenticate: Bearer.",
    "forbidden": "The token lacks the scope the endpoint names, the account may not do "
    "this (a protected article, moderating your own proposal), or the page is after "
    "your point.",
    "not-found": "Nothing there, or nothing this caller may see (a proposal of someone "
    "else's answers 404, not 403).",
    "method-not-allowed": "This address does not take that method.",
    "conflict": "The current state forbids the change: the proposal was decided already, "
    "another moderator claimed it, a title is taken.",
    "stale-base": "The article was changed after the version your text was written "
    "against: current_revision_id names the version to start from again.",
    "invalid": "Some fields are missing or not acceptable; errors lists them, each with "
    "field, pointer (JSON Pointer into your body) and detail.",
    "flagged": "One of the moderators' edit filters warns about the text (detail says "
    "why). Nothing was stored; send the same request again with the answer's acknowledge "
    "value in the body's acknowledged field to store it all the same. A filter that refuses "
    "answers invalid instead.",
    "too-many-requests": "A rate limit was reached; Retry-After says in how many seconds "
    "to try again.",
    "too-many-pending": "Your proposals awaiting review reached the cap "
    "(PENDING_PROPOSALS_CAP); waiting says how many. Propose more once some are decided.",
    "server-error": "A fault on our side; it is logged.",
}


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else None


def type_label(schema: dict[str, Any]) -> str:
    """A short type for a table cell: string, integer, list of CitationIn, …"""
    if not schema:
        return "any"
    name = _ref_name(schema)
    if name:
        return name
    for key in ("anyOf", "oneOf"):
        if key in schema:
            parts = [type_label(s) for s in schema[key]]
            return " or ".join(p for p in parts if p != "null") + (
                " (or null)" if "null" in parts else ""
            )
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {type_label(schema.get('items', {}))}"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    if "const" in schema:
        return repr(schema["const"])
    return kind


def _fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": type_label(prop),
            "required": name in required,
            "description": prop.get("description", ""),
            "link": _ref_name(prop) or _ref_name(prop.get("items", {})),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


@cache
def context() -> dict[str, Any]:
    from .api import api

    document: dict[str, Any] = dict(api.get_openapi_schema(path_prefix="/api/v1"))
    operations: dict[str, list[dict[str, Any]]] = {}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            requested: dict[str, Any] = operation.get("requestBody", {})
            body = requested.get("content", {}).get("application/json")
            answers = []
            for status, answer in sorted(operation.get("responses", {}).items()):
                content: dict[str, Any] = answer.get("content", {})
                first: dict[str, Any] = next(iter(content.values()), {})
                shape = first.get("schema", {})
                answers.append({"status": status, "type": type_label(shape) if shape else ""})
            parameters = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "type": type_label(p.get("schema", {})),
                    "required": p.get("required", False),
                    "description": p.get("description", "")
                    or p.get("schema", {}).get("description", ""),
                }
                for p in operation.get("parameters", [])
            ]
            tag = (operation.get("tags") or ["Other"])[0]
            operations.setdefault(tag, []).append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "body": type_label(body["schema"]) if body else "",
                    "answers": answers,
                    "needs_token": bool(operation.get("security"))
                    and not any(s == {} for s in operation.get("security", [])),
                }
            )
    schemas = [
        {"name": name, "description": schema.get("description", ""), "fields": _fields(schema)}
        for name, schema in sorted(document.get("components", {}).get("schemas", {}).items())
    ]
    problems = [
        {"kind": kind, "title": TITLES[kind], "status": STATUS.get(kind, 304),
         "help": PROBLEM_HELP.get(kind, "")}
        for kind in TITLES if kind != "not-modified"
    ]  # fmt: skip
    return {
        "info": document["info"],
        "groups": list(operations.items()),
        "schemas": schemas,
        "problems": problems,
    }
