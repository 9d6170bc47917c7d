"""Slots and hooks: how one app adds to another's pages without being named there."""

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory

from apps.web import hooks


@pytest.fixture
def registry(monkeypatch):
    """A registry of this test's own, the site's left as it was."""
    monkeypatch.setattr(hooks, "_offered", {})
    monkeypatch.setattr(hooks, "_registry", hooks.defaultdict(list))
    return hooks


def test_a_slot_shows_each_piece_in_order_and_escapes_plain_text(registry):
    registry.offer("test-slot", "a place for tests; gets name")

    @registry.register("test-slot", order=20)
    def second(*, request, name):
        return f"<b>{name}</b>"  # a plain string, not a template's output: escaped

    @registry.register("test-slot", order=10)
    def first(*, request, name):
        return None  # adds nothing

    @registry.register("test-slot", order=15)
    def from_a_template(*, request, name):
        return Template("<i>{{ name }}</i>").render(Context({"name": name}))

    html = Template('{% load slots %}{% slot "test-slot" name=who %}').render(
        Context({"request": RequestFactory().get("/"), "who": "<Jim>"})
    )
    assert html == "<i>&lt;Jim&gt;</i>&lt;b&gt;&lt;Jim&gt;&lt;/b&gt;"


def test_a_hook_runs_every_function_with_what_its_owner_passes(registry):
    registry.offer("test-hook", "a step for tests; gets old, new")
    seen = []
    registry.register("test-hook")(lambda *, old, new: seen.append((old, new)))
    assert registry.run("test-hook", old=1, new=2) == [None]
    assert seen == [(1, 2)]


def test_a_name_nobody_offers_is_an_error_not_silence(registry):
    registry.offer("offered", "")

    @registry.register("misspelt")
    def orphan():
        return None

    errors = registry.check_registrations()
    assert [error.id for error in errors] == ["web.E001"]
    assert "misspelt" in errors[0].msg
    with pytest.raises(LookupError):
        registry.get("misspelt")


def test_the_sites_registrations_all_name_offered_slots():
    assert hooks.check_registrations() == []
    call_command("check", fail_level="ERROR")  # raises on web.E001
    assert {"article-tabs", "revision-revised", "audit-logs"} <= set(hooks.offered())
