"""Talk pages: each article's discussion, topics with threaded replies.

Talk imports wiki (four modules: models, permissions, policy, views.access),
moderation (the audit log's tab type), web, markup and notifications; nobody
imports talk. It adds the article's Talk tab and a tab of the audit log through
hooks (hooks.py).
"""
