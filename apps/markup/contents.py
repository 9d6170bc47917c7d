"""An article's table of contents, read from its rendered HTML.

The renderer gives every heading an id ("h-" and a slug, see rendering._ALLOWED_ID).
Headings inside a spoiler section are left out: the contents sit outside the fold
and would give the section away.
"""

import re
from dataclasses import dataclass
from html import unescape

MIN_SECTIONS = 3  # fewer, and a list of contents is only in the way
_SPOILER = re.compile(r'<details class="spoiler[^"]*"[^>]*>.*?</details>', re.DOTALL)
_HEADING = re.compile(r'<h([23]) id="(h-[a-z0-9_-]+)">(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Entry:
    level: int  # 2 or 3
    anchor: str
    text: str  # plain text: templates escape it


def table_of_contents(html: str) -> list[Entry]:
    """The h2 and h3 headings of rendered text, outside spoilers; empty below MIN_SECTIONS h2."""
    entries = [
        Entry(int(level), anchor, " ".join(unescape(_TAG.sub("", text)).split()))
        for level, anchor, text in _HEADING.findall(_SPOILER.sub("", str(html)))
    ]
    if sum(1 for entry in entries if entry.level == 2) < MIN_SECTIONS:
        return []
    return entries
