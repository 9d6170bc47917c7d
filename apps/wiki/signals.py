"""Signals other apps listen to (they import wiki; wiki never imports them)."""

from django.dispatch import Signal

# Sent by ``seed_demo`` once the demo article is published, with ``article``, ``fan``,
# ``moderator`` and ``say`` (a function printing one line of the command's report), so
# that an app built on the wiki (talk pages) can add its part of the demo, idempotently.
demo_seeded = Signal()
