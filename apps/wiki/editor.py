"""The editor's two endpoints, in place of django-markdownx's own views.

markdownx's views accept anonymous users, preview without sanitising and store
uploads under the client's extension after trusting the browser's content
type. These answer at the same paths (the widget posts there) with login
required, the one renderer, and uploads judged from their bytes.
"""

import contextlib
import logging
import re
import uuid
import warnings
from io import BytesIO

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.markup import MarkdownTooComplex, external_image_message, render_with_references
from apps.web.usertext import INVALID_UTF8_MESSAGE, REPLACEMENT_CHARACTER

from .presenting import reader_view
from .views.access import proposer_required_json, sources_visible_to, writer_required_json

logger = logging.getLogger(__name__)
STORAGE_UNAVAILABLE = 503

# Pillow format name -> (format to save as, extension, save options). Anything
# else is refused. MPO is the JPEG variant many cameras and phones write (a JPEG
# with extra frames, e.g. a depth map): Pillow's JPEG reader reports it as MPO,
# and it is stored as a plain JPEG of its first frame.
_JPEG = ("JPEG", "jpg", {"quality": 85, "optimize": True})
ACCEPTED_FORMATS: dict[str, tuple[str, str, dict[str, int | bool]]] = {
    "JPEG": _JPEG,
    "MPO": _JPEG,
    "PNG": ("PNG", "png", {"optimize": True}),
    "WEBP": ("WEBP", "webp", {"quality": 85}),
}
# The only readers Pillow may try on an upload (MPO comes through the JPEG reader),
# so no other format's parser ever sees the bytes.
_READERS = ["JPEG", "PNG", "WEBP"]


class UploadRefused(Exception):
    pass


@require_POST
@proposer_required_json
def preview(request):
    """Render the editor's text with the same renderer articles use."""
    content = request.POST.get("content", "")
    if len(content) > settings.WIKI_MAX_BODY_LENGTH:
        return HttpResponse(
            "The text is too long to preview.", status=400, content_type="text/plain"
        )
    if REPLACEMENT_CHARACTER in content:
        return HttpResponse(INVALID_UTF8_MESSAGE, status=400, content_type="text/plain")
    keys, new_titles = _preview_citations(request)
    try:
        html, references = render_with_references(content, keys or None)
    except MarkdownTooComplex as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    # Around the text, from a template (so escaped): which images the renderer dropped,
    # since submitting the text would be refused for them, and the references numbered
    # as readers will see them.
    notes = render_to_string(
        "wiki/preview_notes.html",
        {
            "dropped": [external_image_message(src) for src in references.external_images],
            "references": _references(request, references, new_titles) if keys else [],
            # Each citation key's number as readers see it ("16:5,3:1"): the editor shows
            # it beside every [@key], so [@16] and the reader's [5] are seen as one.
            "numbers": ",".join(
                f"{key}:{references.numbers_by_source[source]}"
                for key, source in sorted(keys.items())
                if source in references.numbers_by_source
            ),
        },
    )
    before, _, after = notes.strip().partition("<!-- text -->")
    return HttpResponse(before + reader_view(html) + after)


_CITE = re.compile(r"([0-9]{1,3}):([0-9]{1,18}|new)")
MAX_PREVIEW_CITATIONS = 30


def _preview_citations(request) -> tuple[dict[int, int], dict[int, str]]:
    """The editor's citation rows, as its script puts them in the preview address:
    ``?cite=1:12,2:new`` (key: source id, or a new source) and ``t2=<its title>``.

    A new source gets a stand-in id below zero, so each counts as a source of its own.
    """
    keys: dict[int, int] = {}
    titles: dict[int, str] = {}
    for n, item in enumerate(request.GET.get("cite", "").split(",")[:MAX_PREVIEW_CITATIONS]):
        match = _CITE.fullmatch(item.strip())
        if not match:
            continue
        key = int(match[1])
        if match[2] == "new":
            keys[key] = -(n + 1)
            titles[key] = request.GET.get(f"t{key}", "").replace("\x00", "")[:300].strip()
        else:
            keys[key] = int(match[2])
    return keys, titles


def _references(request, references, new_titles: dict[int, str]) -> list[tuple[int, str]]:
    """(number, title) as readers will see them numbered: existing sources by their title
    (only those the fan may cite), new ones by the title typed in their row ("" if none)."""
    by_number = sorted((number, source) for source, number in references.numbers_by_source.items())
    known = dict(
        sources_visible_to(request.user)
        .filter(pk__in=[source for _, source in by_number if source > 0])
        .values_list("pk", "title")
    )
    new_by_source = {
        source: new_titles.get(key, "")
        for key, source in references.sources_by_key.items()
        if source < 0
    }
    return [
        (number, (known.get(source) if source > 0 else new_by_source.get(source)) or "")
        for number, source in by_number
    ]


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):,.1f} MB".replace(".0 MB", " MB")
    return f"{n / 1024:,.1f} KB".replace(".0 KB", " KB")


def _apply_orientation(image) -> None:
    """Turn the pixels the way the EXIF orientation says, since the EXIF is about to go.

    Phones record "rotate me" in EXIF instead of rotating the pixels. Best effort:
    Pillow's EXIF parser raises all sorts (struct.error, TypeError...) on a damaged
    block, and a damaged EXIF is no reason to refuse the picture.
    """
    with warnings.catch_warnings(), contextlib.suppress(Exception):
        warnings.simplefilter("ignore")  # "Corrupt EXIF data" and the like
        ImageOps.exif_transpose(image, in_place=True)


def _reencode(upload) -> tuple[bytes, str]:
    """Return the image re-encoded into a fresh file, and its extension.

    Re-encoding into an image with no metadata drops EXIF (after applying its
    orientation to the pixels), comments, XMP, ICC profiles and text chunks; the
    pixel bound is checked from the header before any pixel is decoded.
    """
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise UploadRefused(
            f"The image is too large ({_size(upload.size)}); "
            f"the limit is {_size(settings.UPLOAD_MAX_BYTES)}."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=_READERS) as image:
                if image.format not in ACCEPTED_FORMATS:
                    raise UploadRefused("Only JPEG, PNG and WebP images can be uploaded.")
                width, height = image.size
                if width * height > settings.UPLOAD_MAX_PIXELS:
                    raise UploadRefused(
                        f"The image is too large ({width}×{height} pixels); "
                        f"the limit is {settings.UPLOAD_MAX_PIXELS:,} pixels."
                    )
                image.load()
                save_format, extension, options = ACCEPTED_FORMATS[image.format]
                fresh = image.convert("RGB" if save_format == "JPEG" else "RGBA")
            _apply_orientation(fresh)
            # convert() copies .info, and encoders write some of it back (JPEG
            # keeps its comment): the new file starts with no metadata at all.
            fresh.info = {}
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRefused("The image has too many pixels to be processed safely.") from exc
    except UnidentifiedImageError as exc:
        raise UploadRefused(
            "The file is not a JPEG, PNG or WebP image; only those can be uploaded."
        ) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UploadRefused("The image is damaged or truncated and cannot be read.") from exc
    out = BytesIO()
    fresh.save(out, format=save_format, **options)
    return out.getvalue(), extension


class UploadUnstored(Exception):
    """The image was fine, but the storage could not keep it (a full disk, an unreachable
    bucket); nothing partial is left behind."""


def store_image(image: File) -> str:
    """Store an image as the editor's uploads are stored: checked and re-encoded, under a
    name of the server's choosing; its address. UploadRefused for a file that is not a
    usable image, UploadUnstored when the storage fails."""
    data, extension = _reencode(image)
    name = f"uploads/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"
    try:
        stored = default_storage.save(name, ContentFile(data))
    except Exception as error:
        logger.exception("Storing an upload as %s failed", name)
        with contextlib.suppress(Exception):
            default_storage.delete(name)
        raise UploadUnstored from error
    return default_storage.url(stored)


@require_POST
@writer_required_json("upload")
def upload(request):
    """Store an uploaded image under a server-chosen name; answer with its Markdown."""
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["Choose an image to upload."]}, status=400)
    try:
        address = store_image(upload)
    except UploadRefused as exc:
        return JsonResponse({"image": [str(exc)]}, status=400)
    except UploadUnstored:
        return JsonResponse(
            {"image": ["The image could not be stored just now. Try again in a minute."]},
            status=STORAGE_UNAVAILABLE,
        )
    return JsonResponse({"image_code": f"![]({address})"})
