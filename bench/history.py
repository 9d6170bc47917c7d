"""One article's history as the services would have written it.

For each revision: what ``write_revision`` stores (the revision with the HTML
of ``render_with_references``, its citations with key, number and uses, its
statements and their citations), the audit events of ``audit``/``decide``, and
the author's notification that ``tell_about_decision`` stores after a
moderator's decision. Rows carry explicit ids so they can point at each other
before they are inserted. The family texts and slots are bench.corpus's.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import count

from apps.accounts.models import User
from apps.catalog.models import Episode
from apps.citations.models import Source
from apps.wiki.models import Article, AuditAction, RejectionReason, Revision, RevisionStatus
from apps.wiki.tasks import _author_message  # the wording of the decision's notification

from . import corpus
from .citing import KEYS, Cited, Rendered, citation_rows, render, verify
from .rows import Rows, stamp
from .world import World

SUMMARIES = (
    "New article",
    "Add a production detail",
    "Reword the opening; flag a claim that needs a source",
    "Add a trivia section",
    "Add more on the reception",
    "Add a second opening paragraph",
)
AUTO_REASON = "Approved automatically: the author is trusted."  # as services.proposals
REJECTIONS = (RejectionReason.UNSOURCED, RejectionReason.SOURCE, RejectionReason.WORDING)
DECISION_ACTIONS = {
    RevisionStatus.REJECTED: AuditAction.REJECTED,
    RevisionStatus.WITHDRAWN: AuditAction.WITHDRAWN,
}


class Authors:
    """Who wrote and who decided, consistently with the trust policy (see bench.world)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.reviewed = 0

    def approved(self, rng: random.Random) -> tuple[User, bool]:
        """The author of an approved revision, and whether it was approved automatically."""
        if rng.random() < 0.2:
            return rng.choice(self.world.regulars), True
        fan = self.world.fans[self.reviewed // 4]  # four approvals each: one short of trust
        self.reviewed += 1
        return fan, False


def fate(index: int) -> str:
    """What became of an article's fifth revision: mostly approved, 2% still waiting."""
    roll = random.Random(f"fate-{index}").random()
    for name, share in (("pending", 0.013), ("stale", 0.007), ("rejected", 0.06)):
        if roll < share:
            return name
        roll -= share
    return "withdrawn" if roll < 0.01 else "approved"


@dataclass
class Article_:
    """What the writer needs while writing one article."""

    index: int
    article: Article
    values: dict[str, str]
    rng: random.Random
    sources: list[Source]

    def fill(self, text: str) -> str:
        return corpus.fill(text, self.values)


@dataclass
class Ids:
    revision: Iterator[int] = field(default_factory=lambda: count(1))
    citation: Iterator[int] = field(default_factory=lambda: count(1))
    statement: Iterator[int] = field(default_factory=lambda: count(1))


# Articles per category of the built wiki: every category page has about one page of them.
PER_CATEGORY = 100


def category_count(articles: int) -> int:
    return max(1, articles // PER_CATEGORY)


def category_name(index: int, articles: int) -> str:
    """The category the article at ``index`` is filed under."""
    return f"Bench topic {index % category_count(articles) + 1}"


class HistoryWriter:
    """Writes each article's five revisions, and what comes with them, into a Rows batch."""

    def __init__(self, world: World, hubs: list[str], articles: int, now: datetime) -> None:
        self.world, self.articles, self.now = world, articles, now
        self.authors = Authors(world)
        self.ids = Ids()
        self.families = [corpus.family(f, hubs) for f in range(min(300, max(40, articles // 30)))]
        self.rendered: dict[tuple[int, int], Rendered] = {}
        self.since: dict[int, dict[tuple[str, str], datetime]] = {}  # per revision, for its edits

    def _render(self, family: int, body: int) -> Rendered:
        """Each family body is rendered once; any distinct sources give the same HTML."""
        if (family, body) not in self.rendered:
            text = self.families[family].bodies[body]
            self.rendered[family, body] = render(text, {key: key for key in KEYS[body]})
        return self.rendered[family, body]

    def write(self, index: int, title: str, slug: str, episode: Episode | None, rows: Rows) -> None:
        rng = random.Random(f"article-{index}")
        start = self.now - timedelta(days=720 - 690 * index / self.articles, hours=rng.random())
        article = Article(id=index + 1, title=title, slug=slug, episode=episode, created_at=start)
        context = Article_(
            index, article, corpus.slot_values(index, self.articles), rng, self._sources(index)
        )
        gap = (self.now - timedelta(days=2) - start) / 5
        approved: list[Revision] = []
        created = start
        for body in range(4):
            base = approved[-1] if approved else None
            approved.append(self._approved(context, rows, body, base, created))
            created = self._decided(approved[-1]) + gap * rng.uniform(0.3, 1.0)
        last = self._fifth(context, rows, approved) or approved[-1]
        article.created_by = approved[0].author
        article.approved_revision, article.approved_at = last, last.decided_at  # publish()
        rows.articles.append(article)

    def _sources(self, index: int) -> list[Source]:
        """Seven different sources; the first from the few popular ones, as on a real wiki."""
        sources = self.world.sources
        popular = sources[(index * 31) % max(len(sources) // 20, 1)]
        step = next(p for p in (101, 103, 107, 109) if len(sources) % p)
        rest = [sources[(index * 7919 + n * step) % len(sources)] for n in range(8)]
        return [popular, *[s for s in rest if s.pk != popular.pk]][:7]

    @staticmethod
    def _decided(revision: Revision) -> datetime:
        assert revision.decided_at is not None
        return revision.decided_at

    def _approved(
        self, context: Article_, rows: Rows, body: int, base: Revision | None, created: datetime
    ) -> Revision:
        author, automatic = self.authors.approved(context.rng)
        decider = author if automatic else context.rng.choice(self.world.moderators)
        wait = (
            timedelta(milliseconds=50) if automatic else timedelta(hours=context.rng.uniform(1, 72))
        )
        status = RevisionStatus.APPROVED
        return self._revision(context, rows, body, base, author, status, created, decider, wait)

    def _fifth(self, context: Article_, rows: Rows, approved: list[Revision]) -> Revision | None:
        """The last revision; returned when it is the approved one readers now see."""
        end, rng, last = fate(context.index), context.rng, approved[-1]
        since_last = self.now - self._decided(last)
        created = self._decided(last) + since_last * rng.uniform(0.2, 0.8)
        if end == "approved":
            return self._approved(context, rows, 4, last, created)
        author = rng.choice(self.world.fans)
        if end == "stale":  # written against r3 while r4 waited; r4 was approved since
            r3 = approved[2]
            created = self._decided(r3) + (self._decided(last) - self._decided(r3)) / 2
            self._revision(context, rows, 5, r3, author, RevisionStatus.PENDING, created)
        elif end == "pending":
            self._revision(context, rows, 4, last, author, RevisionStatus.PENDING, created)
        else:
            decider = author if end == "withdrawn" else rng.choice(self.world.moderators)
            wait = (self.now - created) * rng.uniform(0.05, 0.5)
            status = RevisionStatus(end)
            self._revision(context, rows, 4, last, author, status, created, decider, wait)
        return None

    def _revision(
        self,
        context: Article_,
        rows: Rows,
        body: int,
        base: Revision | None,
        author: User,
        status: RevisionStatus,
        created: datetime,
        decider: User | None = None,
        wait: timedelta | None = None,
    ) -> Revision:
        family = context.index % len(self.families)
        rendered = self._render(family, body)
        revision = Revision(
            id=next(self.ids.revision),
            article=context.article,
            title=context.article.title,
            categories=category_name(context.index, self.articles),
            body=context.fill(self.families[family].bodies[body]),
            summary=SUMMARIES[body],
            author=author,
            base=base,
            rendered_html=context.fill(rendered.html),
            created_at=created,
            status=status,
            decided_by=decider,
            decided_at=created + wait if wait is not None else None,
            automatic=status == RevisionStatus.APPROVED and decider == author,
        )
        if status == RevisionStatus.REJECTED:
            code = REJECTIONS[context.index % 3]
            note = "Please cite the interview itself." if context.index % 2 else ""
            revision.reason_code, revision.decision_reason = code, note or code.label
        if revision.automatic:
            revision.decision_reason = AUTO_REASON
        rows.revisions.append(revision)
        cited = citation_rows(revision, KEYS[body], context.sources, rendered, self.ids.citation)
        rows.citations.extend(cited.rows)
        statements = self._statements(rows, revision, rendered, cited, context)
        self._decisions(rows, revision)
        if context.index % 97 == 0:
            verify(revision, cited, statements)
        return revision

    def _statements(
        self,
        rows: Rows,
        revision: Revision,
        rendered: Rendered,
        cited: Cited,
        context: Article_,
    ) -> list[tuple[str, str, str]]:
        """As _write_statements: a statement carried over unchanged from the base keeps its age."""
        earlier = self.since.get(revision.base_id or 0, {})
        mine: dict[tuple[str, str], datetime] = {}
        found = []
        for position, (kind, raw, keys, anchor) in enumerate(rendered.statements):
            text = context.fill(raw)
            since = earlier.get((kind, text), revision.created_at)
            mine[kind, text] = since
            statement_id = next(self.ids.statement)
            rows.statements.append(
                (statement_id, revision.pk, position, kind, text, anchor, stamp(since))
            )
            rows.links.extend(
                (statement_id, cited.ids[key]) for key in dict.fromkeys(keys) if key in cited.ids
            )
            found.append((kind, text, anchor))
        self.since[revision.pk] = mine
        return found

    def _decisions(self, rows: Rows, revision: Revision) -> None:
        """The audit events of the proposal and its decision, and the author's notification."""
        author, decider, decided = revision.author, revision.decided_by, revision.decided_at
        rows.audits.append(_audit(revision, author, AuditAction.PROPOSED, "", revision.created_at))
        if decider is None or decided is None:
            return
        action = DECISION_ACTIONS.get(RevisionStatus(revision.status), AuditAction.APPROVED)
        if revision.automatic:
            action = AuditAction.AUTO_APPROVED
        rows.audits.append(_audit(revision, decider, action, "pending", decided))
        if decider.pk == author.pk:
            return
        message = _author_message(revision, revision.article, decider)
        read = decided + timedelta(days=1)
        rows.notifications.append(
            (
                author.pk,
                message,
                revision.get_absolute_url(),
                stamp(decided),
                stamp(read if read < self.now else None),
            )
        )


def _audit(
    revision: Revision, actor: User, action: str, from_status: str, at: datetime
) -> tuple[object, ...]:
    proposed = action == AuditAction.PROPOSED
    return (
        revision.pk,
        revision.article_id,
        actor.pk,
        action,
        from_status,
        RevisionStatus.PENDING if proposed else revision.status,
        "" if proposed else revision.decision_reason,
        stamp(at),
    )
