"""What a version says of its article besides its text: its title, categories and other
names (aliases), and the addresses that follow from them.

A version carries all three (``Revision.title``, ``.categories``, ``.aliases``), so a
move (a new title), a category added or an other name are proposals like any edit:
reviewed in the same queue, shown in the review's diff, kept in history, restored by a
revert. :func:`apply_names` is what :func:`~apps.wiki.services.revision_publish` does
with them: the title and slug change, the old address and each other name become
redirects (:class:`~apps.wiki.models.Redirect`, keyed by the article, so there is never
a redirect to a redirect). What categories mean (their pages, parents, cycles) is the
categories app's: it hears of them through the ``names-check`` and ``names-published`` hooks.

Stored forms, one entry per line, sorted, no duplicates: categories ``Name`` or
``Name|sort key``; aliases ``Name``.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.text import slugify

from apps.web import hooks
from apps.web.usertext import line_problem

from .models import Article, Redirect, RedirectKind, Revision
from .slots import NAMES_CHECK

MAX_CATEGORIES = 30
MAX_ALIASES = 20
NAME_LENGTH = 100
TITLE_LENGTH = 200
# Characters a category name may not hold: the separators and wiki markup.
_NOT_IN_NAMES = re.compile(r"[\[\]{}<>#|\n\r\t]")
_CATEGORY_PREFIX = re.compile(r"^\s*category\s*:\s*", re.IGNORECASE)
# Slugs the wiki's own addresses take (/wiki/new/).
RESERVED_SLUGS = {"new"}


def _spaced(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True, order=True)
class CategoryEntry:
    name: str
    sort_key: str = ""

    @property
    def slug(self) -> str:
        return slugify(self.name)[:NAME_LENGTH]

    def __str__(self) -> str:
        return f"{self.name}|{self.sort_key}" if self.sort_key else self.name


def parse_categories(text: str) -> list[CategoryEntry]:
    """Category names as a fan types them: one per line or separated by commas, each
    optionally with ``|sort key``, ``Category:`` in front ignored. Refuses what cannot be
    a name (ValidationError on "categories"); the same name twice counts once."""
    entries: dict[str, CategoryEntry] = {}
    problems = []
    for raw in re.split(r"[,\n]", text or ""):
        name, _, sort_key = raw.partition("|")
        name, sort_key = _spaced(_CATEGORY_PREFIX.sub("", name)), _spaced(sort_key)
        if not name:
            continue
        if _NOT_IN_NAMES.search(name) or _NOT_IN_NAMES.search(sort_key):
            problems.append(
                f"“{name}” has a character category names cannot hold ([ ] {{ }} < > #)."
            )
        elif len(name) > NAME_LENGTH or len(sort_key) > NAME_LENGTH:
            problems.append(f"“{name[:40]}…” is too long: at most {NAME_LENGTH} characters.")
        elif not slugify(name):
            problems.append(f"“{name}” needs at least one letter or digit.")
        else:
            entry = CategoryEntry(name[0].upper() + name[1:], sort_key)
            entries.setdefault(entry.slug, entry)
    if len(entries) > MAX_CATEGORIES:
        problems.append(f"At most {MAX_CATEGORIES} categories per article.")
    if problems:
        raise ValidationError({"categories": problems})
    return sorted(entries.values(), key=lambda entry: entry.slug)


def parse_aliases(text: str, *, title: str = "") -> list[str]:
    """Other names, one per line; the title itself and repeats are dropped."""
    names: dict[str, str] = {}
    problems = []
    own = slugify(title)
    for raw in (text or "").splitlines():
        name = _spaced(raw)
        if not name:
            continue
        slug = slugify(name)[:TITLE_LENGTH]
        if len(name) > TITLE_LENGTH:
            problems.append(f"“{name[:40]}…” is too long: at most {TITLE_LENGTH} characters.")
        elif not slug:
            problems.append(f"“{name}” needs at least one letter or digit.")
        elif slug in RESERVED_SLUGS:
            problems.append(f"“{name}” is reserved by the wiki.")
        elif slug != own:
            names.setdefault(slug, name)
    if len(names) > MAX_ALIASES:
        problems.append(f"At most {MAX_ALIASES} other names per article.")
    if problems:
        raise ValidationError({"aliases": problems})
    return [names[slug] for slug in sorted(names)]


def clean_title(title: str) -> tuple[str, str]:
    """A title as stored, and its slug; refuses one that cannot be an address."""
    if problem := line_problem(title or "", what="title"):
        raise ValidationError({"title": problem})
    title = _spaced(title or "")
    slug = slugify(title)[:TITLE_LENGTH]
    if not slug:
        raise ValidationError({"title": "The title needs at least one letter or digit."})
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            {"title": f"“{title}” is reserved by the wiki; choose a longer title."}
        )
    return title, slug


@dataclass(frozen=True)
class Names:
    """The title, categories and other names one version gives its article."""

    title: str
    categories: tuple[CategoryEntry, ...] = ()
    aliases: tuple[str, ...] = ()

    @classmethod
    def of(cls, revision: Revision) -> "Names":
        return cls(
            title=revision.title,
            categories=tuple(parse_categories(revision.categories)),
            aliases=tuple(line for line in revision.aliases.splitlines() if line.strip()),
        )

    @classmethod
    def typed(cls, *, title: str, categories: str, aliases: str) -> "Names":
        """From what a fan typed (ValidationError naming the field when it cannot be)."""
        errors: dict[str, list[str]] = {}
        names: dict[str, object] = {}
        for field, parse in (
            ("title", lambda: clean_title(title)[0]),
            ("categories", lambda: tuple(parse_categories(categories))),
            ("aliases", lambda: tuple(parse_aliases(aliases, title=title))),
        ):
            try:
                names[field] = parse()
            except ValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)
        return cls(**names)  # type: ignore[arg-type]

    @property
    def stored(self) -> dict[str, str]:
        """The revision fields that hold them."""
        return {
            "title": self.title,
            "categories": "\n".join(str(entry) for entry in self.categories),
            "aliases": "\n".join(self.aliases),
        }

    @property
    def category_text(self) -> str:
        """For the editor's field."""
        return self.stored["categories"]

    def changes_from(self, before: "Names | None") -> list[tuple[str, str]]:
        """What differs from ``before`` (None: a new article), as (what, how) in words."""
        if before is None:
            rows = []
            if self.categories:
                rows.append(("Categories", ", ".join(e.name for e in self.categories)))
            if self.aliases:
                rows.append(("Other names", ", ".join(self.aliases)))
            return rows
        rows = []
        if before.title != self.title:
            rows.append(("Title", f"“{before.title}” → “{self.title}”"))
        rows += _list_changes("Categories", _category_labels(before), _category_labels(self))
        rows += _list_changes("Other names", list(before.aliases), list(self.aliases))
        return rows


def _category_labels(names: Names) -> list[str]:
    return [
        f"{e.name} (sorted as “{e.sort_key}”)" if e.sort_key else e.name for e in names.categories
    ]


def _list_changes(what: str, before: list[str], after: list[str]) -> list[tuple[str, str]]:
    added = [name for name in after if name not in before]
    removed = [name for name in before if name not in after]
    parts = []
    if added:
        parts.append("added " + ", ".join(added))
    if removed:
        parts.append("removed " + ", ".join(removed))
    return [(what, "; ".join(parts))] if parts else []


def changes(revision: Revision) -> list[tuple[str, str]]:
    """What a version changes of its article's names, against the version it was written on
    (its ``base``, which the caller loads with it)."""
    base = revision.base
    return Names.of(revision).changes_from(Names.of(base) if base is not None else None)


def merge_names(base: Names, current: Names, proposal: Names) -> tuple[Names, list[str]]:
    """A proposal's changes of names carried onto newer ones (a three-way merge): each
    category and other name the proposal added or removed, added or removed; its title if
    it changed it. Returns the merge and its conflicts (a title changed both ways)."""
    problems = []
    title = current.title
    if proposal.title != base.title:
        if current.title not in (base.title, proposal.title):
            problems.append(
                f"the article was renamed “{current.title}” meanwhile; the proposal renames it "
                f"“{proposal.title}”"
            )
        title = proposal.title

    def merged(before: Iterable, now: Iterable, wanted: Iterable, key) -> list:
        before_by_key = {key(item): item for item in before}
        wanted_by_key = {key(item): item for item in wanted}
        result = {key(item): item for item in now}
        for item_key, item in wanted_by_key.items():
            if before_by_key.get(item_key) != item:  # added, or its sort key changed
                result[item_key] = item
        for item_key in before_by_key.keys() - wanted_by_key.keys():  # removed
            result.pop(item_key, None)
        return [result[k] for k in sorted(result)]

    categories = merged(base.categories, current.categories, proposal.categories, lambda e: e.slug)
    aliases = merged(base.aliases, current.aliases, proposal.aliases, slugify)
    return Names(title=title, categories=tuple(categories), aliases=tuple(aliases)), problems


def check_names(*, article: Article, names: Names) -> None:
    """Refuse names that cannot be given to ``article``: a title or other name whose address
    another article uses, and whatever the apps that keep categories refuse (a loop). The
    messages name no other article: it may be unpublished, or after the reader's point."""
    errors: dict[str, list[str]] = {}
    _title, slug = clean_title(names.title)
    if Article.objects.filter(slug=slug).exclude(pk=article.pk).exists():
        errors["title"] = ["Another article already has that title: choose another one."]
    alias_slugs = {slugify(alias)[:TITLE_LENGTH]: alias for alias in names.aliases}
    for other in (
        Article.objects.filter(slug__in=alias_slugs).exclude(pk=article.pk).values_list("slug")
    ):
        errors.setdefault("aliases", []).append(
            f"“{alias_slugs[other[0]]}” is the title of another article."
        )
    for found in hooks.run(NAMES_CHECK, article=article, names=names):
        for field, messages in (found or {}).items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _claimed(names: Names, before: Names | None) -> set[str]:
    """The addresses a version claims anew: its title's when it renames (or is the first),
    and each other name the version before did not have."""
    claimed = set()
    if before is None or slugify(before.title) != slugify(names.title):
        claimed.add(slugify(names.title)[:TITLE_LENGTH])
    had = {slugify(alias) for alias in (before.aliases if before is not None else ())}
    claimed |= {slugify(alias)[:TITLE_LENGTH] for alias in names.aliases} - had
    return claimed


def taken_over(*, article: Article, names: Names, before: Names | None) -> list[Redirect]:
    """The redirects to other articles that these names would take over (a title or other
    name that now leads elsewhere, which the version ``before`` did not have): only a
    moderator's approval may do that. A name the article kept while a moderator gave it to
    another article is not taken back: it is dropped (apply_names)."""
    return list(
        Redirect.objects.filter(slug__in=_claimed(names, before))
        .exclude(article=article)
        .select_related("article")
    )


TAKE_OVER = "“{title}” leads to another article: only a moderator can give the name to this one."


def _lock_addresses(slugs: set[str]) -> None:
    """Serialise the transactions that give out these addresses (PostgreSQL: one advisory
    lock each, held to the end of the transaction), so that a title and another article's
    other name cannot both take one address at once. SQLite serialises every write."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for slug in sorted(slugs):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"wiki-address:{slug}"])


def apply_names(
    *, article: Article, revision: Revision, before: Names | None, may_take_over: bool
) -> list[str]:
    """Give ``article`` (locked by the caller) the title and other names ``revision``
    carries (``before``: those of the version readers saw until now): its slug follows the
    title, the address it leaves becomes a redirect to it, its other names become
    redirects, and names it no longer has stop leading to it (a former title given up as
    another name leads to it again, as a former title). Works out the article's redirects
    as they should be, then writes the difference. Returns the fields of the article that
    changed (for its save)."""
    names = Names.of(revision)
    title, slug = clean_title(names.title)
    aliases = {slugify(alias)[:TITLE_LENGTH]: alias for alias in names.aliases}
    _lock_addresses({slug, *aliases})
    check_names(article=article, names=names)
    claimed = _claimed(names, before)
    elsewhere = {
        r.slug: r
        for r in Redirect.objects.filter(slug__in=[slug, *aliases])
        .exclude(article=article)
        .select_related("article")
    }
    takes = [elsewhere[address] for address in sorted(claimed & elsewhere.keys())]
    if takes and not may_take_over:
        raise ValidationError(TAKE_OVER.format(title=takes[0].title))
    # A name kept from before that a moderator has since given to another article stays there.
    aliases = {a: alias for a, alias in aliases.items() if a in claimed or a not in elsewhere}

    mine = {r.slug: r for r in Redirect.objects.filter(article=article)}
    wanted: dict[str, tuple[str, str]] = {}  # slug -> (kind, title)
    for redirect in mine.values():  # former titles stay; other names stay only if still given
        if redirect.kind == RedirectKind.MOVED:
            wanted[redirect.slug] = (RedirectKind.MOVED, redirect.title)
    former = _former_titles(
        article,
        {a for a, r in mine.items() if r.kind == RedirectKind.ALIAS and a not in aliases},
    )
    wanted |= {a: (RedirectKind.MOVED, t) for a, t in former.items()}
    if slug != article.slug and article.is_published:
        wanted[article.slug] = (RedirectKind.MOVED, article.title)
    wanted |= {a: (RedirectKind.ALIAS, alias) for a, alias in aliases.items()}
    wanted.pop(slug, None)  # its own address is no redirect

    changed = [
        field
        for field, value in (("title", title), ("slug", slug))
        if getattr(article, field) != value
    ]
    article.title, article.slug = title, slug
    Redirect.objects.filter(pk__in=[r.pk for r in takes]).delete()
    Redirect.objects.filter(article=article).exclude(slug__in=wanted).delete()
    for address, (kind, shown) in wanted.items():
        kept = mine.get(address)
        if kept is None:
            Redirect.objects.create(slug=address, title=shown, article=article, kind=kind)
        elif (kept.kind, kept.title) != (kind, shown):
            kept.kind, kept.title = kind, shown
            kept.save(update_fields=["kind", "title"])
    return changed


def _former_titles(article: Article, slugs: set[str]) -> dict[str, str]:
    """Of these addresses, those a published version of the article had as its title."""
    if not slugs:
        return {}
    titles = article.revisions.approved().values_list("title", flat=True).distinct()
    return {slugify(t)[:TITLE_LENGTH]: t for t in titles if slugify(t)[:TITLE_LENGTH] in slugs}
