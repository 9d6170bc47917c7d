"""The places on wiki's pages, and the steps of its services, that other apps fill.

Wiki names none of the apps built on it: they register for these names
(apps.web.hooks) from their AppConfig.ready(). Slots are filled in wiki's
templates with ``{% slot name ... %}``; their functions receive ``request`` and
what is listed here, and return HTML from a template of their own, or None.
Hooks run inside wiki's services.

The article page's slots (tabs, notices, foot) are kept in the page cache with
the page, for anonymous readers and for signed-in fans alike (apps.web.pagecache):
what they show may depend on the article, the reader's spoiler points and
whether the reader moderates, but on nothing else of the reader (their name,
their follows, a block), or one fan's would be served to another.
"""

from apps.web import hooks

ARTICLE_TABS = "article-tabs"
ARTICLE_NOTICES = "article-notices"
ARTICLE_FOOT = "article-foot"
REVISION_ACTIONS = "revision-actions"
REVISION_CONVERSATION = "revision-conversation"
HISTORY_LINKS = "history-links"
EDITOR_REVISING = "editor-revising"
EDITOR_TAKING = "editor-taking"
EDITOR_NAMES = "editor-names"
REVISION_REVISED = "revision-revised"
REVIEW_URL = "review-url"
NAMES_CHECK = "names-check"
NAMES_PUBLISHED = "names-published"
REVISION_PROPOSED = "revision-proposed"
REVISION_DECIDED = "revision-decided"
WRITE_REFUSAL = "write-refusal"
PROFILE_TOOLS = "profile-tools"
CONTENT_CHECK = "content-check"

OFFERED = {
    ARTICLE_TABS: "the article page's tabs, after History; gets article",
    ARTICLE_NOTICES: "the article page, above its text (after the reader's own proposals); "
    "gets article",
    ARTICLE_FOOT: "the article page, under its text and inside its spoiler fold (published "
    "articles only); gets article, revision (the approved one)",
    REVISION_ACTIONS: "the page of one version, under its status; gets revision, is_current",
    REVISION_CONVERSATION: "the page of one version, above its text; gets revision, is_open",
    HISTORY_LINKS: "an article's history page, above the decisions; gets article",
    EDITOR_REVISING: "the editor, revising an earlier proposal, above the text; gets revision",
    EDITOR_NAMES: "the editor, under its categories and other names fields; gets nothing",
    EDITOR_TAKING: "hook, the editor revising an earlier proposal with ?take=…: gets revision, "
    "body (the text the editor would start from), take, user; returns (body, notice) to "
    "start from instead, or None; the editor sends take back when the proposal is submitted",
    REVISION_REVISED: "hook, in the transaction that writes a proposal revising an earlier "
    'one; gets old, new, takes (what the editor was opened to take in, or "")',
    NAMES_CHECK: "hook, before a proposal is written and again before it is published: gets "
    "article, names (apps.wiki.naming.Names: the title, categories and other names it gives "
    "the article); returns {field: [messages]} to refuse them, or None",
    NAMES_PUBLISHED: "hook, in the transaction that publishes a version: gets article, "
    "revision, names, previous (the Names readers saw before, or None for a new article)",
    REVISION_PROPOSED: "hook, in the transaction that writes a proposal (before a trusted "
    "author's is published); gets revision",
    REVISION_DECIDED: "hook, in the transaction that decides a proposal (approved, rejected, "
    "withdrawn, merged, changes requested); gets revision, automatic",
    WRITE_REFUSAL: "hook, asked by every write of a fan (policy.account_refusal): gets user, "
    'action ("propose", or the asking app\'s name for its write), article (or None); '
    "returns why they may not, or None",
    CONTENT_CHECK: "hook, before a proposal (or another app's post or comment) is stored: "
    "gets written (apps.wiki.screening.Written); returns a Screening (hold, tags) or None, "
    "or raises ValidationError to refuse it or screening.Flagged to warn",
    PROFILE_TOOLS: "a fan's public profile, under its facts; gets person",
    REVIEW_URL: "hook: the address where a moderator reviews a pending revision (or, with "
    "revision=None, the queue); gets revision",
}


def review_url(revision: object = None) -> str:
    """The first address an app gives for reviewing ``revision``, or "" when none does."""
    return next((url for url in hooks.run(REVIEW_URL, revision=revision) if url), "")


def offer() -> None:
    for name, description in OFFERED.items():
        hooks.offer(name, description)
