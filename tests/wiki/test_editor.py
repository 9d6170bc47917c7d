"""The editor's two endpoints: live preview and image upload (apps/wiki/editor.py).

Every refused upload is checked on disk as well as in the response: nothing new
may appear under MEDIA_ROOT. A 500 would raise in the test client, so a test
that expects a 400 also proves the view did not crash.
"""

import functools
import io
import random
import re
import struct
import zlib
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils.module_loading import import_string
from PIL import Image, ImageFile, PngImagePlugin

from apps.markup import render_markdown
from tests.markup.inert import assert_inert

pytestmark = pytest.mark.django_db

PREVIEW_URL = "/markdownx/markdownify/"
UPLOAD_URL = "/markdownx/upload/"

IMAGE_CODE = re.compile(
    r"^!\[\]\(/media/(?P<path>uploads/\d{4}/\d{2}/(?P<stem>[0-9a-f]{32})\.(?P<ext>\w+))\)$"
)


# --- helpers --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """A fresh, empty MEDIA_ROOT for each test (default_storage follows the setting)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    Path(settings.MEDIA_ROOT).mkdir()
    return Path(settings.MEDIA_ROOT)


def files_under(root):
    return {p.relative_to(root) for p in Path(root).rglob("*") if p.is_file()}


def image_bytes(fmt, *, size=(16, 12), mode="RGB", color="red", **options):
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format=fmt, **options)
    return out.getvalue()


def noise_bytes(fmt, size=(64, 64)):
    """An image of random pixels: it does not compress, so its file is not tiny."""
    pixels = random.Random(0).randbytes(size[0] * size[1] * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(out, format=fmt)
    return out.getvalue()


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def png_bomb(width, height):
    """A real, valid 1-bit black PNG: a few KB on the wire, width×height pixels decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width, height):
    """A small JPEG whose frame header (SOF0) claims width×height."""
    data = bytearray(image_bytes("JPEG", size=(8, 8)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def webp_claiming(width, height):
    """A small lossy WebP whose VP8 frame header claims width×height (14 bits each)."""
    data = bytearray(image_bytes("WEBP", size=(8, 8)))
    start = data.index(b"\x9d\x01\x2a")
    data[start + 3 : start + 7] = struct.pack("<HH", width, height)
    return bytes(data)


def post_upload(client, data, name="picture.png", content_type="image/png"):
    return client.post(
        UPLOAD_URL, {"image": SimpleUploadedFile(name, data, content_type=content_type)}
    )


def stored_path(response, media_root):
    """Check the upload answer's shape and return the stored file's path."""
    assert response.status_code == 200, response.content
    match = IMAGE_CODE.match(response.json()["image_code"])
    assert match, response.json()
    path = media_root / match["path"]
    assert path.is_file()
    return path


def assert_refused(response, *words):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    messages = response.json()["image"]
    assert len(messages) == 1
    assert messages[0].strip()
    for word in words:
        assert word.lower() in messages[0].lower(), messages[0]
    return messages[0]


# --- preview --------------------------------------------------------------------------


def test_it_previews_markdown_with_the_article_renderer(client, fan):
    client.force_login(fan)
    text = "# Casino Night\n\nJim kissed *Pam*[^1].\n\n[^1]: Season 2."

    response = client.post(PREVIEW_URL, {"content": text})

    assert response.status_code == 200
    body = response.content.decode()
    assert body == render_markdown(text)
    assert '<h2 id="h-casino-night">Casino Night</h2>' in body
    assert "<em>Pam</em>" in body


def test_a_moderator_can_preview(client, moderator):
    client.force_login(moderator)

    response = client.post(PREVIEW_URL, {"content": "**bold**"})

    assert response.status_code == 200
    assert response.content.decode() == "<p><strong>bold</strong></p>"


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(document.cookie)</script>",
        "[x](javascript:alert(document.cookie))",
        "<img src=x onerror=alert(document.cookie)>",
        "<svg onload=alert(document.cookie)>",
        "<iframe src=javascript:alert(document.cookie)></iframe>",
        '<a href="java&#x09;script:alert(document.cookie)">x</a>',
        '<p style="background:red" onclick="alert(document.cookie)">x</p>',
    ],
)
def test_the_preview_is_sanitised(client, fan, text):
    client.force_login(fan)

    response = client.post(PREVIEW_URL, {"content": text})

    assert response.status_code == 200
    body = response.content.decode()
    assert "document.cookie" not in body
    assert "<script" not in body.lower()
    assert_inert(body)


def test_it_refuses_an_anonymous_preview_and_renders_nothing(client):
    with mock.patch("apps.wiki.editor.render_with_references") as renderer:
        response = client.post(PREVIEW_URL, {"content": "# Secret heading"})

    assert response.status_code == 403
    assert "error" in response.json()
    assert "Secret heading" not in response.content.decode()
    assert "<h2" not in response.content.decode()
    renderer.assert_not_called()


def test_an_anonymous_preview_is_not_redirected_to_the_login_page(client):
    response = client.post(PREVIEW_URL, {"content": "text"})

    assert response.status_code == 403
    assert "Location" not in response


@pytest.mark.parametrize("url", [PREVIEW_URL, UPLOAD_URL])
def test_it_refuses_get(client, fan, url):
    client.force_login(fan)

    response = client.get(url, {"content": "# Heading"})

    assert response.status_code == 405
    assert b"<h2" not in response.content


@pytest.mark.parametrize("url", [PREVIEW_URL, UPLOAD_URL])
def test_it_refuses_get_from_anonymous_users_too(client, url):
    assert client.get(url).status_code == 405


def test_it_refuses_overlong_content(client, fan, settings):
    client.force_login(fan)
    text = "a" * (settings.WIKI_MAX_BODY_LENGTH + 1)

    with mock.patch("apps.wiki.editor.render_with_references") as renderer:
        response = client.post(PREVIEW_URL, {"content": text})

    assert response.status_code == 400
    assert "too long" in response.content.decode()
    renderer.assert_not_called()


@override_settings(WIKI_MAX_BODY_LENGTH=20)
def test_content_exactly_at_the_length_limit_is_previewed(client, fan):
    client.force_login(fan)

    at_limit = client.post(PREVIEW_URL, {"content": "b" * 20})
    over_limit = client.post(PREVIEW_URL, {"content": "b" * 21})

    assert at_limit.status_code == 200
    assert at_limit.content.decode() == "<p>" + "b" * 20 + "</p>"
    assert over_limit.status_code == 400


def test_an_empty_preview_is_empty(client, fan):
    client.force_login(fan)

    response = client.post(PREVIEW_URL, {})

    assert response.status_code == 200
    assert response.content == b""


def test_the_preview_needs_a_csrf_token(fan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(fan)

    response = client.post(PREVIEW_URL, {"content": "# Heading"})

    assert response.status_code == 403
    assert b"<h2" not in response.content


def test_the_upload_needs_a_csrf_token(fan, media_root):
    client = Client(enforce_csrf_checks=True)
    client.force_login(fan)

    response = post_upload(client, image_bytes("PNG"))

    assert response.status_code == 403
    assert files_under(media_root) == set()


# --- upload: accepted -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "content_type", "extension"),
    [
        ("PNG", "picture.png", "image/png", "png"),
        ("JPEG", "picture.jpg", "image/jpeg", "jpg"),
        ("WEBP", "picture.webp", "image/webp", "webp"),
    ],
)
def test_it_stores_an_image_under_a_server_chosen_name(
    client, fan, media_root, fmt, name, content_type, extension
):
    client.force_login(fan)
    before = files_under(media_root)

    response = post_upload(client, image_bytes(fmt), name=name, content_type=content_type)

    path = stored_path(response, media_root)
    assert path.suffix == f".{extension}"
    assert files_under(media_root) - before == {path.relative_to(media_root)}
    with Image.open(path) as stored:
        assert stored.format == fmt
        assert stored.size == (16, 12)


@pytest.mark.parametrize(
    ("fmt", "name", "content_type", "extension"),
    [
        ("PNG", "photo.jpg", "image/jpeg", "png"),
        ("PNG", "evil.html", "text/html", "png"),
        ("PNG", "evil.svg", "image/svg+xml", "png"),
        ("JPEG", "picture.png", "image/png", "jpg"),
        ("WEBP", "shell.php", "application/x-php", "webp"),
        ("JPEG", "noextension", "application/octet-stream", "jpg"),
    ],
)
def test_the_extension_comes_from_the_bytes_not_the_client(
    client, fan, media_root, fmt, name, content_type, extension
):
    client.force_login(fan)

    response = post_upload(
        client, image_bytes(fmt, mode="RGB"), name=name, content_type=content_type
    )

    path = stored_path(response, media_root)
    assert path.suffix == f".{extension}"
    assert Path(name).stem not in str(path)
    assert files_under(media_root) == {path.relative_to(media_root)}


def test_an_rgba_png_named_as_a_jpeg_is_stored_as_png(client, fan, media_root):
    client.force_login(fan)
    data = image_bytes("PNG", mode="RGBA", color=(255, 0, 0, 128))

    response = post_upload(client, data, name="photo.jpg", content_type="image/jpeg")

    path = stored_path(response, media_root)
    assert path.suffix == ".png"
    with Image.open(path) as stored:
        assert stored.mode == "RGBA"
        assert stored.getpixel((0, 0)) == (255, 0, 0, 128)


def test_two_uploads_of_the_same_file_get_different_names(client, fan, media_root):
    client.force_login(fan)
    data = image_bytes("PNG")

    first = stored_path(post_upload(client, data), media_root)
    second = stored_path(post_upload(client, data), media_root)

    assert first != second
    assert len(files_under(media_root)) == 2


def test_a_moderator_can_upload(client, moderator, media_root):
    client.force_login(moderator)

    response = post_upload(client, image_bytes("PNG"))

    assert stored_path(response, media_root).suffix == ".png"


@pytest.mark.parametrize(
    ("fmt", "mode", "options", "extension"),
    [
        ("PNG", "1", {}, "png"),
        ("PNG", "L", {}, "png"),
        ("PNG", "LA", {}, "png"),
        ("PNG", "P", {"transparency": 0}, "png"),
        ("PNG", "I;16", {}, "png"),
        ("PNG", "RGBA", {}, "png"),
        ("JPEG", "L", {}, "jpg"),
        ("JPEG", "CMYK", {}, "jpg"),
        ("WEBP", "RGBA", {"lossless": True}, "webp"),
    ],
)
def test_it_accepts_every_common_pixel_mode(client, fan, media_root, fmt, mode, options, extension):
    client.force_login(fan)
    data = image_bytes(fmt, mode=mode, color=1, **options)

    response = post_upload(client, data)

    path = stored_path(response, media_root)
    assert path.suffix == f".{extension}"
    with Image.open(path) as stored:
        assert stored.size == (16, 12)


def test_a_camera_mpo_jpeg_is_stored_as_a_plain_jpeg(client, fan, media_root):
    # Many cameras and phones write MPO: a JPEG carrying extra frames (a depth map,
    # a second eye). Pillow reports it as "MPO", not "JPEG".
    client.force_login(fan)
    out = io.BytesIO()
    Image.new("RGB", (16, 12), "red").save(
        out, format="MPO", save_all=True, append_images=[Image.new("RGB", (16, 12), "blue")]
    )

    response = post_upload(client, out.getvalue(), name="IMG_0001.JPG", content_type="image/jpeg")

    path = stored_path(response, media_root)
    assert path.suffix == ".jpg"
    with Image.open(path) as stored:
        assert stored.format == "JPEG"
        assert getattr(stored, "n_frames", 1) == 1


# --- upload: metadata -----------------------------------------------------------------


def _exif():
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x0131] = "SecretSoftware"  # Software
    exif[0x013B] = "Secret Photographer"  # Artist
    return exif


def test_it_drops_exif_from_a_jpeg(client, fan, media_root):
    client.force_login(fan)
    data = image_bytes("JPEG", exif=_exif().tobytes())
    assert b"SecretCameraMaker" in data

    response = post_upload(client, data, name="photo.jpg", content_type="image/jpeg")

    path = stored_path(response, media_root)
    stored_bytes = path.read_bytes()
    assert b"Secret" not in stored_bytes
    assert b"Exif" not in stored_bytes
    with Image.open(path) as stored:
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info


def test_it_drops_the_comment_and_xmp_from_a_jpeg(client, fan, media_root):
    client.force_login(fan)
    data = image_bytes("JPEG", comment=b"SecretComment", xmp=b"<x:xmpmeta>SecretXmp</x:xmpmeta>")
    assert b"SecretComment" in data
    assert b"SecretXmp" in data

    response = post_upload(client, data, name="photo.jpg", content_type="image/jpeg")

    path = stored_path(response, media_root)
    assert b"Secret" not in path.read_bytes()
    with Image.open(path) as stored:
        assert "comment" not in stored.info
        assert "xmp" not in stored.info


def test_it_drops_text_chunks_and_exif_from_a_png(client, fan, media_root):
    client.force_login(fan)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "SecretText")
    info.add_text("Author", "SecretAuthor", zip=True)
    info.add_itxt("XML:com.adobe.xmp", "SecretXmp")
    data = image_bytes("PNG", pnginfo=info, exif=_exif().tobytes())

    response = post_upload(client, data)

    path = stored_path(response, media_root)
    stored_bytes = path.read_bytes()
    assert b"Secret" not in stored_bytes
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf"):
        assert chunk not in stored_bytes


def test_it_drops_exif_and_xmp_from_a_webp(client, fan, media_root):
    client.force_login(fan)
    data = image_bytes("WEBP", exif=_exif().tobytes(), xmp=b"SecretXmp")
    assert b"SecretCameraMaker" in data

    response = post_upload(client, data, name="p.webp", content_type="image/webp")

    assert b"Secret" not in stored_path(response, media_root).read_bytes()


def test_it_drops_html_smuggled_in_after_the_image(client, fan, media_root):
    client.force_login(fan)
    data = image_bytes("PNG") + b"<html><script>alert(1)</script></html>"

    response = post_upload(client, data, name="polyglot.html", content_type="text/html")

    path = stored_path(response, media_root)
    assert b"<script" not in path.read_bytes()
    assert path.suffix == ".png"


def test_it_turns_the_pixels_the_way_the_exif_orientation_says(client, fan, media_root):
    # A phone held upright records a landscape sensor image plus "rotate 90° clockwise"
    # (orientation 6). With the EXIF gone, the rotation must be in the pixels.
    client.force_login(fan)
    picture = Image.new("RGB", (40, 20), "blue")
    picture.paste("red", (0, 0, 20, 20))  # left half red
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif.tobytes(), quality=95)

    response = post_upload(client, out.getvalue(), name="phone.jpg", content_type="image/jpeg")

    with Image.open(stored_path(response, media_root)) as stored:
        assert stored.size == (20, 40)
        red, _, blue = stored.getpixel((10, 5))
        assert red > 200 and blue < 60  # the left edge is now at the top
        red, _, blue = stored.getpixel((10, 35))
        assert blue > 200 and red < 60
        assert stored.getexif().get(0x0112) is None


def _jpeg_with_exif_patched(offset, value):
    """A 16×12 JPEG with Make and Orientation (6) tags, one byte of its EXIF changed.

    ``offset`` counts from the start of the TIFF header inside the EXIF block.
    """
    exif = Image.Exif()
    exif[0x010F] = "Maker"  # Make: the first IFD entry, at offset 10
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise
    data = bytearray(image_bytes("JPEG", exif=exif.tobytes()))
    tiff = data.index(b"Exif\x00\x00") + 6
    data[tiff + offset] = value
    return bytes(data)


@pytest.mark.parametrize(
    ("offset", "value"),
    [
        # The Make entry's type turned from ASCII into SHORT: Pillow reads the EXIF
        # but raises struct.error when it writes it back after rotating.
        pytest.param(11, 3, id="mistyped-entry"),
        # The byte-order mark broken: Pillow's EXIF parser raises SyntaxError.
        pytest.param(0, 0, id="broken-tiff-header"),
    ],
)
@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")
def test_a_damaged_exif_block_neither_crashes_nor_refuses_the_upload(
    client, fan, media_root, offset, value
):
    client.force_login(fan)
    data = _jpeg_with_exif_patched(offset, value)

    response = post_upload(client, data, name="photo.jpg", content_type="image/jpeg")

    path = stored_path(response, media_root)
    assert b"Exif" not in path.read_bytes()
    with Image.open(path) as stored:
        assert stored.size in {(16, 12), (12, 16)}


# --- upload: refused ------------------------------------------------------------------

SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"'
    b' onload="alert(document.cookie)"><script>alert(1)</script><rect width="10" height="10"/>'
    b"</svg>"
)


def test_it_refuses_anonymous_uploads_and_stores_nothing(client, media_root):
    response = post_upload(client, image_bytes("PNG"))

    assert response.status_code == 403
    assert "error" in response.json()
    assert "image_code" not in response.json()
    assert files_under(media_root) == set()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("drawing.svg", "image/svg+xml"),
        ("drawing.png", "image/png"),
        ("drawing.jpg", "image/jpeg"),
    ],
)
def test_it_refuses_svg(client, fan, media_root, name, content_type):
    client.force_login(fan)

    response = post_upload(client, SVG, name=name, content_type=content_type)

    assert_refused(response, "JPEG", "PNG", "WebP")
    assert files_under(media_root) == set()


def test_it_refuses_html_renamed_png(client, fan, media_root):
    client.force_login(fan)
    html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

    response = post_upload(client, html, name="evil.png", content_type="image/png")

    assert_refused(response)
    assert files_under(media_root) == set()


def test_it_refuses_html_starting_with_the_png_signature(client, fan, media_root):
    client.force_login(fan)
    fake = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"

    response = post_upload(client, fake, name="evil.png", content_type="image/png")

    assert_refused(response)
    assert files_under(media_root) == set()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(image_bytes("GIF"), id="gif"),
        pytest.param(
            image_bytes("GIF", save_all=True, append_images=[Image.new("RGB", (16, 12))]),
            id="animated-gif",
        ),  # fmt: skip
        pytest.param(image_bytes("BMP"), id="bmp"),
        pytest.param(image_bytes("TIFF"), id="tiff"),
        pytest.param(image_bytes("ICO"), id="ico"),
        pytest.param(image_bytes("PPM"), id="ppm"),
    ],
)
def test_it_refuses_other_image_formats(client, fan, media_root, data):
    client.force_login(fan)

    response = post_upload(client, data, name="picture.png", content_type="image/png")

    assert_refused(response, "JPEG", "PNG", "WebP")
    assert files_under(media_root) == set()


def test_it_refuses_gif(client, fan, media_root):
    client.force_login(fan)

    response = post_upload(client, image_bytes("GIF"), name="a.gif", content_type="image/gif")

    assert_refused(response, "JPEG", "PNG", "WebP")
    assert files_under(media_root) == set()


@pytest.mark.parametrize(
    ("fmt", "keep"),
    [("PNG", 0.6), ("PNG", 0.2), ("JPEG", 0.5), ("WEBP", 0.5)],
)
def test_it_refuses_a_truncated_image(client, fan, media_root, fmt, keep):
    client.force_login(fan)
    data = noise_bytes(fmt)

    response = post_upload(client, data[: int(len(data) * keep)])

    assert_refused(response)
    assert files_under(media_root) == set()


def test_the_truncated_png_message_says_so(client, fan, media_root):
    client.force_login(fan)
    data = noise_bytes("PNG")

    response = post_upload(client, data[: len(data) // 2])

    assert_refused(response, "damaged")


@pytest.mark.parametrize(
    "data",
    [
        # 400 million pixels: twice Pillow's MAX_IMAGE_PIXELS (DecompressionBombError).
        pytest.param(lambda: png_bomb(20_000, 20_000), id="png-20000x20000"),
        # 100 million: above Pillow's limit, below twice it (DecompressionBombWarning).
        pytest.param(lambda: png_bomb(10_000, 10_000), id="png-10000x10000"),
        # 30 million: under Pillow's limit, above UPLOAD_MAX_PIXELS.
        pytest.param(lambda: png_bomb(6_000, 5_000), id="png-6000x5000"),
        pytest.param(lambda: jpeg_claiming(60_000, 60_000), id="jpeg-60000x60000"),
        pytest.param(lambda: webp_claiming(16_383, 16_383), id="webp-16383x16383"),
    ],
)
def test_it_refuses_a_decompression_bomb(client, fan, media_root, data):
    client.force_login(fan)
    payload = data()
    assert len(payload) < 100_000  # small on the wire: that is what makes it a bomb

    response = post_upload(client, payload)

    assert_refused(response, "pixels")
    assert files_under(media_root) == set()


def _never_decode():
    """Make any pixel decoding fail the test (ImageFile.load is what reads pixel data)."""
    return mock.patch.object(ImageFile.ImageFile, "load", side_effect=AssertionError("decoded"))


@pytest.mark.parametrize("size", [(6_000, 5_000), (10_000, 10_000), (20_000, 20_000)])
def test_the_pixel_bound_is_checked_before_decoding(client, fan, media_root, size):
    client.force_login(fan)

    with _never_decode():
        response = post_upload(client, png_bomb(*size))

    assert_refused(response, "pixels")
    assert files_under(media_root) == set()


# pytest's settings turn every RuntimeWarning into an error; in production a
# DecompressionBombWarning is only a warning unless the view itself makes it an error.
@pytest.mark.filterwarnings("default::RuntimeWarning")
@override_settings(UPLOAD_MAX_PIXELS=10**12)
def test_pillows_bomb_warning_refuses_the_image_even_above_our_own_bound(client, fan, media_root):
    client.force_login(fan)

    with _never_decode():
        response = post_upload(client, png_bomb(10_000, 10_000))

    assert_refused(response, "pixels")
    assert files_under(media_root) == set()


@override_settings(UPLOAD_MAX_PIXELS=10**12)
def test_pillows_hard_bomb_limit_refuses_the_image_even_above_our_own_bound(
    client, fan, media_root
):
    client.force_login(fan)

    with _never_decode():
        response = post_upload(client, png_bomb(20_000, 20_000))

    assert_refused(response, "pixels")
    assert files_under(media_root) == set()


@override_settings(UPLOAD_MAX_PIXELS=100)
def test_it_refuses_an_image_above_the_configured_pixel_bound(client, fan, media_root):
    client.force_login(fan)

    refused = post_upload(client, image_bytes("PNG", size=(11, 10)))
    accepted = post_upload(client, image_bytes("PNG", size=(10, 10)))

    assert_refused(refused, "11×10", "100")
    stored_path(accepted, media_root)
    assert len(files_under(media_root)) == 1


def test_it_refuses_a_request_without_a_file(client, fan, media_root):
    client.force_login(fan)

    response = client.post(UPLOAD_URL, {})

    assert_refused(response, "choose an image")
    assert files_under(media_root) == set()


def test_it_refuses_a_text_field_in_place_of_the_file(client, fan, media_root):
    client.force_login(fan)

    response = client.post(UPLOAD_URL, {"image": "not a file"})

    assert_refused(response)
    assert files_under(media_root) == set()


def test_it_refuses_a_file_under_another_field_name(client, fan, media_root):
    client.force_login(fan)

    response = client.post(
        UPLOAD_URL, {"file": SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png")}
    )

    assert_refused(response)
    assert files_under(media_root) == set()


def test_it_refuses_an_empty_file(client, fan, media_root):
    client.force_login(fan)

    response = post_upload(client, b"")

    assert_refused(response)
    assert files_under(media_root) == set()


def test_it_refuses_too_many_bytes(client, fan, media_root):
    client.force_login(fan)
    data = noise_bytes("PNG")
    assert len(data) > 2048

    with override_settings(UPLOAD_MAX_BYTES=2048):
        response = post_upload(client, data)

    assert_refused(response, "too large", "limit")
    assert files_under(media_root) == set()


def test_the_byte_limit_is_inclusive(client, fan, media_root):
    client.force_login(fan)
    data = image_bytes("PNG")
    padded = data + b"\x00" * (1000 - len(data))  # PNG readers ignore bytes after IEND
    assert len(padded) == 1000

    with override_settings(UPLOAD_MAX_BYTES=1000):
        accepted = post_upload(client, padded)
    with override_settings(UPLOAD_MAX_BYTES=999):
        refused = post_upload(client, padded)

    stored_path(accepted, media_root)
    assert_refused(refused, "too large")
    assert len(files_under(media_root)) == 1


def test_the_byte_limit_is_checked_before_the_image_is_opened(client, fan, media_root):
    client.force_login(fan)

    with (
        override_settings(UPLOAD_MAX_BYTES=10),
        mock.patch("apps.wiki.editor.Image.open", side_effect=AssertionError("opened")),
    ):
        response = post_upload(client, image_bytes("PNG"))

    assert_refused(response, "too large")
    assert files_under(media_root) == set()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xff\xd8\xff\xe0" + b"\x00" * 64, id="jpeg-signature-then-zeros"),
        pytest.param(b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 16, id="webp-signature-junk"),
        pytest.param(b"\x00" * 1024, id="zeros"),
        pytest.param(bytes(range(256)) * 8, id="binary"),
        pytest.param(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", id="pdf"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 64, id="zip"),
    ],
)
def test_it_refuses_junk_with_a_400_never_a_500(client, fan, media_root, data):
    client.force_login(fan)

    response = post_upload(client, data)

    assert_refused(response)
    assert files_under(media_root) == set()


def test_markdownx_is_pointed_at_the_one_renderer(settings):
    # markdownx reads this path at import; a stale path would only fail in its own views.
    assert import_string(settings.MARKDOWNX_MARKDOWNIFY_FUNCTION) is render_markdown


def test_a_full_disk_answers_with_a_message_and_leaves_no_partial_file(client, fan, media_root):
    def half_then_full(self, chunk_size=None):
        yield self.read(10)
        raise OSError(28, "No space left on device")

    client.force_login(fan)
    with mock.patch("django.core.files.base.ContentFile.chunks", half_then_full):
        response = post_upload(client, image_bytes("PNG"))
    assert response.status_code == 503
    assert response.json() == {
        "image": ["The image could not be stored just now. Try again in a minute."]
    }
    assert files_under(media_root) == set()


def test_an_uploaded_image_is_served_from_media_with_a_long_cache(client, fan, media_root):
    client.force_login(fan)
    path = stored_path(post_upload(client, image_bytes("PNG")), media_root)
    client.logout()
    url = "/media/" + str(path.relative_to(media_root))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(response.streaming_content) == path.read_bytes()
    assert client.get("/media/uploads/missing.png").status_code == 404
    client.raise_request_exception = False
    assert client.get("/media/../fanwiki/settings.py").status_code == 400
