"""What every page of the site shares, in one place with no models.

The page cache, the reader's spoiler points, the checks on text people write, the
base forms, query-parameter parsing, turning a service's refusal into a response,
and the registry through which an app adds to pages another app owns. Wiki, talk
and moderation import it; it imports only the leaf apps (markup, catalog, ...).
"""
