"""What the API answers and accepts: typed, so that the OpenAPI document says it all."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

# ---- Answers -------------------------------------------------------------------------


class ProblemOut(Schema):
    """An error (RFC 9457, application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] | None = None


class EpisodeRef(Schema):
    id: int
    show: str = Field(description="The show's slug.")
    show_title: str
    season: int
    number: int
    code: str = Field(description="Such as S02E22.")
    title: str
    air_date: date | None = None


class ArticleRef(Schema):
    id: int
    slug: str = Field(description="Its address key; a neutral one while folded.")
    title: str = Field(description="Its title, or what stands for it while folded.")
    folded: bool = Field(
        description="About an episode after the reader's point: title, text and "
        "summaries are withheld unless reveal=true."
    )
    url: str
    episode: EpisodeRef | None = None


class SourceOut(Schema):
    id: int
    kind: str
    title: str
    url: str
    archive_url: str
    author: str
    publisher: str
    published_date: date | None = None
    accessed_date: date | None = None


class CitationOut(Schema):
    key: int | None = Field(description="The number the text's [@n] markers use.")
    quote: str
    locator: str
    source: SourceOut


class ArticleOut(Schema):
    article: ArticleRef
    revision_id: int | None = Field(description="The approved version; null while folded.")
    approved_at: datetime | None = None
    protection: str
    markdown: str | None = None
    html: str | None = Field(None, description="As the site shows it to this reader.")
    citations: list[CitationOut] = []
    categories: list[str] = []
    aliases: list[str] = []


class RevisionRef(Schema):
    id: int
    status: str
    summary: str | None = Field(description="Null while folded.")
    author: str
    bot: bool
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    automatic: bool
    base_id: int | None = None


class RevisionOut(RevisionRef):
    article: ArticleRef
    title: str | None = None
    markdown: str | None = None
    html: str | None = None
    citations: list[CitationOut] = []
    categories: list[str] = []
    aliases: list[str] = []
    decision_reason: str | None = Field(
        None, description="Shown to the author and to moderators only."
    )


class CitationChangeOut(Schema):
    change: Literal["added", "removed", "changed", "same"]
    key: int | None = None
    old: CitationOut | None = None
    new: CitationOut | None = None


class CompareOut(Schema):
    article: ArticleRef
    older_id: int
    newer_id: int
    diff: str = Field(description="A unified diff of the Markdown texts.")
    citations: list[CitationChangeOut]


class RevisionPage(Schema):
    items: list[RevisionRef]
    next_cursor: str | None


class ArticlePage(Schema):
    items: list[ArticleRef]
    next_cursor: str | None


class CitingOut(Schema):
    article: ArticleRef
    quote: str | None
    locator: str | None
    statements: list[str]


class SourceDetailOut(SourceOut):
    citing: list[CitingOut]


class SourcePage(Schema):
    items: list[SourceOut]
    next_cursor: str | None


class ShowOut(Schema):
    slug: str
    title: str
    description: str
    seasons: list[int]


class EpisodeOut(EpisodeRef):
    production_code: str
    articles: list[ArticleRef] = []


class EpisodePage(Schema):
    items: list[EpisodeRef]
    next_cursor: str | None


class SearchHit(Schema):
    article: ArticleRef
    snippet: str = Field(description="Plain text around the match; empty while folded.")


class SearchOut(Schema):
    items: list[SearchHit]
    next_cursor: str | None


class CategoryOut(Schema):
    slug: str
    name: str


class CategoryPage(Schema):
    items: list[CategoryOut]
    next_cursor: str | None


class CategoryDetailOut(CategoryOut):
    articles: list[ArticleRef]
    next_cursor: str | None


class ChangeOut(Schema):
    revision_id: int
    kind: Literal["new", "edit"]
    at: datetime = Field(description="When it was published.")
    article: ArticleRef
    summary: str | None
    author: str
    bot: bool
    automatic: bool


class ChangePage(Schema):
    items: list[ChangeOut]
    next_cursor: str | None


# ---- Proposing ----------------------------------------------------------------------


class CitationIn(Schema):
    """An existing source by id, or the fields of a new one; and what it supports."""

    key: int | None = Field(None, description="The [@n] number the text uses for it.")
    source_id: int | None = None
    kind: str | None = Field(None, description="For a new source: web, book, episode, …")
    title: str | None = None
    url: str | None = None
    archive_url: str | None = None
    author: str | None = None
    publisher: str | None = None
    published_date: date | None = None
    quote: str | None = None
    locator: str | None = None


class EditIn(Schema):
    body: str = Field(description="The whole new text, in Markdown.")
    summary: str
    base_revision_id: int | None = Field(
        description="The approved revision the text was written against (409 if not current)."
    )
    citations: list[CitationIn]
    title: str | None = Field(
        None, description="A new title moves the article (reviewed like any edit); null keeps it."
    )
    categories: list[str] | None = Field(None, description="Null keeps the base's.")
    aliases: list[str] | None = Field(None, description="Null keeps the base's.")
    acknowledged: str | None = Field(
        None,
        description="The acknowledge value of a flagged answer: sent back with the same "
        "request, the edit filters' warnings it names pass.",
    )


class NewArticleIn(Schema):
    title: str
    episode_id: int | None = None
    body: str
    summary: str
    citations: list[CitationIn]
    categories: list[str] = []
    aliases: list[str] = []
    acknowledged: str | None = Field(
        None,
        description="The acknowledge value of a flagged answer: sent back with the same "
        "request, the edit filters' warnings it names pass.",
    )


class ProposalOut(Schema):
    revision_id: int
    article: ArticleRef
    status: str
    auto_approved: bool
    awaits_review: bool
    pending_count: int = Field(description="The author's proposals awaiting review now.")


# ---- Moderating ---------------------------------------------------------------------


class QueueItem(Schema):
    revision: RevisionRef
    article: ArticleRef
    stale: bool = Field(description="Written against a version that is no longer current.")
    claimed_by: str | None = None


class QueuePage(Schema):
    items: list[QueueItem]
    next_cursor: str | None


class HunkOut(Schema):
    index: int
    kind: str
    old: str
    new: str


class ReviewOut(Schema):
    revision: RevisionOut
    current_revision_id: int | None
    diff: str
    citations: list[CitationChangeOut]
    uncited_statements: list[str]
    hunks: list[HunkOut]
    claimed_by: str | None = None


class RejectIn(Schema):
    reason: str
    reason_code: str = Field("other", description="unsourced, vandalism, duplicate, …")


class ReasonIn(Schema):
    reason: str = ""


class ApprovePartIn(Schema):
    accepted: list[int] = Field(description="The indexes of the hunks to publish.")
    reasons: dict[str, str] = Field({}, description="Hunk index → why it was left out.")
    rest: str = Field("", description="What happens to the rest, in words for the author.")


class DecisionOut(Schema):
    revision_id: int
    status: str
    published_revision_id: int | None = None


class ClaimOut(Schema):
    revision_id: int
    claimed_by: str | None
    until: datetime | None = None


# ---- Talk ---------------------------------------------------------------------------


class TopicOut(Schema):
    id: int
    title: str
    author: str
    created_at: datetime
    last_activity_at: datetime
    closed: bool


class TopicPage(Schema):
    items: list[TopicOut]
    next_cursor: str | None


class PostOut(Schema):
    id: int
    author: str
    parent_id: int | None
    created_at: datetime
    hidden: bool
    markdown: str | None
    html: str | None


class PostPage(Schema):
    items: list[PostOut]
    next_cursor: str | None


class ReplyIn(Schema):
    body: str
    parent_id: int | None = None
    acknowledged: str | None = Field(
        None,
        description="The acknowledge value of a flagged answer: sent back with the same "
        "request, the edit filters' warnings it names pass.",
    )
