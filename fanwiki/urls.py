from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path

from apps.api.urls import api_urls
from apps.categories.sitemaps import SITEMAPS as CATEGORY_SITEMAPS
from apps.wiki import editor
from apps.wiki.sitemaps import SITEMAPS
from apps.wiki.views import reading as wiki_reading

from .health import healthz
from .media import media
from .views import favicon

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        sitemap_view,
        {"sitemaps": {**SITEMAPS, **CATEGORY_SITEMAPS}},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("favicon.ico", favicon),
    path("accounts/", include("apps.accounts.urls")),
    path("api/", include("apps.api.urls")),
    path("api/v1/", api_urls),
    path("accounts/", include("apps.operations.urls")),
    path("moderation/", include("apps.safety.urls")),
    path("moderation/", include("apps.moderation.urls")),
    path("notifications/", include("apps.notifications.urls")),
    # django-markdownx's widget posts to these fixed paths (see settings).
    path(settings.MARKDOWNX_URLS_PATH.lstrip("/"), editor.preview, name="markdownx-preview"),
    path(settings.MARKDOWNX_UPLOAD_URLS_PATH.lstrip("/"), editor.upload, name="markdownx-upload"),
    path("", include("apps.wiki.urls_catalog")),
    path("", include("apps.talk.urls")),
    path("", include("apps.categories.urls")),
    path("", include("apps.wiki.urls")),
    path("", wiki_reading.home, name="home"),
]

if settings.MEDIA_STORAGE == "local":
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media, name="media"))
