"""Search over the text readers see: published articles and their approved revisions.

One entry point, :func:`search_articles`. On PostgreSQL it is the database's
full-text search (English stemming, web-search syntax: ``"a phrase"``, ``or``,
``-word``) over a document stored on each article when a revision is published
(:func:`refresh_search_documents`), ranked with title words above text words. On
SQLite (the embedded default) it is SQLite's own full-text index, FTS5 (the
table ``wiki_article_search``, migration 0023), kept by the same function: every
word of the query must begin a word of the title, the other names or the text
(Porter-stemmed: "kisses" finds "kiss"), ranked by BM25 with names above text.
On both, a word in most of the wiki ranks a bounded set (``RANK_WINDOW``).

Snippets are plain text split into ``(text, is_match)`` segments, never HTML:
templates escape every segment and wrap the matches in ``<mark>``.
"""

import json
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Expression,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
)

from apps.markup import plain_text

from .models import Article, Revision

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
TITLE_WEIGHT = 3
RANK_WINDOW = 1000  # matching articles ranked, besides those whose names match
EVERY_ROWID = 2**62  # the bound when fewer than RANK_WINDOW match (SQLite)
SNIPPET_LENGTH = 240
SNIPPET_LEAD = 70  # characters of context before the first match
CONFIG = "english"
TEXTS = ("approved_revision__aliases", "approved_revision__body")
# SQLite's index's tokenizer (wiki migration 0023 makes the index with it).
TOKENIZER = "'porter unicode61 remove_diacritics 2'"

Segment = tuple[str, bool]

_WORD = re.compile(r"[^\W_]+")
# The lexemes of PostgreSQL's querytree() output, and the "!" and parentheses that negate them.
_TREE_TOKEN = re.compile(r"!|\(|\)|'((?:[^']|'')*)'")


@dataclass(frozen=True)
class SearchResult:
    article: Article
    rank: float
    title: list[Segment]
    snippet: list[Segment]
    # The other name the query matched, when the title did not (segments, as the title).
    alias: list[Segment] | None = None


def search_articles(query: str, *, limit: int = 50, offset: int = 0) -> list[SearchResult]:
    """Published articles whose title or approved text match ``query``, best first.

    ``offset`` skips that many of the best (pages of results). Articles come with
    their approved revision and episode, season and show selected. Only approved
    text is searched: proposals never match.
    """
    query = query.replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    if not query or limit < 1 or offset < 0:
        return []
    if connection.vendor == "postgresql":
        return _search_postgresql(query, limit, offset)
    return _search_sqlite(query, limit, offset)


def _query_words(query: str) -> list[str]:
    """The distinct words of a query, lower-cased, at least two characters, at most eight."""
    words = dict.fromkeys(w.lower() for w in _WORD.findall(query) if len(w) > 1)
    return list(words)[:MAX_WORDS]


def _articles():
    return (
        Article.objects.published()
        .with_episode()
        .select_related("approved_revision")
        .defer("approved_revision__rendered_html")
    )


def document() -> Expression:
    """What an article's stored search document is: its title and other names (A) and its
    approved text (B)."""
    approved = Revision.objects.filter(pk=OuterRef("approved_revision_id"))
    body = Subquery(approved.values("body"))
    aliases = Subquery(approved.values("aliases"))
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector(aliases, weight="A", config=CONFIG)
        + SearchVector(body, weight="B", config=CONFIG)
    )


def refresh_search_documents(article_ids: Iterable[int] | None = None) -> int:
    """Store the search document of these published articles (all, with None).

    Called in the transaction that publishes a revision, so search never lags
    behind the text readers see. On SQLite it rewrites their rows of the FTS5 index.
    """
    if connection.vendor == "sqlite":
        return _refresh_sqlite_index(article_ids)
    articles = Article.objects.published()
    if article_ids is not None:
        articles = articles.filter(pk__in=list(article_ids))
    return articles.update(search_document=document())


def title_vector() -> SearchVector:
    """An article's title as a search vector: the expression the title index (0012) holds."""
    return SearchVector("title", config=CONFIG)


def _search_postgresql(text: str, limit: int, offset: int) -> list[SearchResult]:
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    # One stored, GIN-indexed document per published article: matching reads no
    # revision body. Ranking reads the document of every row it ranks, so it ranks
    # a bounded set: the articles whose title matches, and the first RANK_WINDOW
    # others (by id) that match. A word in fewer articles than that is ranked
    # exactly; a word in most of the wiki costs the same as one in RANK_WINDOW.
    published = Article.objects.published()
    window = published.filter(search_document=query).order_by("pk").values("pk")[:RANK_WINDOW]
    titled = (
        published.annotate(title_vector=title_vector())
        .filter(title_vector=query)
        .order_by("pk")
        .values("pk")[:RANK_WINDOW]
    )
    ranked = list(
        Article.objects.filter(Q(pk__in=window) | Q(pk__in=titled))
        .annotate(
            rank=SearchRank(F("search_document"), query),
            query_tree=Func(query, function="querytree", output_field=TextField()),
        )
        .order_by("-rank", "title", "pk")
        .values_list("pk", "rank", "query_tree")[offset : offset + limit]
    )
    # Then the page's rows, by primary key, without the documents the sort carried.
    found = (
        _articles()
        .defer("search_document", "approved_revision__body")
        .in_bulk([pk for pk, _rank, _tree in ranked])
    )
    articles = []
    for pk, rank, _tree in ranked:
        article = found[pk]
        article.rank = rank
        articles.append(article)
    if not articles:
        return []
    texts = _plain_texts([article.approved_revision for article in articles])
    lexemes = _positive_lexemes(ranked[0][2])
    names = [article.title for article in articles] + [
        article.approved_revision.aliases for article in articles
    ]
    matching = _words_stemming_to(lexemes, names + texts)
    return _results(articles, texts, _marker(matching))


# The number moves on if plain_text() changes. A revision's id and its time name it even
# across a restored backup, where an id may come back for another text.
PLAIN_TEXT_KEY = "search:plain:1:{}:{}"
PLAIN_TEXT_SECONDS = 86_400


def plain_text_key(revision: Revision) -> str:
    return PLAIN_TEXT_KEY.format(revision.pk, int(revision.created_at.timestamp() * 1_000_000))


def _plain_texts(revisions: list[Revision]) -> list[str]:
    """Each revision's text as plain text, for snippets: from the shared cache (a revision
    never changes), made and kept for the ones missing. Loading 50 bodies and running
    plain_text() over them was a third of a common word's search."""
    revision_ids = [revision.pk for revision in revisions]
    keys = {revision.pk: plain_text_key(revision) for revision in revisions}
    kept = cache.get_many(list(keys.values()))
    texts = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = [pk for pk in revision_ids if pk not in texts]
    if missing:
        made = {
            pk: plain_text(body)
            for pk, body in Revision.objects.filter(pk__in=missing).values_list("pk", "body")
        }
        texts.update(made)
        cache.set_many({keys[pk]: text for pk, text in made.items()}, PLAIN_TEXT_SECONDS)
    return [texts.get(pk, "") for pk in revision_ids]


def _positive_lexemes(tree: str) -> set[str]:
    """The lexemes of a querytree() that a match contains (not those after a "!")."""
    lexemes, negated, pending = set(), [False], False
    for token in _TREE_TOKEN.finditer(tree or ""):
        if token[0] == "!":
            pending = not pending
        elif token[0] == "(":
            negated.append(negated[-1] != pending)
            pending = False
        elif token[0] == ")":
            if len(negated) > 1:
                negated.pop()
        else:
            if negated[-1] == pending:
                lexemes.add(token[1].replace("''", "'"))
            pending = False
    return lexemes


def _words_stemming_to(lexemes: set[str], texts: list[str]) -> set[str]:
    """The words of ``texts`` (lower-cased) that PostgreSQL stems to one of ``lexemes``.

    One query, whatever the number of results. Only candidates are sent: words
    that start like a lexeme ("kisses" for "kiss"), as English stemming only
    rewrites endings and its few irregular stems ("dying" → "die") are short.
    """
    # The distinct words that begin with a lexeme's first letter first (the regex engine
    # and set() do that in C), then the test.
    distinct = set(_starting_with({lexeme[:1] for lexeme in lexemes}).findall(
        "\n".join(texts).lower()
    ))  # fmt: skip
    candidates = {word for word in distinct if _may_stem(word, lexemes)}
    if not candidates:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM unnest(%s::text[]) AS word "
            "WHERE tsvector_to_array(to_tsvector(%s::regconfig, word)) && %s::text[]",
            [sorted(candidates), CONFIG, sorted(lexemes)],
        )
        return {word for (word,) in cursor.fetchall()}


def _starting_with(beginnings: set[str]) -> re.Pattern[str]:
    """The words (of a lower-cased text) that begin with one of ``beginnings``.

    The beginnings come first in the pattern, a literal the regex engine looks for
    quickly; then the look-behind checks that no letter precedes them. The other way
    round, the engine tried the look-behind at every position of the text.
    """
    return re.compile(
        "(?:"
        + "|".join(
            re.escape(beginning) + r"(?<![^\W_]" + "." * len(beginning) + ")"
            for beginning in sorted(beginnings, key=len, reverse=True)
            if beginning
        )
        + r")[^\W_]*"
    )


def _may_stem(word: str, lexemes: set[str]) -> bool:
    return any(
        word[:1] == lexeme[:1] and (word.startswith(lexeme[:-1]) or len(word) <= 6)
        for lexeme in lexemes
    )


def _refresh_sqlite_index(article_ids: Iterable[int] | None) -> int:
    articles = Article.objects.published()
    with connection.cursor() as cursor:
        if article_ids is None:
            cursor.execute("DELETE FROM wiki_article_search")
        else:
            ids = list(article_ids)
            articles = articles.filter(pk__in=ids)
            cursor.executemany(
                "DELETE FROM wiki_article_search WHERE rowid = %s", [(pk,) for pk in ids]
            )
        rows = [
            (pk, title, aliases, plain_text(body))
            for pk, title, aliases, body in articles.values_list("pk", "title", *TEXTS)
        ]
        cursor.executemany(
            "INSERT INTO wiki_article_search (rowid, title, aliases, body) VALUES (%s, %s, %s, %s)",
            rows,
        )
    return len(rows)


_stemming = threading.local()


def _sqlite_matching(words: list[str], texts: list[str]) -> set[str]:
    """The words of ``texts`` (lower-cased) that a query word matches as the index matches
    it: a word whose Porter stem begins with the query word's ("kissed" for "kissing").

    Asked of a small FTS5 table in memory, with the index's tokenizer, holding only the
    candidates (the words that begin with a query word's first two letters): stemming
    only rewrites endings. FTS5's highlight() on the page's rows said the same, but
    tokenised every text again: 28 ms for 50 results, this a few.
    """
    # The regex engine picks the candidates out of the lower-cased texts, in C.
    starting = _starting_with({word[:2].lower() for word in words})
    candidates = list(set(starting.findall("\n".join(texts).lower())))
    if not candidates:
        return set()
    table = getattr(_stemming, "table", None)
    if table is None:
        table = _stemming.table = sqlite3.connect(":memory:")
        table.execute(f"CREATE VIRTUAL TABLE words USING fts5(word, tokenize = {TOKENIZER})")
    with table:
        table.execute("DELETE FROM words")
        table.executemany("INSERT INTO words (word) VALUES (?)", [(w,) for w in candidates])
        any_word = " OR ".join(f'"{word}"*' for word in words)
        matching = {word for (word,) in table.execute(
            "SELECT word FROM words WHERE words MATCH ?", (any_word,)
        )}  # fmt: skip
    return matching


def _search_sqlite(text: str, limit: int, offset: int) -> list[SearchResult]:
    words = _query_words(text)
    if not words:
        return []
    # Each word as a quoted prefix: FTS5 reads nothing in it as syntax.
    match = " ".join(f'"{word}"*' for word in words)
    with connection.cursor() as cursor:
        # As on PostgreSQL, a bounded set is ranked: the first RANK_WINDOW matches (by id)
        # and every article whose names match. The RANK_WINDOW-th match's id bounds it.
        cursor.execute(
            "SELECT rowid FROM wiki_article_search WHERE wiki_article_search MATCH %s "
            "ORDER BY rowid LIMIT 1 OFFSET %s",
            [match, RANK_WINDOW - 1],
        )
        last = cursor.fetchone()
        # BM25 with the names weighing TITLE_WEIGHT times the text.
        cursor.execute(
            "SELECT rowid, bm25(wiki_article_search, 3.0, 3.0, 1.0) AS score "
            "FROM wiki_article_search WHERE wiki_article_search MATCH %s AND (rowid <= %s "
            "OR rowid IN (SELECT rowid FROM wiki_article_search WHERE wiki_article_search "
            "MATCH %s)) ORDER BY score, rowid LIMIT %s OFFSET %s",
            [match, last[0] if last else EVERY_ROWID, f"{{title aliases}} : ({match})",
             limit, offset],
        )  # fmt: skip
        ranked = cursor.fetchall()
    # The page's rows; their text as plain text, from the index (no Markdown to parse).
    found = _articles().defer("approved_revision__body").in_bulk([pk for pk, _s in ranked])
    articles = []
    for pk, score in ranked:
        article = found.get(pk)
        if article is not None:  # unpublished since, or gone
            article.rank = -score  # BM25 is lower for a better match
            articles.append(article)
    if not articles:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, body FROM wiki_article_search "
            "WHERE rowid IN (SELECT value FROM json_each(%s))",
            [json.dumps([article.pk for article in articles])],
        )
        plain = dict(cursor.fetchall())
    texts = [plain.get(article.pk, "") for article in articles]
    names = [article.title for article in articles] + [
        article.approved_revision.aliases for article in articles
    ]
    matching = _sqlite_matching(words, names + texts)
    return _results(articles, texts, _marker(matching))


Spans = Callable[..., list[tuple[int, int]]]


def _marker(matching: set[str]) -> Spans:
    """Where the matching words are in a text: ``spans(text)``, every place; with
    ``window=True``, the first and those up to a snippet's length after it (a snippet
    shows no more, and a common word is in a text hundreds of times)."""
    # One pattern for the page's matching words: the regex engine finds them, instead
    # of a Python loop over every word of 50 texts.
    pattern = (
        re.compile(
            r"(?<![^\W_])(?:"
            + "|".join(map(re.escape, sorted(matching, key=len, reverse=True)))
            + r")(?![^\W_])",
            re.IGNORECASE,
        )
        if matching
        else None
    )
    longest = max(map(len, matching), default=0)

    def spans(text: str, window: bool = False) -> list[tuple[int, int]]:
        if pattern is None:
            return []
        if not window:
            return [m.span() for m in pattern.finditer(text)]
        first = pattern.search(text)
        if first is None:
            return []
        # Only as far as a match that starts inside the snippet can end (and one character
        # more, so that a word going on past the end is not taken for a whole one).
        limit = first.start() + SNIPPET_LENGTH
        rest = pattern.finditer(text, first.end(), limit + longest + 1)
        return [first.span(), *(m.span() for m in rest if m.start() < limit)]

    return spans


def _results(articles, texts, spans: Spans) -> list[SearchResult]:
    return [
        SearchResult(
            article=article,
            rank=float(article.rank or 0),
            title=_segments(article.title, spans(article.title)),
            snippet=_snippet(text, spans(text, window=True)),
            alias=_matched_alias(article, spans),
        )
        for article, text in zip(articles, texts, strict=True)
    ]


def _matched_alias(article, spans) -> list[Segment] | None:
    """The first other name of the article the query matches, when its title does not."""
    if spans(article.title):
        return None
    for alias in article.approved_revision.aliases.splitlines():
        found = spans(alias)
        if found:
            return _segments(alias, found)
    return None


def _snippet(text: str, spans: list[tuple[int, int]]) -> list[Segment]:
    """About SNIPPET_LENGTH characters around the first match (the start if none)."""
    start = 0
    if spans and spans[0][0] > SNIPPET_LEAD:
        first = spans[0][0]
        start = first - SNIPPET_LEAD
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        space = text.rfind(" ", spans[0][1] if spans else start, end)
        end = space if space > start else end
    inside = [
        (max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start
    ]
    segments = _segments(text[start:end], inside)
    if start > 0:
        segments.insert(0, ("…", False))
    if end < len(text):
        segments.append(("…", False))
    return _merged(segments)


def _segments(text: str, spans: list[tuple[int, int]]) -> list[Segment]:
    segments, position = [], 0
    for start, end in spans:
        if start < position:
            continue
        if start > position:
            segments.append((text[position:start], False))
        segments.append((text[start:end], True))
        position = end
    if position < len(text):
        segments.append((text[position:], False))
    return _merged(segments)


def _merged(segments: list[Segment]) -> list[Segment]:
    """Adjacent plain segments joined into one ("…" and the text after it)."""
    merged: list[Segment] = []
    for text, is_match in segments:
        if merged and not is_match and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + text, False)
        else:
            merged.append((text, is_match))
    return merged
