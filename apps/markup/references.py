"""Inline reference markers in article text, as a python-markdown extension.

Fans bind a statement to the revision's citations with markers placed after it:

- ``[@1]`` or ``[@1, 3]`` — the statement is supported by citations 1 and 3
  (the numbers are the citation keys shown in the editor, "Citation 1"…);
- ``[citation needed]`` — the statement needs a source;
- ``[disputed @1 @2]`` — the sources disagree on this statement; each cited
  citation's quote says what that side claims.

Readers see Wikipedia-style numbered superscripts: the number belongs to the
*source* (a source cited twice gets one number), in order of first use, and
each superscript links to the reference list, which links back.

Markers inside code spans and code blocks stay literal: python-markdown handles
code before these patterns run. The ids the markers get carry a per-rendering
nonce until :func:`finalise` gives them their final names, so raw HTML in the
text cannot pass itself off as a marker.
"""

import re
import secrets
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import InlineProcessor as InlineTreeprocessor
from markdown.util import INLINE_PLACEHOLDER_RE

KIND_CITED = "cited"
KIND_NEEDED = "needed"
KIND_DISPUTED = "disputed"
MAX_KEYS_PER_MARKER = 10

# Each separator is one alternative with at least one required character, so no
# two repeats can match the same text (no catastrophic backtracking).
CITE_PATTERN = r"\[@\s*(\d{1,4}(?:\s*,\s*(?:@\s*)?\d{1,4})*)\s*\]"
NEEDED_PATTERN = r"\[citation needed\]"
DISPUTED_PATTERN = r"\[disputed((?:\s*(?:,\s*)?@\s*\d{1,4})*)\s*\]"

# Runs before links (160) so "[@1]" is never read as a link; after escapes (180)
# and code spans (190), so "\[@1]" and "`[@1]`" stay literal.
PRIORITY = 175

_KEYS = re.compile(r"\d{1,4}")
# The markers that name citation keys ("[citation needed]" names none).
_KEYED_MARKER = re.compile(CITE_PATTERN + "|(?i:" + DISPUTED_PATTERN + ")")
_RAW_MARKER = re.compile("|".join((CITE_PATTERN, NEEDED_PATTERN, DISPUTED_PATTERN)), re.I)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_FORMATTING = re.compile(r"[*_`~]+|<[^>]+>")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=\S)")
_SPLIT = "\x00"  # where an earlier marker stood: statements never run across it


@dataclass(frozen=True)
class Statement:
    """A statement the text makes, as the marker after it describes it."""

    kind: str
    text: str
    keys: tuple[int, ...] = ()
    anchor: str = ""  # the id of the statement's marker in the rendered HTML


@dataclass
class ReferenceState:
    """What one rendering found: reference numbers, uses, statements and mistakes."""

    sources_by_key: dict[int, int] | None
    nonce: str = field(default_factory=lambda: secrets.token_hex(4))
    numbers_by_source: dict[int, int] = field(default_factory=dict)
    uses_by_key: dict[int, int] = field(default_factory=dict)  # superscripts shown for a key
    used_keys: set[int] = field(default_factory=set)  # keys any marker names
    uses_by_number: dict[int, int] = field(default_factory=dict)
    unknown_keys: list[int] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    external_images: list[str] = field(default_factory=list)  # dropped: not our uploads
    marker_nodes: set[int] = field(default_factory=set)  # id() of the elements markers made

    @property
    def preview(self) -> bool:
        """The editor's preview knows no sources: markers show their citation keys."""
        return self.sources_by_key is None

    def number_for(self, key: int) -> int | None:
        """The reader-facing number of a citation key, or None if the key is unknown."""
        if self.sources_by_key is None:
            return key
        source_id = self.sources_by_key.get(key)
        if source_id is None:
            return None
        if source_id not in self.numbers_by_source:
            self.numbers_by_source[source_id] = len(self.numbers_by_source) + 1
        return self.numbers_by_source[source_id]

    @property
    def numbers_by_key(self) -> dict[int, int]:
        if self.sources_by_key is None:
            return {}
        return {
            key: self.numbers_by_source[source_id]
            for key, source_id in self.sources_by_key.items()
            if source_id in self.numbers_by_source
        }

    def unused_keys(self) -> list[int]:
        if self.sources_by_key is None:
            return []
        return sorted(key for key in self.sources_by_key if key not in self.used_keys)


def strip_markers(text: str) -> str:
    """Markdown text without markers, link syntax or formatting characters."""
    return _FORMATTING.sub("", _LINK.sub(r"\1", _RAW_MARKER.sub(" ", text)))


def marker_keys(text: str) -> set[int]:
    """Every citation key the markers of a Markdown text name (code is not special-cased)."""
    return {int(k) for match in _KEYED_MARKER.finditer(text) for k in _KEYS.findall(match[0])}


def renumber_markers(text: str, mapping: dict[int, int]) -> str:
    """Rewrite the citation keys the text's markers name (code is not special-cased)."""
    if not mapping:
        return text

    def marker(match: re.Match[str]) -> str:
        return _KEYS.sub(lambda k: str(mapping.get(int(k[0]), int(k[0]))), match[0])

    return _KEYED_MARKER.sub(marker, text)


def statement_text(preceding: str) -> str:
    """The sentence a marker follows, as plain text (at most 300 characters)."""
    text = _RAW_MARKER.sub(_SPLIT, preceding).rsplit(_SPLIT, 1)[-1]
    text = " ".join(strip_markers(text).split())
    sentence = _SENTENCE_END.split(text)[-1] if text else ""
    if len(sentence) > 300:
        sentence = "…" + sentence[-299:]
    return sentence


def _keys(text: str) -> tuple[int, ...]:
    """The distinct keys a marker names, in order."""
    return tuple(dict.fromkeys(int(k) for k in _KEYS.findall(text or "")))


_Handled = tuple[etree.Element, int, int]


class _MarkerProcessor(InlineProcessor):
    # The subclasses' handleMatch(m, data) is InlineProcessor's, which does not match
    # its base Pattern's handleMatch(m): mypy flags every such override, hence their
    # ignore[override] (markdown's stubs ignore the same mismatch in InlineProcessor).

    def __init__(
        self, pattern: str, md: Markdown, state_getter: Callable[[], ReferenceState]
    ) -> None:
        super().__init__(pattern, md)
        self._state = state_getter

    def _preceding(self, data: str, m: re.Match[str]) -> str:
        """The text before the marker, cut at the last earlier marker in the same block."""
        inline = self.md.treeprocessors["inline"]
        assert isinstance(inline, InlineTreeprocessor)  # as python-markdown registers it
        stashed = inline.stashed_nodes
        state = self._state()

        def placeholder(match: re.Match[str]) -> str:
            node = stashed.get(match[1])
            return _SPLIT if id(node) in state.marker_nodes else " "

        return INLINE_PLACEHOLDER_RE.sub(placeholder, data[: m.start(0)])

    def _record(
        self,
        element: etree.Element,
        kind: str,
        data: str,
        m: re.Match[str],
        keys: tuple[int, ...] = (),
        anchor: str = "",
    ) -> _Handled:
        state = self._state()
        state.marker_nodes.add(id(element))
        state.statements.append(
            Statement(kind, statement_text(self._preceding(data, m)), keys, anchor)
        )
        return element, m.start(0), m.end(0)

    def _superscripts(self, keys: tuple[int, ...], holder: etree.Element) -> str:
        """Add one superscript per reference number; return the id of the first.

        Two keys of one marker that cite the same source show one number; both
        keys count as used, the superscript counts for the first.
        """
        state = self._state()
        if len(keys) > MAX_KEYS_PER_MARKER:
            state.problems.append(f"A marker can name at most {MAX_KEYS_PER_MARKER} citations.")
            keys = keys[:MAX_KEYS_PER_MARKER]
        first = ""
        shown = set()
        for key in keys:
            number = state.number_for(key)
            if number is not None:
                state.used_keys.add(key)
                if number in shown:
                    continue
                shown.add(number)
            sup = etree.SubElement(holder, "sup")
            if number is None:
                state.unknown_keys.append(key)
                sup.set("class", "reference-error")
                sup.text = f"[@{key}?]"
                continue
            state.uses_by_key[key] = state.uses_by_key.get(key, 0) + 1
            use = state.uses_by_number.get(number, 0) + 1
            state.uses_by_number[number] = use
            anchor = f"cite-ref-{state.nonce}-{number}-{use}"
            first = first or anchor
            sup.set("class", "reference")
            sup.set("id", anchor)
            link = etree.SubElement(sup, "a")
            link.set("href", f"#cite-note-{number}")
            link.text = f"[{number}]"
        return first


def _unwrap(holder: etree.Element) -> etree.Element:
    """One element for the inline tree: the single child, or the span holding several."""
    children = list(holder)
    return children[0] if len(children) == 1 else holder


class CiteProcessor(_MarkerProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> _Handled:  # type: ignore[override]  # noqa: N802
        keys = _keys(m.group(1))
        holder = etree.Element("span")
        anchor = self._superscripts(keys, holder)
        return self._record(_unwrap(holder), KIND_CITED, data, m, keys, anchor)


class NeededProcessor(_MarkerProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> _Handled:  # type: ignore[override]  # noqa: N802
        state = self._state()
        anchor = f"needed-ref-{state.nonce}-{len(state.statements) + 1}"
        sup = etree.Element("sup")
        sup.set("class", "citation-needed")
        sup.set("id", anchor)
        sup.text = "[citation needed]"
        return self._record(sup, KIND_NEEDED, data, m, (), anchor)


class DisputedProcessor(_MarkerProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> _Handled:  # type: ignore[override]  # noqa: N802
        keys = _keys(m.group(1))
        state = self._state()
        if len(keys) < 2:
            state.problems.append(
                "A disputed marker names the citation of each side, such as [disputed @1 @2]."
            )
        anchor = f"disputed-ref-{state.nonce}-{len(state.statements) + 1}"
        holder = etree.Element("span")
        mark = etree.SubElement(holder, "sup")
        mark.set("class", "disputed")
        mark.set("id", anchor)
        link = etree.SubElement(mark, "a")
        link.set("href", f"#disputed-{state.nonce}-{len(state.statements) + 1}")
        link.text = "[sources disagree]"
        self._superscripts(keys, holder)
        return self._record(_unwrap(holder), KIND_DISPUTED, data, m, keys, anchor)


class ReferenceExtension(Extension):
    """Registers the three markers, reporting into ``state``."""

    def __init__(self, state: ReferenceState, **kwargs: object) -> None:
        self.state = state
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - python-markdown's name
        def getter() -> ReferenceState:
            return self.state

        patterns = md.inlinePatterns
        patterns.register(
            DisputedProcessor("(?i)" + DISPUTED_PATTERN, md, getter), "disputed", PRIORITY + 2
        )
        patterns.register(
            NeededProcessor("(?i)" + NEEDED_PATTERN, md, getter), "citation-needed", PRIORITY + 1
        )
        patterns.register(CiteProcessor(CITE_PATTERN, md, getter), "cite", PRIORITY)


# The ids finalise() gives the markers: what stored HTML carries, kept when it is
# sanitised again (never in a first pass, where the text itself could plant them).
FINAL_ID_PATTERN = r"(?:cite-ref-\d+-\d+|(?:disputed|needed)-ref-\d+)"


def generated_id_pattern(nonce: str) -> str:
    """The ids markers carry before finalise(); the sanitiser keeps only these."""
    return rf"(?:cite-ref-{nonce}-\d+-\d+|(?:disputed|needed)-ref-{nonce}-\d+)"


def finalise(html: str, state: ReferenceState) -> str:
    """Give the markers their final ids and numbers, in reading order.

    python-markdown does not process blocks in document order (a list can be
    handled before the paragraph above it), so references, disputes and
    statements are numbered here, in the order readers meet them. A marker
    that did not survive into the HTML where it was counted (inside a link or
    an image, for example) is reported as a problem.
    """
    nonce = re.escape(state.nonce)
    reference_sup = re.compile(
        rf'<sup class="reference" id="cite-ref-{nonce}-(\d+)-(\d+)">'
        rf'<a href="#cite-note-\d+"([^>]*)>\[\d+\]</a>'
    )
    other_sup = re.compile(
        rf'<sup class="(disputed|citation-needed)" id="(disputed|needed)-ref-{nonce}-(\d+)">'
    )
    dispute_link = re.compile(rf'href="#disputed-{nonce}-(\d+)"')
    anchors = re.findall(rf'id="((?:cite|disputed|needed)-ref-{nonce}-[\d-]+)"', html)
    position = {anchor: index for index, anchor in enumerate(anchors)}

    renamed: dict[str, str] = {}
    new_number: dict[int, int] = {}
    uses: dict[int, int] = {}

    def reference(match: re.Match[str]) -> str:
        old, old_use, rest = int(match[1]), match[2], match[3]
        number = new_number.setdefault(old, len(new_number) + 1)
        if state.preview:
            number = old
        uses[number] = uses.get(number, 0) + 1
        renamed[f"cite-ref-{state.nonce}-{old}-{old_use}"] = f"cite-ref-{number}-{uses[number]}"
        return (
            f'<sup class="reference" id="cite-ref-{number}-{uses[number]}">'
            f'<a href="#cite-note-{number}"{rest}>[{number}]</a>'
        )

    html = reference_sup.sub(reference, html)
    counters: dict[str, dict[str, int]] = {"disputed": {}, "needed": {}}

    def other(match: re.Match[str]) -> str:
        css, kind, old = match[1], match[2], match[3]
        index = counters[kind].setdefault(old, len(counters[kind]) + 1)
        renamed[f"{kind}-ref-{state.nonce}-{old}"] = f"{kind}-ref-{index}"
        return f'<sup class="{css}" id="{kind}-ref-{index}">'

    html = other_sup.sub(other, html)
    html = dispute_link.sub(
        lambda match: f'href="#disputed-{counters["disputed"].get(match[1], 0)}"', html
    )

    expected = sum(state.uses_by_key.values())
    found = sum(uses.values())
    missing = [s for s in state.statements if s.anchor and s.anchor not in renamed]
    if found != expected or missing:
        state.problems.append(
            "A marker is inside a link or an image, where it cannot be "
            "shown: put markers after the link or image, at the end of the statement."
        )
    if not state.preview:
        state.numbers_by_source = {
            source: new_number[old]
            for source, old in state.numbers_by_source.items()
            if old in new_number
        }
        state.uses_by_number = uses
    ordered = sorted(state.statements, key=lambda s: position.get(s.anchor, len(position)))
    state.statements = [
        Statement(s.kind, s.text, s.keys, renamed.get(s.anchor, "")) for s in ordered
    ]
    return html
