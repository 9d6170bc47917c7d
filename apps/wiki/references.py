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
code before these patterns run.
"""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import ETX, STX

KIND_CITED = "cited"
KIND_NEEDED = "needed"
KIND_DISPUTED = "disputed"

CITE_PATTERN = r"\[@\s*(\d{1,4}(?:\s*,\s*@?\s*\d{1,4})*)\s*\]"
NEEDED_PATTERN = r"(?i)\[citation needed\]"
DISPUTED_PATTERN = r"(?i)\[disputed((?:\s*,?\s*@\s*\d{1,4})*)\s*\]"

# Runs before links (160) so "[@1]" is never read as a link; after escapes (180)
# and code spans (190), so "\[@1]" and "`[@1]`" stay literal.
PRIORITY = 175

_KEYS = re.compile(r"\d{1,4}")
_PLACEHOLDER = re.compile(re.escape(STX) + r"[^" + re.escape(ETX) + r"]*" + re.escape(ETX))
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_FORMATTING = re.compile(r"[*_`~]+|<[^>]+>")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=\S)")


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
    numbers_by_source: dict[int, int] = field(default_factory=dict)
    uses_by_key: dict[int, int] = field(default_factory=dict)
    uses_by_number: dict[int, int] = field(default_factory=dict)
    unknown_keys: list[int] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    def number_for(self, key: int) -> int | None:
        """The reader-facing number of a citation key, or None if the key is unknown."""
        if self.sources_by_key is None:
            return key  # the editor's preview knows no sources: show the keys
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
        return sorted(key for key in self.sources_by_key if not self.uses_by_key.get(key))


# Markers not yet turned into elements (the patterns run one after another):
# a marker ends the statement before it.
_RAW_MARKER = re.compile("|".join((CITE_PATTERN, NEEDED_PATTERN[4:], DISPUTED_PATTERN[4:])), re.I)


def strip_markers(text: str) -> str:
    """Markdown text without markers, link syntax or formatting characters."""
    return _FORMATTING.sub("", _LINK.sub(r"\1", _RAW_MARKER.sub(" ", text)))


def statement_text(preceding: str) -> str:
    """The sentence a marker follows, as plain text (at most 300 characters)."""
    text = _RAW_MARKER.split(preceding)[-1] if _RAW_MARKER.search(preceding) else preceding
    text = _PLACEHOLDER.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _FORMATTING.sub("", text)
    text = " ".join(text.split())
    sentences = _SENTENCE_END.split(text)
    sentence = sentences[-1] if sentences else ""
    if len(sentence) > 300:
        sentence = "…" + sentence[-299:]
    return sentence


def _keys(text: str) -> tuple[int, ...]:
    return tuple(int(k) for k in _KEYS.findall(text or ""))


class _MarkerProcessor(InlineProcessor):
    def __init__(self, pattern, md, state_getter):
        super().__init__(pattern, md)
        self._state = state_getter

    def _superscripts(self, keys, holder):
        """Add one superscript per key; return the id of the first, for the statement."""
        state = self._state()
        first = ""
        for key in keys:
            number = state.number_for(key)
            sup = etree.SubElement(holder, "sup")
            if number is None:
                state.unknown_keys.append(key)
                sup.set("class", "reference-error")
                sup.text = f"[@{key}?]"
                continue
            state.uses_by_key[key] = state.uses_by_key.get(key, 0) + 1
            use = state.uses_by_number.get(number, 0) + 1
            state.uses_by_number[number] = use
            sup.set("class", "reference")
            sup.set("id", f"cite-ref-{number}-{use}")
            first = first or f"cite-ref-{number}-{use}"
            link = etree.SubElement(sup, "a")
            link.set("href", f"#cite-note-{number}")
            link.text = f"[{number}]"
        return first


class CiteProcessor(_MarkerProcessor):
    def handleMatch(self, m, data):  # noqa: N802 - python-markdown's name
        keys = _keys(m.group(1))
        holder = etree.Element("span")
        anchor = self._superscripts(keys, holder)
        self._state().statements.append(
            Statement(KIND_CITED, statement_text(data[: m.start(0)]), keys, anchor)
        )
        return _unwrap(holder), m.start(0), m.end(0)


class NeededProcessor(_MarkerProcessor):
    def handleMatch(self, m, data):  # noqa: N802
        state = self._state()
        anchor = f"needed-ref-{len(state.statements) + 1}"
        sup = etree.Element("sup")
        sup.set("class", "citation-needed")
        sup.set("id", anchor)
        sup.text = "[citation needed]"
        text = statement_text(data[: m.start(0)])
        state.statements.append(Statement(KIND_NEEDED, text, (), anchor))
        return sup, m.start(0), m.end(0)


class DisputedProcessor(_MarkerProcessor):
    def handleMatch(self, m, data):  # noqa: N802
        keys = _keys(m.group(1))
        state = self._state()
        index = sum(1 for s in state.statements if s.kind == KIND_DISPUTED) + 1
        holder = etree.Element("span")
        mark = etree.SubElement(holder, "sup")
        mark.set("class", "disputed")
        mark.set("id", f"disputed-ref-{index}")
        link = etree.SubElement(mark, "a")
        link.set("href", f"#disputed-{index}")
        link.text = "[sources disagree]"
        self._superscripts(keys, holder)
        state.statements.append(
            Statement(
                KIND_DISPUTED, statement_text(data[: m.start(0)]), keys, f"disputed-ref-{index}"
            )
        )
        return _unwrap(holder), m.start(0), m.end(0)


def _unwrap(holder):
    """One element for the inline tree: the single child, or the span holding several."""
    children = list(holder)
    return children[0] if len(children) == 1 else holder


class ReferenceExtension(Extension):
    """Registers the three markers; the state is reset by the caller for each rendering."""

    def __init__(self, state: ReferenceState, **kwargs):
        self.state = state
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802
        def getter():
            return self.state

        md.inlinePatterns.register(
            DisputedProcessor(DISPUTED_PATTERN, md, getter), "disputed", PRIORITY + 2
        )
        md.inlinePatterns.register(
            NeededProcessor(NEEDED_PATTERN, md, getter), "citation-needed", PRIORITY + 1
        )
        md.inlinePatterns.register(CiteProcessor(CITE_PATTERN, md, getter), "cite", PRIORITY)


_REFERENCE_SUP = re.compile(
    r'<sup class="reference" id="cite-ref-(\d+)-(\d+)"><a href="#cite-note-\d+"([^>]*)>\[\d+\]</a>'
)
_DISPUTED_SUP = re.compile(r'<sup class="disputed" id="disputed-ref-(\d+)"><a href="#disputed-\d+"')
_ANY_ANCHOR = re.compile(r'id="((?:cite|disputed|needed)-ref-[\d-]+)"')


def finalise(html: str, state: ReferenceState) -> str:
    """Number references and disputes in document order, as readers read them.

    python-markdown does not process blocks in document order (a list can be
    handled before the paragraph above it), so the numbers given while parsing
    are put in reading order here, and the statements sorted the same way.
    """
    position = {anchor: index for index, anchor in enumerate(_ANY_ANCHOR.findall(html))}
    renamed: dict[str, str] = {}
    new_number: dict[int, int] = {}
    uses: dict[int, int] = {}

    def reference(match):
        old, old_use, rest = int(match[1]), match[2], match[3]
        number = new_number.setdefault(old, len(new_number) + 1)
        uses[number] = uses.get(number, 0) + 1
        renamed[f"cite-ref-{old}-{old_use}"] = f"cite-ref-{number}-{uses[number]}"
        return (
            f'<sup class="reference" id="cite-ref-{number}-{uses[number]}">'
            f'<a href="#cite-note-{number}"{rest}>[{number}]</a>'
        )

    html = _REFERENCE_SUP.sub(reference, html)
    disputes: dict[str, int] = {}

    def disputed(match):
        index = disputes.setdefault(match[1], len(disputes) + 1)
        renamed[f"disputed-ref-{match[1]}"] = f"disputed-ref-{index}"
        return f'<sup class="disputed" id="disputed-ref-{index}"><a href="#disputed-{index}"'

    html = _DISPUTED_SUP.sub(disputed, html)
    state.numbers_by_source = {
        source: new_number[old]
        for source, old in state.numbers_by_source.items()
        if old in new_number
    }
    state.uses_by_number = uses
    ordered = sorted(state.statements, key=lambda s: position.get(s.anchor, len(position)))
    state.statements = [
        Statement(s.kind, s.text, s.keys, renamed.get(s.anchor, s.anchor)) for s in ordered
    ]
    return html
