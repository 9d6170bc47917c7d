"""Contract tests: schemathesis sends requests made from the API's own OpenAPI document
(valid ones and broken ones) to a live test server: no answer is a 5xx, and every answer
matches the document (its status codes, content types and schemas)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.api.api import api
from apps.talk import services as talk
from tests import factories

from .conftest import make_token

# Few examples an operation: the suite runs on two cores (about 30 operations).
EXAMPLES = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wiki(live_server, settings):
    """A live server holding a small wiki (an article, a pending proposal, a talk topic),
    and a moderator's token: every request carries it, so every operation is reached."""
    settings.RATELIMIT_ENABLE = False
    settings.PENDING_PROPOSALS_CAP = 0
    author = factories.make_user("author")
    moderator = factories.make_user("moderator", moderator=True)
    article = factories.published_article(author, moderator, episode=factories.make_episode())
    factories.propose_two_changes(article, author)
    talk.topic_start(article=article, author=author, title="Takes", body="How many?")
    token = make_token(moderator, ("read", "propose", "moderate"))
    return live_server.url, {"Authorization": f"Bearer {token}"}


schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix="/api/v1"),
    config=schemathesis.Config.from_dict(
        {"generation": {"max-examples": EXAMPLES, "mode": "all", "deterministic": True}}
    ),
)


# The examples of one operation share its small wiki on purpose (what one changes, such as
# an approval, the next meets): a function-scoped fixture under Hypothesis.
@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_keeps_its_contract(case, wiki):
    base_url, headers = wiki
    case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)
