import pytest
from django.core.exceptions import ValidationError

from apps.citations.kinds import clean_locator
from apps.citations.normalise import normalise_url


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("HTTPS://Example.COM/Story/", "https://example.com/Story"),
        (
            "https://example.com:443/a?utm_source=x&utm_medium=y&id=3#top",
            "https://example.com/a?id=3",
        ),
        ("http://example.com:80/", "http://example.com/"),
        ("http://example.com:8080/a/", "http://example.com:8080/a"),
        ("https://example.com/?fbclid=abc&gclid=def", "https://example.com/"),
        ("https://example.com/a?q=%C3%A9&UTM_Campaign=z", "https://example.com/a?q=%C3%A9"),
        ("http://[2001:db8::1]/x", "http://[2001:db8::1]/x"),
        ("  https://example.com  ", "https://example.com/"),
        ("", ""),
    ],
)
def test_it_normalises(typed, stored):
    assert normalise_url(typed) == stored


def test_the_same_page_normalises_the_same_way():
    forms = [
        "https://EXAMPLE.com/story/",
        "https://example.com/story?utm_source=feed",
        "https://example.com/story#comments",
    ]
    assert len({normalise_url(form) for form in forms}) == 1


def test_it_refuses_a_bad_port():
    with pytest.raises(ValidationError):
        normalise_url("https://example.com:70000/")


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("book", "112", "p. 112"),
        ("book", "12 - 14", "pp. 12–14"),
        ("book", "chapter 3", "chapter 3"),
        ("episode", "18:32", "18:32"),
        ("web", "paragraph   4", "paragraph 4"),
        ("web", "4", "4"),
    ],
)
def test_locators(kind, typed, stored):
    assert clean_locator(kind, typed) == stored


@pytest.mark.parametrize("kind", ["podcast", "episode", "interview", "dvd"])
def test_a_bare_number_is_not_a_time(kind):
    with pytest.raises(ValidationError):
        clean_locator(kind, "34")
