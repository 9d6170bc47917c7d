"""What a worker process started by the tests runs with: production's settings (from the
environment the test gives it), and webhooks allowed to the tests' local receiver."""

from fanwiki.settings import *  # noqa: F403

WEBHOOK_ALLOWED_ADDRESSES = ["127.0.0.1"]
WEBHOOK_RETRY_SECONDS = 1
