"""The edit filters' rule language: rule-engine's expressions over what a fan is writing.

A rule is an expression such as::

    added_text =~~ "(?i)free v-?bucks" and user_age_days < 7
    "casino.example" in link_domains or added_links.length > 10

The symbols are typed (a rule naming an unknown one, or comparing a number with a
word, is refused when it is saved, with rule-engine's message), and each is
worked out only if a rule asks for it. Regular expressions (``=~``, ``=~~`` and
their negations) run on RE2, whose time is linear in the text: no pattern can
hold a worker, however it is written (Python's own ``re`` backtracks, and a
pattern like ``(a+)+$`` takes minutes on a short text).
"""

import time
from datetime import timedelta
from functools import cached_property, lru_cache
from typing import Any

import re2
import rule_engine
from django.conf import settings
from django.utils import timezone
from rule_engine import DataType, errors
from rule_engine.ast.binary.comparison import FuzzyComparisonExpression

from apps.categories.models import Membership
from apps.moderation.models import ReviewComment
from apps.talk.models import Post
from apps.wiki.models import Protection, Revision, RevisionStatus
from apps.wiki.permissions import can_moderate
from apps.wiki.policy import effective_protection, is_trusted
from apps.wiki.screening import Written

MAX_RULE_LENGTH = 2_000

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False


def _compile_regex(self: FuzzyComparisonExpression, regex: str) -> Any:
    try:
        return re2.compile(regex, _RE2_OPTIONS)
    except re2.error as error:
        raise errors.RegexSyntaxError(
            "invalid regular expression (RE2 has no look-arounds or back-references)",
            error=error,
            value=regex,
        ) from None


# rule-engine compiles its patterns with this method; ours uses RE2 (see the docstring).
FuzzyComparisonExpression._compile_regex = _compile_regex

TEXT = DataType.STRING
WORDS = DataType.ARRAY(DataType.STRING)

# Every symbol a rule may use: its type, and what it means (the filters page lists them).
SYMBOLS: dict[str, tuple[Any, str]] = {
    "kind": (TEXT, 'what is written: "proposal", "talk" or "comment"'),
    "text": (TEXT, "the whole text as it would be stored"),
    "added_text": (TEXT, "the lines it adds (a proposal: to the version it edits; else all)"),
    "removed_text": (TEXT, "the lines a proposal removes"),
    "summary": (TEXT, "the edit summary (a talk topic: its title)"),
    "title": (TEXT, "the article's title (as the proposal gives it)"),
    "links": (WORDS, "every link in the text that leads off the site"),
    "added_links": (WORDS, "the links it adds"),
    "link_domains": (WORDS, "the host names of the links it adds"),
    "images": (WORDS, "the addresses of its images"),
    "user_name": (TEXT, "the writer's user name"),
    "user_age_days": (DataType.FLOAT, "days since the writer signed up"),
    "user_confirmed": (DataType.BOOLEAN, "whether the writer's e-mail address is confirmed"),
    "user_approved": (DataType.FLOAT, "how many of the writer's proposals were approved"),
    "user_trusted": (DataType.BOOLEAN, "whether the writer's proposals skip review"),
    "user_bot": (DataType.BOOLEAN, "whether the account is marked as a bot"),
    "user_moderator": (DataType.BOOLEAN, "whether the writer is a moderator"),
    "writes_last_10_minutes": (
        DataType.FLOAT,
        "the writer's proposals, talk posts and review comments in the last 10 minutes",
    ),
    "writes_last_hour": (DataType.FLOAT, "the same, in the last hour"),
    "article_new": (DataType.BOOLEAN, "whether the article is not published yet"),
    "article_protection": (TEXT, 'who may propose to it: "open", "trusted" or "moderators"'),
    "article_categories": (WORDS, "the names of its categories"),
    "article_episode": (TEXT, 'its episode\'s code, such as "S02E22" ("" if none)'),
    "article_show": (TEXT, 'its show\'s slug, such as "the-office" ("" if none)'),
}

# The names a Written answers itself (apps.wiki.screening); the rest are worked out below.
WRITTEN = frozenset(
    ("kind", "text", "added_text", "removed_text", "summary", "title", "links", "added_links",
     "link_domains", "images")
)  # fmt: skip

CONTEXT = rule_engine.Context(
    type_resolver=rule_engine.type_resolver_from_dict(
        {name: kind for name, (kind, _meaning) in SYMBOLS.items()}
    ),
    resolver=lambda thing, name: thing.value(name),
)


@lru_cache(maxsize=256)
def compile_rule(text: str) -> rule_engine.Rule:
    """The rule, or ValueError with what is wrong with it, in rule-engine's words. Parsed
    once a process for each text (every write runs the enabled filters)."""
    text = text.strip()
    if not text:
        raise ValueError("Write the rule.")
    if len(text) > MAX_RULE_LENGTH:
        raise ValueError(f"A rule is at most {MAX_RULE_LENGTH:,} characters.")
    try:
        return rule_engine.Rule(text, context=CONTEXT)
    except errors.SymbolResolutionError as error:
        raise ValueError(
            f"“{error.symbol_name}” is not a name rules know; see the list below the form."
        ) from error
    except errors.EngineError as error:
        detail = getattr(error, "error", None)
        raise ValueError(f"The rule cannot be read: {error.message}" + (
            f" ({detail})" if detail else "")) from error  # fmt: skip


_EMPTY = {DataType.STRING: "", DataType.FLOAT: 0.0, DataType.BOOLEAN: False}


class _Blank:
    """Every name at its type's empty value: a rule tried on it shows the mistakes the parser
    cannot see (an unknown function, a type that only shows when evaluated)."""

    def value(self, name: str) -> Any:
        kind = SYMBOLS[name][0]
        return _EMPTY.get(kind, ())


def check_runs(rule: rule_engine.Rule) -> None:
    """ValueError, with rule-engine's words, if the rule fails on a blank text."""
    try:
        rule.matches(_Blank())
    except errors.EngineError as error:
        detail = f" “{error.symbol_name}”" if hasattr(error, "symbol_name") else ""
        raise ValueError(f"The rule fails when it runs: {error.message}{detail}.") from error


def _writes_since(user_id: int, since: Any) -> int:
    return (
        Revision.objects.filter(author_id=user_id, created_at__gte=since).count()
        + Post.objects.filter(author_id=user_id, created_at__gte=since).count()
        + ReviewComment.objects.filter(author_id=user_id, created_at__gte=since).count()
    )


class Facts:
    """What a rule may ask about a :class:`Written`, each worked out on first use."""

    def __init__(self, written: Written) -> None:
        self.written = written

    def value(self, name: str) -> Any:
        if name in WRITTEN:
            return getattr(self.written, name)
        return getattr(self, f"_{name}")

    @property
    def _user_name(self) -> str:
        return self.written.author.username

    @property
    def _user_age_days(self) -> float:
        return (timezone.now() - self.written.author.date_joined).total_seconds() / 86_400

    @property
    def _user_confirmed(self) -> bool:
        return self.written.author.email_verified

    @cached_property
    def _user_approved(self) -> float:
        return float(
            Revision.objects.filter(
                author_id=self.written.author.pk, status=RevisionStatus.APPROVED
            ).count()
        )

    @cached_property
    def _user_trusted(self) -> bool:
        return is_trusted(self.written.author)

    @property
    def _user_bot(self) -> bool:
        return self.written.author.is_bot

    @cached_property
    def _user_moderator(self) -> bool:
        return can_moderate(self.written.author)

    @cached_property
    def _writes_last_10_minutes(self) -> float:
        return float(_writes_since(self.written.author.pk, timezone.now() - timedelta(minutes=10)))

    @cached_property
    def _writes_last_hour(self) -> float:
        return float(_writes_since(self.written.author.pk, timezone.now() - timedelta(hours=1)))

    @property
    def _article_new(self) -> bool:
        article = self.written.article
        return article is None or not article.is_published

    @property
    def _article_protection(self) -> str:
        article = self.written.article
        return effective_protection(article) if article is not None else Protection.OPEN

    @cached_property
    def _article_categories(self) -> tuple[str, ...]:
        article = self.written.article
        if article is None or article.pk is None:
            return ()
        return tuple(
            Membership.objects.filter(article_id=article.pk)
            .order_by("category__name")
            .values_list("category__name", flat=True)
        )

    @property
    def _article_episode(self) -> str:
        episode = self.written.article.episode if self.written.article is not None else None
        return episode.code if episode is not None else ""

    @property
    def _article_show(self) -> str:
        episode = self.written.article.episode if self.written.article is not None else None
        return episode.season.show.slug if episode is not None else ""


def evaluate(rule: rule_engine.Rule, facts: Facts) -> tuple[bool, float]:
    """Whether the rule matches, and how long it took (ms). Raises errors.EngineError."""
    started = time.perf_counter()
    matched = bool(rule.matches(facts))
    return matched, (time.perf_counter() - started) * 1000


def too_slow_ms() -> float:
    return float(settings.EDIT_FILTER_MAX_MS)
