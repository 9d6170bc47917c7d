"""Markdown as plain readable text, for search documents and snippets."""

import re

from .references import strip_markers
from .spoiler_sections import SPOILER_BLOCK
from .wikilinks import wikilinks_as_text

_BLOCK_MARKUP = re.compile(r"^[ \t]*(?:#{1,6}|>[> \t]*|[-+]|\d{1,9}[.)])[ \t]+", re.M)


def plain_text(body: str) -> str:
    """A Markdown body as one line of readable text, without its spoiler sections.

    Reference markers, link and formatting syntax and block markers (headings,
    quotes, list bullets) go; wiki links keep the text they show.
    """
    text = SPOILER_BLOCK.sub(" ", body)
    text = wikilinks_as_text(text)
    text = _BLOCK_MARKUP.sub("", strip_markers(text))
    return " ".join(text.split())
