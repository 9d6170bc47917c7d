"""Categories: what fans file articles under, kept from the versions readers see.

A version of an article carries its category names (``Revision.categories``, in wiki);
when it is published, :func:`apps.categories.services.file_article` makes the
:class:`Membership` rows say the same. Nothing here is edited by hand except a merge
of two categories (the admin), so the rows are always what approved text says.

A category's description, and its parents, are an article titled ``Category:Name``:
written, reviewed, kept in history and reverted like any article. Its text is the
description; the categories it is filed under are the category's parents.
"""

from django.db import models
from django.urls import reverse

from apps.wiki.models import Article


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    page = models.OneToOneField(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="described_category",
        help_text="The article “Category:Name” whose text describes it and whose categories "
        "are its parents.",
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        help_text="Merged into that category: its address leads there, its name files there.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="category_not_merged_into_self",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("categories:category", kwargs={"slug": self.slug})

    @property
    def page_title(self) -> str:
        """The title of the article that describes it."""
        return f"Category:{self.name}"


class Membership(models.Model):
    """An article filed under a category by the version readers see."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="memberships")
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="category_memberships"
    )
    sort_key = models.CharField(
        max_length=200,
        help_text="Where it sorts in the category: its title unless the "
        "version says otherwise (“Name|sort key”), lower-cased.",
    )

    class Meta:
        ordering = ["sort_key", "article_id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "article"], name="membership_once"),
        ]
        indexes = [
            models.Index(fields=["category", "sort_key", "article"], name="membership_sorted"),
        ]

    def __str__(self) -> str:
        return f"{self.article} in {self.category}"
