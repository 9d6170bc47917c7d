"""The site's apps, one job each; which may import which (tests/test_layout.py enforces it):

    markup, accounts, catalog, citations   the foundation: import no other app
    web                                     what every page shares (no models)
    notifications                           + web
    wiki                                    articles and revisions; + notifications
    moderation                              deciding and discussing proposals; + wiki
    talk                                    talk pages; + wiki, moderation
    operations                              backups and the demo; names everyone

Never upwards: an app built on another adds to its pages and steps through the
slots and hooks that app offers (apps.web.hooks), so the one below never names it.
"""
