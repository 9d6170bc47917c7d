"""An unconfirmed fan is told at once why the editor is not offered, and where the link is."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def unconfirmed(db):
    user = factories.make_user("newcomer")
    user.email_verified_at = None
    user.save()
    return user


@override_settings(
    REQUIRE_VERIFIED_EMAIL=True, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"
)
def test_every_page_says_why_and_where_the_link_is(client, unconfirmed, article):
    client.force_login(unconfirmed)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Confirm your e-mail address to propose articles and edits." in page
    assert "printed in the terminal running it" in page
    assert reverse("wiki:article-create") not in page  # no editor offered before confirmation
    assert reverse("wiki:article-edit", args=[article.slug]) not in page
    refusal = client.get(reverse("wiki:article-edit", args=[article.slug]))
    assert refusal.status_code == 403
    assert "printed in the terminal running it" in refusal.content.decode()


@override_settings(REQUIRE_VERIFIED_EMAIL=True)
def test_a_confirmed_fan_sees_no_banner_and_the_editor_links(client, fan, article):
    client.force_login(fan)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Confirm your e-mail address" not in page
    assert reverse("wiki:article-edit", args=[article.slug]) in page


@override_settings(
    REQUIRE_VERIFIED_EMAIL=True, EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend"
)
def test_a_real_mail_server_gets_no_terminal_note(client, unconfirmed, article):
    client.force_login(unconfirmed)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Confirm your e-mail address" in page and "terminal" not in page
