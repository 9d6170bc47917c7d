"""Three-way merges: carry a stale proposal's changes onto the newer approved text.

A proposal P was written against base B; meanwhile the approved text moved on
to C. ``merge_texts(B, C, P)`` keeps every change C made and every change P
made; where both changed the same lines differently it reports a conflict and
writes both sides, between markers, for the author to resolve. The approved
change is never dropped: a conflict is never resolved automatically.

The algorithm is the classic diff3: find the stretches of B that neither side
changed (sync regions) and decide each stretch between them on its own.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from django.db.models import Prefetch

from apps.markup import marker_keys, renumber_markers

from .citing import CitationInput, problems_with
from .models import Citation, Revision

CONFLICT_START = "<<<<<<< the current approved text"
CONFLICT_MIDDLE = "======="
CONFLICT_END = ">>>>>>> your proposal"
# Only the merge's own start and end lines count ("=======" alone is a Markdown heading rule).
CONFLICT_LINE = re.compile(
    "^(?:" + re.escape(CONFLICT_START) + "|" + re.escape(CONFLICT_END) + ")$", re.MULTILINE
)


@dataclass(frozen=True)
class MergedText:
    text: str
    conflicts: int

    @property
    def clean(self) -> bool:
        return self.conflicts == 0


def _sync_regions(
    base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]
) -> list[tuple[int, int, int, int, int, int]]:
    """(base_start, base_end, ours_start, ours_end, theirs_start, theirs_end) of unchanged runs."""
    ours_blocks = SequenceMatcher(None, base, ours, autojunk=False).get_matching_blocks()
    theirs_blocks = SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
    regions: list[tuple[int, int, int, int, int, int]] = []
    i, j = 0, 0
    while i < len(ours_blocks) and j < len(theirs_blocks):
        o_base, o_at, o_len = ours_blocks[i]
        t_base, t_at, t_len = theirs_blocks[j]
        start, end = max(o_base, t_base), min(o_base + o_len, t_base + t_len)
        if start < end:
            o_start = o_at + start - o_base
            t_start = t_at + start - t_base
            regions.append(
                (start, end, o_start, o_start + end - start, t_start, t_start + end - start)
            )
        if o_base + o_len < t_base + t_len:
            i += 1
        else:
            j += 1
    regions.append((len(base), len(base), len(ours), len(ours), len(theirs), len(theirs)))
    return regions


_TOKENS = re.compile(r"\s+|[^\s]+")


def _three_way(
    base: Sequence[str],
    ours: Sequence[str],
    theirs: Sequence[str],
    resolve: Callable[[Sequence[str], Sequence[str], Sequence[str]], Sequence[str] | None],
) -> list[str] | None:
    """Walk the stretches between sync regions, keeping each side's one-sided changes.

    Where both sides changed a stretch differently, ``resolve(old, mine, yours)``
    returns the items to keep, or None to give up (the whole merge is then None).
    """
    out: list[str] = []
    at_base, at_ours, at_theirs = 0, 0, 0
    for b_start, b_end, o_start, o_end, t_start, t_end in _sync_regions(base, ours, theirs):
        old = base[at_base:b_start]
        mine, yours = ours[at_ours:o_start], theirs[at_theirs:t_start]
        if mine == yours or yours == old:
            out.extend(mine)
        elif mine == old:
            out.extend(yours)
        else:
            kept = resolve(old, mine, yours)
            if kept is None:
                return None
            out.extend(kept)
        out.extend(base[b_start:b_end])
        at_base, at_ours, at_theirs = b_end, o_end, t_end
    return out


def _merge_words(old: str, mine: str, yours: str) -> str | None:
    """Merge one line word by word; None when both sides changed the same words."""
    old_words, my_words, your_words = (_TOKENS.findall(line) for line in (old, mine, yours))
    merged = _three_way(old_words, my_words, your_words, lambda *_: None)
    return None if merged is None else "".join(merged)


def _merge_hunk(old: Sequence[str], mine: Sequence[str], yours: Sequence[str]) -> list[str] | None:
    """Both sides changed these lines: merge them word by word, line for line, if possible."""
    if not (len(old) == len(mine) == len(yours)):
        return None
    merged = [_merge_words(o, m, y) for o, m, y in zip(old, mine, yours, strict=True)]
    lines = [line for line in merged if line is not None]
    return lines if len(lines) == len(merged) else None


def merge_texts(base: str, current: str, proposal: str) -> MergedText:
    """Merge ``proposal`` (written against ``base``) onto ``current``.

    Lines first; where both sides changed the same lines, word by word (most
    paragraphs are one long line); what still overlaps is a conflict, written
    with both sides between markers.
    """
    conflicts = 0

    def resolve(old: Sequence[str], mine: Sequence[str], yours: Sequence[str]) -> list[str]:
        nonlocal conflicts
        words = _merge_hunk(old, mine, yours)
        if words is not None:
            return words
        conflicts += 1
        return [CONFLICT_START, *mine, CONFLICT_MIDDLE, *yours, CONFLICT_END]

    out = _three_way(base.splitlines(), current.splitlines(), proposal.splitlines(), resolve)
    assert out is not None  # resolve() above never gives up
    text = "\n".join(out)
    if proposal.endswith("\n") or current.endswith("\n"):
        text += "\n"
    return MergedText(text, conflicts)


def has_conflict_markers(text: str) -> bool:
    return bool(CONFLICT_LINE.search(text))


# --- Citations -------------------------------------------------------------------


def _signature(citation: Citation) -> tuple[int, str, str]:
    return (citation.source_id, citation.quote, citation.locator)


def _as_input(citation: Citation, key: int) -> CitationInput:
    return CitationInput(
        source=citation.source,
        quote=citation.quote,
        locator=citation.locator,
        key=key,
        verbatim=True,
    )


@dataclass(frozen=True)
class MergedRevision:
    body: str
    citations: list[CitationInput]
    conflicts: int
    problems: list[str] = field(default_factory=list)  # why a line-clean merge is still invalid

    @property
    def clean(self) -> bool:
        return self.conflicts == 0


@dataclass(frozen=True)
class Cited:
    """A text and its citations by key, saved or not (a revision's, or one being computed).

    ``citations`` maps the key the markers use to the citation (its own ``key``
    field is not read). Each needs ``source`` set, an unsaved Citation will do:
    merges compare ``source_id``, ``quote`` and ``locator``, and copy ``source``.
    """

    body: str
    citations: dict[int, Citation] = field(default_factory=dict)


def cited_of(revision: Revision) -> Cited:
    """A saved revision's text and citations (one query, sources included; none when the
    caller prefetched them: with_citations)."""
    prefetched = getattr(revision, "_prefetched_objects_cache", {}).get("citations")
    citations = (
        prefetched if prefetched is not None else revision.citations.select_related("source")
    )
    return Cited(revision.body, {c.key: c for c in citations})


def with_citations() -> "Prefetch[Any]":
    """Prefetch a queryset's revisions' citations, sources included, for cited_of."""
    return Prefetch("citations", queryset=Citation.objects.select_related("source"))


def citation_inputs(cited: Cited) -> list[CitationInput]:
    """The citations as write_revision and problems_with take them, in key order."""
    return [_as_input(citation, key) for key, citation in sorted(cited.citations.items())]


def merge_revisions(base: Revision | None, current: Revision, proposal: Revision) -> MergedRevision:
    """Merge a stale proposal's text and citations onto the current approved revision."""
    return merge_cited(cited_of(base) if base else None, cited_of(current), cited_of(proposal))


def merge_cited(base: Cited | None, current: Cited, proposal: Cited) -> MergedRevision:
    """Merge a text and citations written against ``base`` onto ``current``.

    Citations the proposal added may use numbers the current text also added
    for something else; they are renumbered first, so every marker keeps
    pointing at the citation its author meant.
    """
    base_cites: dict[int, Citation] = base.citations if base else {}
    current_cites = current.citations
    proposal_cites = proposal.citations

    mapping: dict[int, int] = {}
    next_key = max([*current_cites, *proposal_cites, 0]) + 1
    for key in sorted(proposal_cites):
        reused = key in base_cites and _signature(proposal_cites[key]) != _signature(
            base_cites[key]
        )
        if key in current_cites and (key not in base_cites or reused):
            # The number means something else on the current side: give ours a new one.
            mapping[key] = next_key
            next_key += 1
    body = renumber_markers(proposal.body, mapping)
    proposal_cites = {mapping.get(k, k): c for k, c in proposal_cites.items()}

    merged = merge_texts(base.body if base else "", current.body, body)
    chosen: list[CitationInput] = []
    for key in sorted(marker_keys(merged.text)):
        mine, yours, old = current_cites.get(key), proposal_cites.get(key), base_cites.get(key)
        if mine is not None and yours is not None and old is not None:
            # Both kept a citation the base had: whoever changed it wins; the
            # approved side wins a tie, as it does in the text.
            pick: Citation | None = yours if _signature(mine) == _signature(old) else mine
        else:
            pick = mine or yours
        if pick is not None:
            chosen.append(_as_input(pick, key))
    problems = problems_with(merged.text, chosen) if merged.clean else []
    return MergedRevision(merged.text, chosen, merged.conflicts + len(problems), problems)
