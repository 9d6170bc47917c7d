from django.conf import settings


def absolute_url(path: str) -> str:
    """A path on this site as a link that works outside it (in a mail client): SITE_URL + path."""
    return settings.SITE_URL + path
