import pytest

from apps.talk import services


@pytest.fixture
def topic(article, author):
    """A topic on ``article``'s talk page, started by ``author``."""
    return services.topic_start(
        article=article, author=author, title="Who filmed the kiss?", body="The first post."
    )


@pytest.fixture
def first_post(topic):
    return topic.posts.get()
