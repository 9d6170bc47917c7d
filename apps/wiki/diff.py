"""Readable differences between two revisions: their text (by line and word) and citations."""

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from apps.markup import strip_markers

from .models import Citation, StatementKind

CONTEXT = 3


_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class DiffLine:
    """One row of a diff.

    ``kind`` is "same", "changed" (a line edited in place), "added", "removed"
    or "skipped" (a collapsed unchanged stretch; ``text`` says how long).
    ``old``/``new`` are word segments: (op, text) with op "equal", "delete" or
    "insert", for showing what changed inside the line.
    """

    kind: str
    old_number: int | None
    new_number: int | None
    text: str = ""
    old: tuple = ()
    new: tuple = ()
    threads: tuple = ()  # shown after this row (moderation places review threads here)

    @property
    def inline(self):
        """Old and new words interleaved, for the one-column view."""
        if self.kind != "changed":
            return ()
        merged, old, new = [], list(self.old), list(self.new)
        while old or new:
            if old and old[0][0] == "delete":
                merged.append(old.pop(0))
            elif new and new[0][0] == "insert":
                merged.append(new.pop(0))
            else:
                segment = (old or new)[0]
                merged.append(segment)
                old and old.pop(0)
                new and new.pop(0)
        return tuple(merged)


def word_diff(old: str, new: str) -> tuple[tuple, tuple]:
    """Word segments of two versions of a line: what was deleted, what inserted."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    old_parts, new_parts = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            old_parts.append(("equal", "".join(a[i1:i2])))
            new_parts.append(("equal", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            old_parts.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            new_parts.append(("insert", "".join(b[j1:j2])))
    return tuple(old_parts), tuple(new_parts)


def text_diff(old: str, new: str) -> list[DiffLine]:
    """A line diff of two Markdown texts, with words marked inside edited lines and long
    unchanged stretches collapsed."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows: list[DiffLine] = []
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            rows.extend(
                _equal_block(
                    old_lines, i1, i2, j1, first=index == 0, last=index == len(opcodes) - 1
                )
            )
            continue
        rows.extend(changed_rows(old_lines, new_lines, i1, i2, j1, j2))
    return rows


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """The lines ``new`` adds and those it removes, by the same line matcher as text_diff
    (linear in practice; difflib.ndiff pairs changed lines by likeness, which is quadratic:
    seconds for a few hundred rewritten lines)."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    added: list[str] = []
    removed: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += old_lines[i1:i2]
            added += new_lines[j1:j2]
    return added, removed


def changed_rows(
    old_lines: Sequence[str], new_lines: Sequence[str], i1: int, i2: int, j1: int, j2: int
) -> list[DiffLine]:
    """The rows of one changed region, old_lines[i1:i2] become new_lines[j1:j2].

    Lines are paired in order as "changed" (with their words marked); what is
    left over on the longer side is "removed" or "added". Numbers are 1-based.
    """
    rows: list[DiffLine] = []
    paired = min(i2 - i1, j2 - j1)
    for offset in range(paired):
        old_words, new_words = word_diff(old_lines[i1 + offset], new_lines[j1 + offset])
        rows.append(DiffLine("changed", i1 + offset + 1, j1 + offset + 1, "", old_words, new_words))
    for offset, line in enumerate(old_lines[i1 + paired : i2], start=paired):
        rows.append(DiffLine("removed", i1 + offset + 1, None, line))
    for offset, line in enumerate(new_lines[j1 + paired : j2], start=paired):
        rows.append(DiffLine("added", None, j1 + offset + 1, line))
    return rows


def _equal_block(lines, i1, i2, j1, *, first, last):
    keep_head = 0 if first else CONTEXT
    keep_tail = 0 if last else CONTEXT
    block = [DiffLine("same", i + 1, j1 + (i - i1) + 1, lines[i]) for i in range(i1, i2)]
    if len(block) <= keep_head + keep_tail + 1:
        return block
    hidden = len(block) - keep_head - keep_tail
    label = f"{hidden} unchanged line{'s' if hidden != 1 else ''}"
    return [
        *block[:keep_head],
        DiffLine("skipped", None, None, label),
        *block[len(block) - keep_tail :],
    ]


@dataclass(frozen=True)
class CitationChange:
    kind: str  # "added", "removed", "changed" or "same"
    source: object
    old: object | None
    new: object | None


def citation_diff(old_citations, new_citations) -> list[CitationChange]:
    """Pair citations by source; report what was added, removed or changed."""
    old_by_source: dict[int, list[Citation]] = {}
    for citation in old_citations:
        old_by_source.setdefault(citation.source_id, []).append(citation)
    changes = []
    for citation in new_citations:
        previous = old_by_source.get(citation.source_id)
        if not previous:
            changes.append(CitationChange("added", citation.source, None, citation))
            continue
        match = next(
            (c for c in previous if (c.quote, c.locator) == (citation.quote, citation.locator)),
            previous[0],
        )
        previous.remove(match)
        same = (match.quote, match.locator) == (citation.quote, citation.locator)
        changes.append(
            CitationChange("same" if same else "changed", citation.source, match, citation)
        )
    for remaining in old_by_source.values():
        for citation in remaining:
            changes.append(CitationChange("removed", citation.source, citation, None))
    return changes


def _plain(text: str) -> str:
    return " ".join(strip_markers(text).split())


def uncited_statements(current, proposal) -> list[str]:
    """Statements the current text cites that the proposal keeps without any citation.

    A statement is matched by its words: still present in the proposal's text,
    but no longer followed by a marker.
    """
    if current is None:
        return []
    cited_before = [
        s.text for s in current.statements.all() if s.kind != StatementKind.NEEDED and s.text
    ]
    cited_now = {s.text for s in proposal.statements.all() if s.kind != StatementKind.NEEDED}
    needed_now = {s.text for s in proposal.statements.all() if s.kind == StatementKind.NEEDED}
    body = _plain(proposal.body)
    return [
        text
        for text in dict.fromkeys(cited_before)
        if text not in cited_now and (text in needed_now or _plain(text) in body)
    ]
