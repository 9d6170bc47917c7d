"""URL normalisation, so that the same page is recognised when cited again."""

from urllib.parse import unquote_plus, urlsplit, urlunsplit

from django.core.exceptions import ValidationError

TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = {"fbclid", "gclid", "mc_cid", "mc_eid", "igshid", "ref_src"}
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(pair: str) -> bool:
    key = unquote_plus(pair.partition("=")[0]).lower()
    return key.startswith(TRACKING_PREFIXES) or key in TRACKING_PARAMETERS


def normalise_url(url: str) -> str:
    """Lower-case scheme and host; drop default ports, fragments and tracking parameters.

    A trailing slash is removed from non-root paths. The remaining query
    parameters keep their order and their original encoding, so the result is
    never longer than the input. Raises ValidationError for an invalid port.
    """
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError as exc:
        raise ValidationError("The address has an invalid port number.") from exc
    if port and DEFAULT_PORTS.get(scheme) != port:
        host = f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = "&".join(pair for pair in parts.query.split("&") if pair and not _is_tracking(pair))
    return urlunsplit((scheme, host, path, query, ""))
