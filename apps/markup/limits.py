"""Bounds on the work one body may ask of the renderer, checked before it runs.

python-markdown's cost grows faster than the text in several places, so a
hostile body of the allowed size could hold a worker for a minute or more.
:func:`check_limits` refuses such a body at once, with a message naming the
limit, without rendering it; a body within every limit renders in well under a
second. The renderer calls it first, and so does every caller that validates a
body (the editor's form and preview, the services through the renderer).

Measured on the development machine (2 cores, Python 3.11.7, Markdown 3.11.3
and nh3 0.3.8), rendering alone, before these limits; "→" is the same shape cut to the
limit:

- ``"# h\\n" * 25000`` (100,000 characters, one block): over 60 s (the block
  processors for tables, headings, rules and admonitions re-test the rest of a
  block for each line: quadratic in its lines). 4,000 heading lines in one
  block: 1.25 s; 8,000 setext lines: 2.15 s; 5,000 distinct headings: 2.0 s.
  → ``MAX_BLOCK_LINES``: blocks of 500 lines, ten of them, 0.30-0.45 s.
- 25,000 headings in blocks of 100: 1.9 s; 33,333 one-line paragraphs: 1.2 s
  (about 75 µs a heading, linear). → ``MAX_LINES``: 3,000 lines, 0.25 s.
- ``">" * 100000`` or ``"> " * 50000`` (a quote inside a quote... on one
  line): 1.1-1.5 s; ``"1. " * 3000`` exhausts the recursion limit. →
  ``MAX_DEPTH``: 10 levels.
- ``"\\\\*" * 50000`` in one paragraph: 8.7 s (each inline match rebuilds the
  paragraph's text: quadratic in its length). → 1,000 ``\\``: 0.17 s.
- ``"a<" * 50000``: 9.7 s (the standard library's HTML parser looks for the end
  of every tag to the end of the text); 1,000 unclosed ``<a`` in 100,000
  characters of words: 1.9 s. → ``MAX_TAGS``: 100 tag starts, 0.24 s.
- ``"_a_ " * 25000`` in one paragraph 0.75 s, ``"*_" * 50000`` 0.91 s. →
  10,000 each of ``*``, ``_`` and backticks: under 0.2 s.
- ``"[](" * 10000``: half a minute (link parsing, quadratic in open brackets);
  200 unclosed ``[`` in a 100,000-character paragraph: 3.8 s. → 1,000 ``[``
  and 2,000 ``(``, and the renderer's link scan bounded to 2,000 characters
  (``rendering.MAX_LINK_SCAN``): 1,000 unclosed ``[`` there, 0.2-0.4 s.

After the limits every body of tests/markup/pathological.py is refused in
under 0.05 s or renders in under 0.6 s (the load of the machine varies).
Legitimate articles are far inside these: 50 KB of ordinary paragraphs is about
a hundred lines; a 300-row table is one block of 302 lines (40 ms).

A hard time budget was not used: python-markdown cannot be interrupted from
another thread, and an alarm signal only reaches the main thread.
"""

import re


class MarkdownTooComplex(ValueError):
    """The text cannot be rendered within reasonable time and memory."""


MAX_LENGTH = 100_000
MAX_LINES = 3_000
MAX_BLOCK_LINES = 500
MAX_DEPTH = 10
# Characters whose count bounds a cost that grows faster than the text (see above).
MAX_CHARACTERS = {
    "[": 1_000,
    "(": 2_000,
    "\\": 1_000,
    "*": 10_000,
    "_": 10_000,
    "`": 10_000,
}

# The quote and list markers that open a line: each is one level of nesting. Each
# repeat consumes a marker, so the pattern is linear in the line's length.
_CONTAINERS = re.compile(r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])))+")
_MARKER = re.compile(r">|[-+*]|\d{1,9}[.)]")
# "* * *" and "- - -" are horizontal rules, not lists inside lists.
_RULE = re.compile(r"[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_TAB_WIDTH = 4
# What python-markdown's HTML parser takes for the start of a tag.
_TAG_START = re.compile(r"<[A-Za-z/!?]")
MAX_TAGS = 100


def _indent_columns(line: str) -> int:
    stripped = line.lstrip(" \t")
    return len(line[: len(line) - len(stripped)].expandtabs(_TAB_WIDTH))


def _depth(line: str) -> int:
    """How many quotes and lists a line opens or sits in (markers, then indentation)."""
    match = _CONTAINERS.match(line)
    if match is None or _RULE.fullmatch(line):
        return 0
    prefix = match[0]
    markers = len(_MARKER.findall(prefix))
    return markers + _indent_columns(line) // _TAB_WIDTH


def check_limits(text: str) -> None:
    """Raise MarkdownTooComplex, naming the limit, if ``text`` asks too much of the renderer."""
    if len(text) > MAX_LENGTH:
        raise MarkdownTooComplex(
            f"The text is too long to render: at most {MAX_LENGTH:,} characters; "
            f"it has {len(text):,}."
        )
    for character, limit in MAX_CHARACTERS.items():
        count = text.count(character)
        if count > limit:
            raise MarkdownTooComplex(
                f"The text has too many “{character}” to render: at most {limit:,}; "
                f"it has {count:,}."
            )
    tags = len(_TAG_START.findall(text))
    if tags > MAX_TAGS:
        raise MarkdownTooComplex(
            f"The text has too many HTML tags to render (“<” followed by a letter, “/”, “!” "
            f"or “?”): at most {MAX_TAGS:,}; it has {tags:,}."
        )
    lines = 0
    block_start = block_lines = 0
    # Line ends as python-markdown reads them: "\r\n", "\r" and "\n".
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        if not line.strip(" \t"):
            if block_lines > MAX_BLOCK_LINES:
                raise MarkdownTooComplex(
                    f"A paragraph or block may have at most {MAX_BLOCK_LINES:,} lines; the one "
                    f"starting at line {block_start:,} has {block_lines:,}. Put a blank line "
                    "between its parts."
                )
            block_lines = 0
            continue
        lines += 1
        if block_lines == 0:
            block_start = number
        block_lines += 1
        depth = _depth(line)
        if depth > MAX_DEPTH:
            raise MarkdownTooComplex(
                f"The text is nested too deeply: quotes and lists may be nested at most "
                f"{MAX_DEPTH} deep; line {number:,} is nested {depth:,} deep."
            )
    if lines > MAX_LINES:
        raise MarkdownTooComplex(
            f"The text may have at most {MAX_LINES:,} lines (blank lines not counted); "
            f"it has {lines:,}."
        )
