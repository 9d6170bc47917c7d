"""Uploaded images from local disk, when no object storage or proxy serves them.

On one machine with ``MEDIA_STORAGE=local`` the app servers answer ``/media/``
themselves; a proxy in front may serve the folder directly instead. Upload
names are random and never reused, so responses may be cached for ever.
"""

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.views.decorators.http import require_safe
from django.views.static import serve

CACHE_FOR_EVER = "public, max-age=31536000, immutable"


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """One uploaded file (404 for anything outside MEDIA_ROOT or missing)."""
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    if isinstance(response, FileResponse):
        response["Cache-Control"] = CACHE_FOR_EVER
        # The bytes were re-encoded as an image at upload; never let a browser guess otherwise.
        response["Content-Disposition"] = "inline"
    return response
