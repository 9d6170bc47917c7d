"""A proposal's changes cut into hunks, for accepting some of them and not others.

``split(base, proposal)`` cuts what a proposal changes in its base into numbered
hunks; ``apply(base, proposal, hunks, accepted)`` is the text, with its
citations, that accepting some of those hunks gives. Both are pure: no query,
no write (the citations' sources must already be loaded, as
:func:`apps.wiki.merging.cited_of` does). Carrying the result onto a newer approved text
is :func:`apps.wiki.merging.merge_cited`'s job.

The rules:

- **Text.** The bodies are compared line by line (difflib, no autojunk), and
  each stretch of lines that differs is a text hunk. Lines are cut at "\\n"
  only, so that accepting every hunk gives the proposal's body exactly and
  accepting none the base's: a final newline added or removed is a change to
  the last line like any other. Nothing is smoothed over: a difference of
  whitespace or blank lines only is a hunk too.
- **Changed citations.** A key that both sides cite, with a different source,
  quote or locator, is a changed citation. It travels with every text hunk
  that has a marker for that key, in its new lines or in its old ones:
  accepting the hunk without the change would point the proposal's sentence at
  the base's citation, and accepting the change without the hunk would point
  the base's sentence at the proposal's. So those text hunks and the change
  become one hunk, and two text hunks that need the same change are one hunk
  too (with several spans: a hunk is a tuple of line ranges, not one range).
- **Paragraphs.** Changed lines of one Markdown paragraph are one hunk, even with
  unchanged lines between them: the marker that ends a paragraph supports all
  of it, so accepting half of a rewritten paragraph would put the old citation
  under new words. A blank line, a list item, a heading, a quote, a table row
  or a fence starts a new block and separates hunks.
- **Line endings** do not count: lines are compared without a final "\\r".
  A changed citation that no text hunk needs is a hunk of its own, of kind
  "citations": it re-points the unchanged sentences that cite that key.
- **Added and removed citations** (a key on one side only) are no hunk: they
  follow the markers. The result has a citation for each key its text's
  markers name: the proposal's if the key is new or its change was accepted,
  the base's otherwise (for a key unchanged, either: the base's is kept).

Hence, by construction and for a valid base and proposal: every marker of the
result has a citation, and each points at the citation it pointed at on the
side its line came from (a line both sides share may take either). What
mixing lines can still break is Markdown that spans lines, such as a code
fence opened by an accepted hunk and closed by a refused one: check the result
with :func:`apps.wiki.citing.problems_with` before offering it, as for any merge.

Numbering: text hunks first, in the order of their first line, then citations
hunks in the order of their key; from 1. The same two texts always give the
same hunks with the same numbers. A new article (no base) is a single text
hunk.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from apps.markup import marker_keys
from apps.wiki.diff import DiffLine, changed_rows
from apps.wiki.merging import Cited
from apps.wiki.models import Citation

TEXT = "text"
CITATIONS = "citations"

# (old_start, old_end, new_start, new_end): 0-based, half-open, in the base's and the
# proposal's lines. The old range is empty for lines only added, the new one for lines
# only removed.
Span = tuple[int, int, int, int]
_ROW_KINDS = ("changed", "added", "removed")


@dataclass(frozen=True)
class Hunk:
    """One change a moderator accepts or not, as a whole.

    ``spans`` are the line ranges it replaces, in order (none for a "citations"
    hunk, several when a changed citation ties text hunks together);
    ``old_lines`` and ``new_lines`` are the lines of all its spans, in order.
    ``citation_keys`` are the changed citations that come with it. ``rows``
    show it as :func:`apps.wiki.diff.text_diff` shows a changed stretch, with real line
    numbers and a "skipped" row between two spans.
    """

    number: int
    kind: str
    spans: tuple[Span, ...]
    old_lines: tuple[str, ...]
    new_lines: tuple[str, ...]
    citation_keys: tuple[int, ...]
    rows: tuple[DiffLine, ...]
    summary: str  # what it does, in a few words: "2 lines changed; citation [3]: new locator"

    # Where the hunk lies, first span to last (0 for a "citations" hunk, which has none).
    @property
    def old_start(self) -> int:
        return self.spans[0][0] if self.spans else 0

    @property
    def old_end(self) -> int:
        return self.spans[-1][1] if self.spans else 0

    @property
    def new_start(self) -> int:
        return self.spans[0][2] if self.spans else 0

    @property
    def new_end(self) -> int:
        return self.spans[-1][3] if self.spans else 0

    @property
    def label(self) -> str:
        """Where it is: "Lines 4–6", "New line 9", "Line 2 and citation [3]", "Citation [3]"."""
        parts = [_span_label(span) for span in self.spans]
        if self.citation_keys:
            parts.append(_keys_label(self.citation_keys))
        text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return text[0].upper() + text[1:]


def _lines(cited: Cited | None) -> list[str]:
    return cited.body.split("\n") if cited and cited.body else []


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _span_label(span: Span) -> str:
    old_start, old_end, new_start, new_end = span
    prefix, start, end = (
        ("", old_start, old_end) if old_end > old_start else ("new ", new_start, new_end)
    )
    if end - start == 1:
        return f"{prefix}line {end}"
    return f"{prefix}lines {start + 1}–{end}"


def _keys_label(keys: Sequence[int]) -> str:
    named = ", ".join(f"[{key}]" for key in keys)
    return f"citation {named}" if len(keys) == 1 else f"citations {named}"


def _differences(old: Citation, new: Citation) -> list[str]:
    """What differs between two versions of one citation (nothing: the same citation)."""
    pairs = [
        ("source", old.source_id, new.source_id),
        ("quote", old.quote, new.quote),
        ("locator", old.locator, new.locator),
    ]
    return [name for name, before, after in pairs if before != after]


def _summary(rows: Sequence[DiffLine], changes: dict[int, list[str]]) -> str:
    counts = [(kind, sum(1 for row in rows if row.kind == kind)) for kind in _ROW_KINDS]
    lines = [f"{_plural(n, 'line')} {kind}" for kind, n in counts if n]
    cites = [f"citation [{key}]: new {' and '.join(what)}" for key, what in changes.items()]
    text = "; ".join(part for part in (", ".join(lines), *cites) if part)
    return text[0].upper() + text[1:]


def _rows(
    old_lines: Sequence[str], new_lines: Sequence[str], spans: Sequence[Span]
) -> list[DiffLine]:
    rows: list[DiffLine] = []
    for index, (old_start, old_end, new_start, new_end) in enumerate(spans):
        if index:
            gap = old_start - spans[index - 1][1]
            rows.append(DiffLine("skipped", None, None, _plural(gap, "unchanged line")))
        rows.extend(changed_rows(old_lines, new_lines, old_start, old_end, new_start, new_end))
    return rows


# A line that starts a Markdown block of its own: a list item, a heading, a quote, a table
# row, a fence. A paragraph's continuation lines never do.
_BLOCK_START = re.compile(r"\s*(?:[-*+]\s|\d+[.)]\s|#{1,6}\s|>|\||```|~~~|!!!)")


def _starts_block(line: str) -> bool:
    return not line.strip() or bool(_BLOCK_START.match(line))


def _block_boundary(
    old_lines: Sequence[str], new_lines: Sequence[str], before: Span, after: Span
) -> bool:
    """Whether a new Markdown block starts between two spans (so they are separate changes).

    The unchanged lines between them, or the later span's first line on either side,
    must start a block (a blank line, a list item, a heading…); otherwise the spans are
    lines of one paragraph.
    """
    gap = old_lines[before[1] : after[0]]
    firsts = [lines[start] for lines, start, end in (
        (old_lines, after[0], after[1]), (new_lines, after[2], after[3])
    ) if end > start]  # fmt: skip
    return any(_starts_block(line) for line in [*gap, *firsts])


def split(base: Cited | None, proposal: Cited) -> list[Hunk]:
    """The proposal's changes to ``base`` as hunks, numbered from 1 (see the module's rules)."""
    old_lines, new_lines = _lines(base), _lines(proposal)
    base_cites = base.citations if base else {}
    # Compared without a line's "\r": text typed in a browser ends its lines with "\r\n", text
    # a service wrote (a suggestion taken, a merge) with "\n"; the ending is no change.
    matcher = SequenceMatcher(
        None,
        [line.rstrip("\r") for line in old_lines],
        [line.rstrip("\r") for line in new_lines],
        autojunk=False,
    )
    spans: list[Span] = [
        (i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]
    changes = {
        key: what
        for key, citation in sorted(proposal.citations.items())
        if key in base_cites and (what := _differences(base_cites[key], citation))
    }
    keys = list(changes)

    # Union-find over the spans (nodes 0..len(spans)-1) and the changed keys (the rest).
    parent = list(range(len(spans) + len(keys)))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    # Changes within one paragraph are one hunk: a marker at its end supports every line of
    # it, so accepting one line of a rewritten paragraph could pin the old citation on it.
    for index in range(1, len(spans)):
        if not _block_boundary(old_lines, new_lines, spans[index - 1], spans[index]):
            parent[root(index)] = root(index - 1)

    for index, (old_start, old_end, new_start, new_end) in enumerate(spans):
        named = marker_keys(
            "\n".join([*old_lines[old_start:old_end], *new_lines[new_start:new_end]])
        )
        for position, key in enumerate(keys):
            if key in named:
                parent[root(len(spans) + position)] = root(index)

    # Nodes in order, so groups come in the order of their first node: text hunks by their
    # first line, then citations hunks by key.
    groups: dict[int, list[int]] = {}
    for node in range(len(parent)):
        groups.setdefault(root(node), []).append(node)

    hunks: list[Hunk] = []
    for number, nodes in enumerate(groups.values(), start=1):
        own = tuple(spans[node] for node in nodes if node < len(spans))
        own_keys = tuple(keys[node - len(spans)] for node in nodes if node >= len(spans))
        rows = _rows(old_lines, new_lines, own)
        hunks.append(
            Hunk(
                number=number,
                kind=TEXT if own else CITATIONS,
                spans=own,
                old_lines=tuple(line for o1, o2, _, _ in own for line in old_lines[o1:o2]),
                new_lines=tuple(line for _, _, n1, n2 in own for line in new_lines[n1:n2]),
                citation_keys=own_keys,
                rows=tuple(rows),
                summary=_summary(rows, {key: changes[key] for key in own_keys}),
            )
        )
    return hunks


def apply(base: Cited | None, proposal: Cited, hunks: Sequence[Hunk], accepted: set[int]) -> Cited:
    """The base with the accepted hunks of the proposal, and the citations its markers need.

    ``hunks`` must be what ``split(base, proposal)`` gives (they are checked, so hunks
    shown for an older version of either text are refused); ``accepted`` their numbers.
    Raises ValueError for a number that is no hunk's, or hunks of other texts.
    """
    unknown = sorted(accepted - {hunk.number for hunk in hunks})
    if unknown:
        raise ValueError(f"No hunk numbered {', '.join(map(str, unknown))}.")
    if list(hunks) != split(base, proposal):
        raise ValueError("These hunks are not the changes between these two texts.")
    chosen = [hunk for hunk in hunks if hunk.number in accepted]
    old_lines, new_lines = _lines(base), _lines(proposal)
    out: list[str] = []
    at = 0
    for old_start, old_end, new_start, new_end in sorted(s for h in chosen for s in h.spans):
        out.extend(old_lines[at:old_start])
        out.extend(new_lines[new_start:new_end])
        at = old_end
    out.extend(old_lines[at:])
    body = "\n".join(out)

    base_cites = base.citations if base else {}
    adopted = {key for hunk in chosen for key in hunk.citation_keys}
    citations: dict[int, Citation] = {}
    for key in sorted(marker_keys(body)):
        old, new = base_cites.get(key), proposal.citations.get(key)
        pick = new if new is not None and (old is None or key in adopted) else old
        if pick is not None:  # a marker neither side cites: problems_with will say so
            citations[key] = pick
    return Cited(body, citations)
