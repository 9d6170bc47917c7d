import pytest

from tests import factories


@pytest.fixture
def fan(db):
    return factories.make_user("fan")


@pytest.fixture
def author(db):
    return factories.make_user("author")


@pytest.fixture
def moderator(db):
    return factories.make_user("moderator", moderator=True)


@pytest.fixture
def other_moderator(db):
    return factories.make_user("moderator2", moderator=True)


@pytest.fixture
def staff(db):
    return factories.make_user("staff", superuser=True)


@pytest.fixture
def episode(db):
    return factories.make_episode()


@pytest.fixture
def article(author, moderator, episode):
    """A published article written by ``author`` and approved by ``moderator``."""
    return factories.published_article(author, moderator, episode=episode, body="Original text.")
