"""A revision's citations as write_revision stores them, and the render they come from."""

from collections.abc import Iterator
from dataclasses import dataclass

from apps.citations.kinds import clean_locator
from apps.citations.models import Source, SourceKind
from apps.markup import render_with_references
from apps.wiki.models import Revision

from .rows import Row

# The citation keys each family body uses (r1..r5, then the stale proposal), and which of
# the article's sources each names. Edits keep the rows they started from, as the form does.
KEYS = (
    {1: 0, 2: 1, 3: 2},
    {1: 0, 2: 1, 3: 2, 4: 3},
    {1: 0, 2: 1, 3: 2, 4: 3},
    {1: 0, 2: 1, 3: 2, 4: 3, 5: 4},
    {1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5},
    {1: 0, 2: 1, 3: 2, 4: 3, 5: 6},  # the stale proposal: its new key 5 is another source
)
QUOTES = (
    "We kept rolling because nobody wanted to stop.",
    "It was never in the script.",
    "The prop came from my own kitchen.",
    "",
)


@dataclass(frozen=True)
class Rendered:
    """A family body rendered once: its HTML and what its markers said."""

    html: str
    statements: tuple[tuple[str, str, tuple[int, ...], str], ...]  # kind, text, keys, anchor
    numbers: dict[int, int]
    uses: dict[int, int]


def render(body: str, sources_by_key: dict[int, int]) -> Rendered:
    """What write_revision gets from the renderer; a marker problem is a generator bug."""
    html, refs = render_with_references(body, sources_by_key)
    if refs.problems or refs.unknown_keys or refs.unused_keys():
        raise ValueError(f"bench.corpus wrote text with marker problems: {refs.problems}")
    statements = tuple((s.kind, s.text, s.keys, s.anchor) for s in refs.statements)
    return Rendered(html, statements, refs.numbers_by_key, dict(refs.uses_by_key))


def locator(kind: str, n: int) -> str:
    raw = {
        SourceKind.WEB: f"paragraph {n % 12 + 1}",
        SourceKind.BOOK: str(n % 300 + 1),
        SourceKind.PODCAST: f"{n % 60}:{n % 59:02d}",
        SourceKind.INTERVIEW: f"{n % 20:02d}:{n % 57:02d}",
        SourceKind.EPISODE: f"{n % 22}:{n % 53:02d}",
        SourceKind.DVD: f"disc {n % 3 + 1}, {n % 40}:{n % 51:02d}",
        SourceKind.SOCIAL: f"reply {n % 9 + 1}",
        SourceKind.PRESS: f"section {n % 4 + 1}",
    }[SourceKind(kind)]
    return clean_locator(kind, raw)  # what write_revision stores ("112" becomes "p. 112")


@dataclass(frozen=True)
class Cited:
    rows: list[Row]
    ids: dict[int, int]  # key -> citation id
    sources: dict[int, int]  # key -> source id
    numbers: dict[int, int]
    uses: dict[int, int]


def citation_rows(
    revision: Revision,
    keys: dict[int, int],
    sources: list[Source],
    rendered: Rendered,
    ids: Iterator[int],
) -> Cited:
    """One row per key, in key order (the order the edit form submits them)."""
    cited = Cited([], {}, {}, {}, {})
    for position, (key, slot) in enumerate(keys.items()):
        source, n = sources[slot], revision.article_id * 7 + slot
        number, uses = rendered.numbers.get(key, 0), rendered.uses.get(key, 0)
        citation_id = cited.ids[key] = next(ids)
        cited.sources[key] = source.pk
        cited.numbers[key], cited.uses[key] = number, uses
        cited.rows.append(
            (
                citation_id,
                revision.pk,
                source.pk,
                QUOTES[n % len(QUOTES)],
                locator(source.kind, n),
                position,
                key,
                number,
                uses,
            )
        )
    return cited


def verify(revision: Revision, cited: Cited, statements: list[tuple[str, str, str]]) -> None:
    """Render the filled body for real and compare: the build stores only what this gives."""
    html, refs = render_with_references(revision.body, cited.sources)
    same = (
        html == revision.rendered_html
        and [(s.kind, s.text, s.anchor) for s in refs.statements] == statements
        and refs.numbers_by_key == {k: n for k, n in cited.numbers.items() if n}
        and refs.uses_by_key == {k: n for k, n in cited.uses.items() if n}
    )
    if not same:
        raise SystemExit(
            f"bench: revision {revision.pk} would store a render that differs from the "
            "renderer's own; a slot in bench.corpus stands where the renderer changes text."
        )
