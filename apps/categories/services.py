"""Filing articles under categories, as the versions readers see say; the one check that
keeps categories from containing themselves; merging two categories."""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from apps.accounts.models import User
from apps.web.pagecache import pages_changed
from apps.wiki.models import Article, Revision
from apps.wiki.naming import CategoryEntry, Names
from apps.wiki.permissions import can_moderate

from .models import Category, Membership

_DESCRIPTION_TITLE = re.compile(r"^\s*category\s*:\s*(.+)$", re.IGNORECASE)
# Category addresses the category pages' own addresses take (/categories/suggest/).
RESERVED_SLUGS = {"suggest", "maintenance"}
# How far up the parents a cycle is looked for: deeper trees than this are not refused.
MAX_DEPTH = 50


def described_name(title: str) -> str | None:
    """The category an article describes, from its title ("Category:Name"), or None; its
    first letter upper-cased, as the categories field names it (naming.parse_categories)."""
    match = _DESCRIPTION_TITLE.match(title)
    if not match:
        return None
    name = " ".join(match[1].split())
    return name[0].upper() + name[1:] if name else None


def _kept(category: Category) -> Category:
    """The category a name files under: itself, or the one it was merged into."""
    seen = {category.pk}
    while category.merged_into_id is not None and category.merged_into_id not in seen:
        seen.add(category.merged_into_id)
        category = Category.objects.get(pk=category.merged_into_id)
    return category


def categories_named(entries: Iterable[CategoryEntry], *, create: bool) -> dict[str, Category]:
    """Slug -> the category each entry files under (created when ``create``)."""
    entries = list(entries)
    found = {c.slug: c for c in Category.objects.filter(slug__in=[e.slug for e in entries])}
    result = {}
    for entry in entries:
        category = found.get(entry.slug)
        if category is None:
            if not create:
                continue
            # Two versions naming one new category at once: the second finds the first's.
            category, _created = Category.objects.get_or_create(
                slug=entry.slug, defaults={"name": entry.name}
            )
        result[entry.slug] = _kept(category) if category.merged_into_id else category
    return result


def file_article(*, article: Article, revision: Revision, names: Names) -> None:
    """Make the article's memberships what the published version says (in its transaction);
    an article titled "Category:Name" becomes that category's description page."""
    categories = categories_named(names.categories, create=True)
    wanted = {
        categories[entry.slug].pk: (entry.sort_key or names.title).casefold()[:200]
        for entry in names.categories
    }
    Membership.objects.filter(article=article).exclude(category_id__in=wanted).delete()
    present = dict(
        Membership.objects.filter(article=article).values_list("category_id", "sort_key")
    )
    Membership.objects.bulk_create(
        Membership(category_id=category_id, article=article, sort_key=sort_key)
        for category_id, sort_key in wanted.items()
        if category_id not in present
    )
    for category_id, sort_key in wanted.items():  # a sort key changed (rare): one row each
        if category_id in present and present[category_id] != sort_key:
            Membership.objects.filter(category_id=category_id, article=article).update(
                sort_key=sort_key
            )
    _describe(article, names.title)


def _describe(article: Article, title: str) -> None:
    """Link the category an article titled "Category:Name" describes (created if new); a
    description page moved to another title stops describing its old category."""
    name = described_name(title)
    slug = slugify(name or "")[:100]
    described = None
    if name is not None and slug:
        named, _created = Category.objects.get_or_create(slug=slug, defaults={"name": name[:100]})
        # A category merged after its page was written stays the one the page describes
        # (giving the page to the kept one too would break the one-page-per-category rule).
        described = named if named.page_id == article.pk else _kept(named)
    others = Category.objects.filter(page=article)
    if described is not None:
        others = others.exclude(pk=described.pk)
    others.update(page=None)
    if described is not None and described.page_id is None:
        described.page = article
        described.save(update_fields=["page"])


def parents_of(categories: Iterable[Category]) -> dict[int, set[int]]:
    """Category id -> the ids of the categories its description page is filed under."""
    pages = {c.page_id: c.pk for c in categories if c.page_id is not None}
    parents: dict[int, set[int]] = {}
    for article_id, parent_id in Membership.objects.filter(article_id__in=pages).values_list(
        "article_id", "category_id"
    ):
        parents.setdefault(pages[article_id], set()).add(parent_id)
    return parents


def path_up(start: Category, target: Category) -> list[Category] | None:
    """The chain of parents from ``start`` up to ``target`` (both included), or None."""
    came_from: dict[int, int | None] = {start.pk: None}
    level = [start]
    for _depth in range(MAX_DEPTH):
        if target.pk in came_from:
            break
        ups = parents_of(level)
        next_ids = {p for parent_ids in ups.values() for p in parent_ids} - came_from.keys()
        if not next_ids:
            break
        for child_id, parent_ids in ups.items():
            for parent_id in parent_ids:
                came_from.setdefault(parent_id, child_id)
        level = list(Category.objects.filter(pk__in=next_ids))
    if target.pk not in came_from:
        return None
    chain_ids: list[int] = []
    node: int | None = target.pk
    while node is not None:
        chain_ids.append(node)
        node = came_from[node]
    by_id = Category.objects.in_bulk(chain_ids)
    return [by_id[pk] for pk in reversed(chain_ids)]


def refusals(*, article: Article, names: Names) -> dict[str, list[str]] | None:
    """What the categories of a proposal cannot be: a category inside itself, directly or
    through its subcategories (the article describes a category, and one of the categories
    it files it under is that category or one inside it)."""
    reserved = [e.name for e in names.categories if e.slug in RESERVED_SLUGS]
    if reserved:
        return {"categories": [f"“{reserved[0]}” is reserved by the wiki: choose another name."]}
    name = described_name(names.title)
    if name is not None and article.episode_id is not None:
        # A category gathers articles; its page is about no single episode (and its name,
        # shown on every list of categories, must never be a spoiler).
        return {
            "episode": [
                "A category's description is about no single episode: leave the episode empty."
            ]
        }
    if name is not None and CategoryEntry(name).slug in RESERVED_SLUGS:
        return {"title": [f"“{name}” is reserved by the wiki: choose another name."]}
    if name is None or not names.categories:
        return None
    own_slug = CategoryEntry(name).slug
    # One lookup for the category and all its would-be parents.
    found = categories_named([CategoryEntry(name), *names.categories], create=False)
    own = found.get(own_slug)
    problems = []
    for entry in names.categories:
        parent = found.get(entry.slug)
        if entry.slug == own_slug or (parent is not None and parent == own):
            problems.append(f"The category “{name}” cannot be filed under itself.")
            continue
        chain = path_up(parent, own) if parent is not None and own is not None else None
        if chain is not None:
            loop = " › ".join(c.name for c in chain)
            problems.append(
                f"“{entry.name}” is already inside “{name}” ({loop}): filing “{name}” under it "
                "would make a loop."
            )
    return {"categories": problems} if problems else None


def category_merge(*, merged: Category, into: Category, moderator: User) -> int:
    """Merge ``merged`` into ``into``: every article filed under it is filed under ``into``
    (kept once), and its name and address lead there from now on. Returns how many articles
    moved. Refused for a category into itself or into one already merged elsewhere."""
    if not can_moderate(moderator):
        raise ValidationError("Only moderators can merge categories.")
    with transaction.atomic():
        merged, into = (
            Category.objects.select_for_update().get(pk=merged.pk),
            Category.objects.select_for_update().get(pk=into.pk),
        )
        if merged.pk == into.pk:
            raise ValidationError("Choose two different categories.")
        if into.merged_into_id is not None:
            raise ValidationError(f"“{into.name}” was itself merged: merge into the one kept.")
        if merged.merged_into_id is not None:
            raise ValidationError(f"“{merged.name}” was merged already.")
        if path_up(into, merged) is not None:
            raise ValidationError(
                f"“{into.name}” is inside “{merged.name}”: merging would make a loop."
            )
        already = set(into.memberships.values_list("article_id", flat=True))
        moving = merged.memberships.exclude(article_id__in=already)
        count = moving.update(category=into)
        merged.memberships.all().delete()
        Category.objects.filter(merged_into=merged).update(merged_into=into)
        merged.merged_into = into
        merged.save(update_fields=["merged_into"])
        pages_changed()
    return count
