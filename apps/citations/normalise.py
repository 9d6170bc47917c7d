"""URL normalisation, so that the same page is recognised when cited again."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = {"fbclid", "gclid", "mc_cid", "mc_eid", "igshid", "ref_src"}


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and tracking parameters.

    A trailing slash is removed from non-root paths; the query's remaining
    parameters keep their order.
    """
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not key.lower().startswith(TRACKING_PREFIXES)
            and key.lower() not in TRACKING_PARAMETERS
        ]
    )
    return urlunsplit((scheme, host, path, query, ""))
