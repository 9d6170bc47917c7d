"""Articles and revisions: proposing, publishing, reading; the heart the others build on.

Wiki imports only the foundation apps, web and notifications. It decides nothing
itself except that a trusted author's proposal is approved at once, through the
one publish path (services.revision_publish) that moderation's decisions call
too. Its pages offer slots, and its services hooks, that apps built on it fill
(slots.py); its code and templates never name those apps.
"""
