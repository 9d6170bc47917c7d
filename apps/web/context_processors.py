from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """SITE_URL, for links that must be absolute (canonical, OpenGraph)."""
    return {"site_url": settings.SITE_URL}
