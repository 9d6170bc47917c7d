from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import spoilers


def site(request: HttpRequest) -> dict[str, Any]:
    """SITE_URL, for links that must be absolute (canonical, OpenGraph), and the reader
    whose spoiler point the page answers to (its ``key`` names it in fragment caches)."""
    return {"site_url": settings.SITE_URL, "spoiler_reader": spoilers.active()}
