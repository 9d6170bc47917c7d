"""Spoiler sections: blocks of an article that reveal a later episode.

Fans write them with the admonition syntax and the episode they reveal::

    !!! spoiler S03E05
        Jim and Pam get engaged at a rest stop.

The renderer turns them into ``<details class="spoiler" data-spoiler="S03E05" open>``:
open for everyone in the stored HTML. :func:`close_spoilers` closes the ones
beyond a reader's "watched up to" point when a page is served.
"""

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# An episode as the spoiler syntax accepts it: S02E22, s2e22 or 2x22 (the
# catalog's shorthand, which the catalog parses for itself: markup is a leaf).
_CODE = re.compile(r"s(\d{1,2})e(\d{1,3})|(\d{1,2})x(\d{1,3})", re.IGNORECASE)
# The one spelling the stored HTML carries, which the sanitiser keeps.
CODE_ATTRIBUTE = re.compile(r"S\d{2}E\d{2,3}")

# A spoiler section in Markdown: its "!!! spoiler" line and the indented lines under it.
SPOILER_BLOCK = re.compile(r"^!!![ \t]*spoiler\b.*(?:\n(?:[ \t]+.*|[ \t]*(?=\n)))*", re.I | re.M)

_SPOILER_OPEN = re.compile(r'<details class="spoiler" data-spoiler="S(\d{2})E(\d{2,3})" open="">')


def spoiler_code(word: str) -> tuple[int, int] | None:
    """(season, episode) from one word of a spoiler line, or None."""
    match = _CODE.fullmatch(word)
    if not match:
        return None
    season, number = (match[1], match[2]) if match[1] else (match[3], match[4])
    return int(season), int(number)


def _code_text(code: tuple[int, int]) -> str:
    return f"S{code[0]:02d}E{code[1]:02d}"


class SpoilerTreeprocessor(Treeprocessor):
    """Turn admonition blocks of class "spoiler <code>" into <details> elements."""

    def run(self, root: etree.Element) -> None:
        for div in list(root.iter("div")):
            classes = (div.get("class") or "").split()
            if "admonition" not in classes or "spoiler" not in classes:
                continue
            code = next((c for c in map(spoiler_code, classes) if c is not None), None)
            title = div.find("p")
            div.tag = "details"
            div.attrib.clear()
            div.set("class", "spoiler")
            if code is not None:
                div.set("data-spoiler", _code_text(code))
            div.set("open", "open")
            label = f"Spoiler: reveals {_code_text(code)}" if code else "Spoiler"
            if title is not None and title.get("class") == "admonition-title":
                title.tag = "summary"
                title.attrib.clear()
                title.text = label
            else:
                summary = etree.Element("summary")
                summary.text = label
                div.insert(0, summary)


class SpoilerExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - python-markdown's name
        # After the block parser has built the admonitions, before inline processing.
        md.treeprocessors.register(SpoilerTreeprocessor(md), "spoiler", 25)


def spoiler_section_codes(body: str) -> list[tuple[int, int]]:
    """The episodes the spoiler sections of a Markdown body reveal."""
    codes = []
    for block in SPOILER_BLOCK.finditer(body):
        line = block.group().partition("\n")[0]
        words = re.sub(r"^!!![ \t]*spoiler\b", "", line, flags=re.I).split()
        codes += [code for code in map(spoiler_code, words) if code is not None][:1]
    return codes


def close_spoilers(html: str, *, watched: tuple[int, int]) -> str:
    """Close the spoiler sections of stored HTML that reveal episodes after ``watched``."""

    def close(match: re.Match[str]) -> str:
        if (int(match[1]), int(match[2])) <= watched:
            return match[0]
        return f'<details class="spoiler spoiler-later" data-spoiler="S{match[1]}E{match[2]}">'

    return _SPOILER_OPEN.sub(close, html)
