"""Moderation: the queue, the review page, the decisions, review threads, claims, trust,
protection, statistics and the audit log.

Moderation imports wiki (never the reverse): its decisions publish through wiki's
one publish path, and it adds its links, forms and the review conversation to
wiki's pages through the slots wiki offers (hooks.py). Other apps add tabs to the
audit log through the "audit-logs" hook it offers (auditlogs.py).
"""
