"""Uploads on an S3-compatible bucket: a real server (moto's), the editor's endpoint, the page."""

import io
import uuid

import boto3
import pytest
from botocore.config import Config
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from apps.moderation import services as moderation
from fanwiki.settings import media_origins
from tests import factories
from tests.workers import MotoServer

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/markdownx/upload/"


def png(color="red"):
    out = io.BytesIO()
    Image.new("RGB", (16, 12), color).save(out, format="PNG")
    return out.getvalue()


def s3_storage(endpoint, bucket):
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "access_key": "testing",
            "secret_key": "testing",
            "querystring_auth": False,
            "file_overwrite": False,
            "client_config": Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 1}),
        },
    }


@pytest.fixture
def bucket(s3_server, settings):
    """A fresh bucket, and the site's uploads pointed at it."""
    name = f"fanwiki-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(s3_server, name)}
    return client, name


def upload(client, data):
    return client.post(UPLOAD_URL, {"image": SimpleUploadedFile("photo.png", data, "image/png")})


def test_an_upload_lands_in_the_bucket_and_the_approved_article_shows_it(
    client, bucket, s3_server, author, moderator
):
    s3, name = bucket
    client.force_login(author)
    response = upload(client, png())
    assert response.status_code == 200, response.content
    code = response.json()["image_code"]
    url = code.removeprefix("![](").removesuffix(")")
    prefix = f"{s3_server}/{name}/"
    assert url.startswith(prefix + "uploads/")
    # The Content-Security-Policy lets readers' browsers load it.
    origins = media_origins(
        media_url="/media/", bucket=name, custom_domain=None, endpoint_url=s3_server, region=None
    )
    assert any(url.startswith(origin + "/") for origin in origins)
    key = url.removeprefix(prefix)
    stored = s3.get_object(Bucket=name, Key=key)
    assert stored["ContentType"] == "image/png"
    data = stored["Body"].read()
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (16, 12))
        assert image.getpixel((0, 0))[:3] == (255, 0, 0)
    assert default_storage.exists(key)

    revision = factories.propose_article(
        author, title="With a photo", body=f"![Jim at the desk]({url})"
    )
    moderation.revision_approve(revision=revision, moderator=moderator)
    client.logout()
    page = client.get(revision.article.get_absolute_url()).content.decode()
    assert f'<img alt="Jim at the desk" src="{url}">' in page


def test_a_bucket_that_does_not_answer_is_a_503_with_a_message(client, fan, settings):
    # Nothing listens on port 9: the store fails at once.
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage("http://127.0.0.1:9", "x")}
    client.force_login(fan)
    response = upload(client, png())
    assert response.status_code == 503
    assert response.json() == {
        "image": ["The image could not be stored just now. Try again in a minute."]
    }


def test_when_the_bucket_stops_pages_still_render_and_uploads_answer_503(
    client, settings, tmp_path, author, moderator
):
    """A bucket of the test's own that stops mid-test, then starts again."""
    server = MotoServer(tmp_path / "moto.log").start()
    s3 = boto3.client("s3", endpoint_url=server.endpoint, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip
    s3.create_bucket(Bucket="outage")
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(server.endpoint, "outage")}
    try:
        client.force_login(author)
        code = upload(client, png()).json()["image_code"]
        url = code.removeprefix("![](").removesuffix(")")
        revision = factories.propose_article(author, title="With a photo", body=f"![Jim]({url})")
        moderation.revision_approve(revision=revision, moderator=moderator)

        server.stop()
        # The page is made without the bucket: the image's address is the page's own text.
        reader = Client()
        page = reader.get(revision.article.get_absolute_url())
        assert page.status_code == 200
        assert f'src="{url}"' in page.content.decode()
        # An upload says what happened, and nothing is kept.
        refused = upload(client, png("blue"))
        assert refused.status_code == 503
        assert "could not be stored just now" in refused.json()["image"][0]

        server.start()
        s3.create_bucket(Bucket="outage")  # moto kept nothing
        assert upload(client, png("green")).status_code == 200  # back, without a restart
    finally:
        server.stop()
