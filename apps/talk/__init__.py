"""Talk pages: each article's discussion, topics with threaded replies.

Imports point one way: talk uses wiki (articles, who may take part, who
moderates, the page cache), markup (the one renderer) and notifications;
wiki never imports talk. Moderation imports talk for its audit log.
"""
