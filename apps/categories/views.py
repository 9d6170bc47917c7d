"""Category pages: every category, one category's articles, subcategories and parents,
the categories the wiki keeps itself, and the names the editor suggests."""

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from apps.web.pagecache import cached_for_readers, paged
from apps.web.params import text_param

from .maintenance import MAINTENANCE
from .models import Category, Membership

PAGE_SIZE = 100
INDEX_PAGE_SIZE = 200
SUGGESTIONS = 10


def _published_members():
    return Membership.objects.filter(
        article__approved_revision__isnull=False,
        # A description page is a subcategory, listed as one.
        article__described_category__isnull=True,
    )


@require_safe
@cached_for_readers(query=("page",))
def category_index(request: HttpRequest) -> HttpResponse:
    categories = (
        Category.objects.filter(merged_into__isnull=True)
        .annotate(
            articles=Count(
                "memberships",
                filter=Q(
                    memberships__article__approved_revision__isnull=False,
                    memberships__article__described_category__isnull=True,
                ),
            )
        )
        .order_by("name", "pk")
    )
    page = paged(request, categories, INDEX_PAGE_SIZE)
    return render(
        request,
        "categories/index.html",
        {"page": page, "maintenance": list(MAINTENANCE.values())},
    )


@require_safe
@cached_for_readers(query=("page",))
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(
        Category.objects.select_related(
            "page__approved_revision", "page__episode__season__show", "merged_into"
        ),
        slug=slug,
    )
    if category.merged_into is not None:
        target = category.merged_into.get_absolute_url()
        query = request.META.get("QUERY_STRING", "")
        return redirect(f"{target}?{query}" if query else target, permanent=True)
    members = (
        _published_members()
        .filter(category=category)
        .select_related("article__episode__season__show")
        .defer("article__search_document")
        .order_by("sort_key", "article_id")
    )
    page = paged(request, members, PAGE_SIZE)
    subcategories = list(
        Category.objects.filter(
            page__category_memberships__category=category,
            page__approved_revision__isnull=False,
            merged_into__isnull=True,
        ).order_by("name")
    )
    description = category.page if category.page and category.page.is_published else None
    parents = (
        list(Category.objects.filter(memberships__article=description).order_by("name"))
        if description is not None
        else []
    )
    return render(
        request,
        "categories/category.html",
        {
            "category": category,
            "page": page,
            "subcategories": subcategories,
            "parents": parents,
            "description": description,
        },
    )


@require_safe
@cached_for_readers(query=("page",))
def maintenance_detail(request: HttpRequest, key: str) -> HttpResponse:
    maintenance = MAINTENANCE.get(key)
    if maintenance is None:
        raise Http404("No such maintenance category.")
    page = paged(request, maintenance.articles(), PAGE_SIZE)
    return render(
        request, "categories/maintenance.html", {"maintenance": maintenance, "page": page}
    )


@require_safe
def suggest(request: HttpRequest) -> JsonResponse:
    """Category names starting with (then containing) what is typed, for the editor."""
    typed = " ".join(text_param(request, "q").split())[:100]
    if not typed:
        return JsonResponse({"names": []})
    kept = Category.objects.filter(merged_into__isnull=True)
    names = list(
        kept.filter(name__istartswith=typed)
        .order_by("name")
        .values_list("name", flat=True)[:SUGGESTIONS]
    )
    if len(names) < SUGGESTIONS:
        names += list(
            kept.filter(name__icontains=typed)
            .exclude(name__istartswith=typed)
            .order_by("name")
            .values_list("name", flat=True)[: SUGGESTIONS - len(names)]
        )
    return JsonResponse({"names": names})
