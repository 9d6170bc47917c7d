"""The API's one NinjaAPI: version 1 under /api/v1/, its OpenAPI document made from
the endpoints' types (the reference page at /api/v1/docs renders that document)."""

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


api = NinjaAPI(
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
