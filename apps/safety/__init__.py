"""The moderators' toolkit for a wiki under attack: blocks (and, built on the same hooks,
edit filters).

Wiki offers the hook "write-refusal" that every write asks (policy.account_refusal:
proposing, talk posts, review comments, uploads); this app answers it with the
blocks that apply. Wiki never names this app.
"""
