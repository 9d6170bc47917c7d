"""The API's one NinjaAPI: version 1 under /api/v1/, its OpenAPI document made from
the endpoints' types (the reference page at /api/v1/docs renders that document)."""

from typing import Any

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import problems
from .endpoints import moderate, propose, read, talk

DESCRIPTION = """\
Read, propose and moderate the wiki over HTTP, under the same rules as its pages.

* **Reading** needs no token. Reads fold spoilers as the site does: say where you are in
  a show with `watched_up_to=show:S02E10` (or read with a token as your account's points)
  and articles about later episodes come back named by their episode, their text withheld
  unless you add `reveal=true`.
* **Writing** needs a personal access token (made on your account page, or with
  `manage.py api_token create`), sent as `Authorization: Bearer <token>`, with the scope
  the endpoint names: `propose` (proposals, talk replies) or `moderate` (moderators only).
* **Errors** are `application/problem+json` (RFC 9457): `type`, `title`, `status`,
  `detail`, and `errors` (one per field) for bad input.
* **Lists** are paginated by cursor: pass the answer's `next_cursor` back as `cursor`.
"""


class Renderer(JSONRenderer):
    pass


class FanWikiApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Ninja's document, with what ninja cannot say: refusals are problem+json, a 304
        has no body, and reads take no token while a token is still welcome."""
        document = super().get_openapi_schema(*args, **kwargs)
        for methods in document["paths"].values():
            for method, operation in methods.items():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    body = content.get("application/json")
                    if body and body.get("schema", {}).get("$ref", "").endswith("/ProblemOut"):
                        answer["content"] = {problems.CONTENT_TYPE: body}
                    if str(status) == "304":
                        answer.pop("content", None)
                        answer["description"] = (
                            "Not modified: your copy (If-None-Match) is current."
                        )
                if method == "get" and "Moderating" not in operation.get("tags", []):
                    # Reads need no token (a token reads as its owner).
                    operation["security"] = [*operation.get("security", []), {}]
        return document


api = FanWikiApi(
    title="Fan wiki API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,  # the reference page is the site's own (no inline script): see views
    openapi_url="/openapi.json",
    renderer=Renderer(),
)
problems.install(api)
api.add_router("", read.router)
api.add_router("", propose.router)
api.add_router("", moderate.router)
api.add_router("", talk.router)
