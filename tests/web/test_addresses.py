"""{% fixed_url %}: the {% url %} tag's address, reversed once per process and prefix."""

from django.template import engines
from django.urls import set_script_prefix

TEMPLATE = "{% load addresses %}{% fixed_url 'wiki:recent' %} {% url 'wiki:recent' %}"


def test_fixed_url_is_the_url_tags_address_under_any_script_prefix():
    template = engines["django"].from_string(TEMPLATE)
    fixed, plain = template.render({}).split()
    assert fixed == plain == "/recent/"
    set_script_prefix("/wiki-app/")
    try:
        fixed, plain = template.render({}).split()
        assert fixed == plain == "/wiki-app/recent/"
    finally:
        set_script_prefix("/")
    assert template.render({}).split()[0] == "/recent/"
