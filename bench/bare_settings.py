"""The site's settings and middleware, with one tiny view for URLs: the bench's ceiling.

Whatever the bare server answers per second is what gunicorn, the middleware and
this machine allow before any of the site's own work; pages are reported as a
fraction of it.
"""

from fanwiki.settings import *  # noqa: F403 - the very same settings, on purpose

ROOT_URLCONF = "bench.bare_urls"
