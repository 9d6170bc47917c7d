"""Images come only from the site's own uploads.

An ``<img>`` pointing anywhere else would load from a third party in every
reader's browser (and the moderator's, on the review page): a tracker sees who
reads what. The renderer drops such images, even from old text it renders
again; the services refuse a new text that has one, naming its address.

Uploads are where the editor's upload endpoint stores them: the storage's
public address for the ``uploads/`` folder (``MEDIA_URL`` on local disk, the
bucket's or its custom domain's address with S3), also written absolute under
``SITE_URL`` when they are served by the site itself.
"""

import re
from html import unescape
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage

UPLOADS_FOLDER = "uploads/"


def upload_prefixes() -> tuple[str, ...]:
    """The addresses an uploaded image's URL starts with (read at each call)."""
    public = urlsplit(default_storage.url(UPLOADS_FOLDER))
    # Signed links (AWS_QUERYSTRING_AUTH) carry a query; the folder's address is what counts.
    folder = public._replace(query="", fragment="").geturl()
    prefixes = [folder]
    if not public.scheme and folder.startswith("/") and not folder.startswith("//"):
        prefixes.append(getattr(settings, "SITE_URL", "").rstrip("/") + folder)
    return tuple(prefix for prefix in prefixes if prefix.endswith("/"))


def is_upload(src: str, prefixes: tuple[str, ...]) -> bool:
    """Whether an image address is one of the site's uploads (compared as the browser reads it).

    Dot segments are refused: "uploads/../../other-bucket/x.png" starts like an
    upload, but the browser resolves it elsewhere on the same host.
    """
    if not src.startswith(prefixes) or any(c in src for c in "\\\t\n\r"):
        return False
    path = unquote(urlsplit(src).path)
    return not any(segment in (".", "..") for segment in path.split("/"))


def external_image_message(src: str) -> str:
    shown = src if len(src) <= 120 else src[:117] + "…"
    return (
        f"Images must be uploaded to this site; {shown} is an external image. "
        "Upload it with the editor's image button (or remove it)."
    )


# An <img> as the sanitiser writes it: attribute values double-quoted, '"' escaped.
IMG_TAG = re.compile(r'<img\b(?:\s+[^\s=>/]+(?:="[^"]*")?)*\s*/?>')
_SRC = re.compile(r'\ssrc="([^"]*)"')


def drop_external_images(html: str) -> str:
    """Stored HTML without images from elsewhere (text rendered before the rule, for one)."""
    uploads = upload_prefixes()

    def keep(tag: re.Match[str]) -> str:
        src = _SRC.search(tag[0])
        return tag[0] if src and is_upload(unescape(src[1]), uploads) else ""

    return IMG_TAG.sub(keep, html) if "<img" in html else html
