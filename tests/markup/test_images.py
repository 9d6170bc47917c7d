"""Images come only from the site's own uploads: any other <img> is dropped whole."""

import pytest

from apps.markup import render_with_references
from apps.markup.images import upload_prefixes
from tests.markup.inert import find

EXTERNAL = [
    "https://tracker.example/p.png",
    "http://tracker.example/media/uploads/p.png",
    "//tracker.example/media/uploads/p.png",
    "/\\tracker.example/p.png",
    "https://tracker.example/p.png?/media/uploads/",
    "/static/images/logo.png",
    "media/uploads/p.png",
    "/media/uploads/../../static/images/logo.png",
    "/media/uploads/%2e%2e/%2E%2E/elsewhere/p.png",
]


@pytest.mark.parametrize("src", EXTERNAL)
@pytest.mark.parametrize(
    "shape", ["![Pam]({src})", '<img alt="Pam" src="{src}">', "![Pam][p]\n\n[p]: {src}"]
)
def test_an_image_from_elsewhere_is_dropped_and_reported(src, shape):
    html, state = render_with_references(shape.format(src=src), None)

    assert find(html, "img") == []
    assert any(
        f"Images must be uploaded to this site; {src} is an external image" in p
        for p in state.problems
    ), state.problems


def test_an_html_encoded_address_is_judged_as_the_browser_reads_it():
    html, state = render_with_references(
        '<img alt="x" src="&#x68;ttps://tracker.example/p.png">', None
    )
    assert find(html, "img") == []
    assert "https://tracker.example/p.png is an external image" in state.problems[0]


@pytest.mark.parametrize(
    "src", ["/media/uploads/2026/11/abc.jpg", "http://127.0.0.1:8000/media/uploads/2026/11/abc.jpg"]
)
def test_an_upload_is_kept(src, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    html, state = render_with_references(f"![Jim at the desk]({src})", None)

    (image,) = find(html, "img")
    assert image.attrs == {"alt": "Jim at the desk", "src": src}
    assert state.problems == []


def test_the_rest_of_the_text_stays_when_an_image_is_dropped():
    html, _ = render_with_references("Before ![x](https://tracker.example/p.png) after", None)
    assert find(html, "p")[0].text == "Before  after"


def test_with_s3_the_buckets_address_is_allowed(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "fanwiki-media",
                "custom_domain": "media.wiki.example",
                "querystring_auth": False,
            },
        },
    }
    assert upload_prefixes() == ("https://media.wiki.example/uploads/",)
    html, _ = render_with_references(
        "![a](https://media.wiki.example/uploads/a.png) ![b](/media/uploads/b.png)", None
    )
    assert [image.attrs["src"] for image in find(html, "img")] == [
        "https://media.wiki.example/uploads/a.png"
    ]
