"""The wiki's Markdown dialect: how a fan's text becomes safe HTML, and what it says.

The dialect is python-markdown (``extra``-style tables, definition lists,
footnotes, fenced code, abbreviations, ``toc`` heading ids, ``sane_lists``) plus
three things of the wiki's own:

- **reference markers** after a statement: ``[@1]`` or ``[@1, 3]`` cite the
  revision's citations by key, ``[citation needed]`` asks for one, and
  ``[disputed @1 @2]`` says the cited sources disagree (:mod:`.references`);
- **wiki links** ``[[Article title]]`` and ``[[Article title|shown text]]``
  (:mod:`.wikilinks`);
- **spoiler sections** ``!!! spoiler S03E05`` over an indented block
  (:mod:`.spoiler_sections`).

Everything ends in one nh3 allow-list: http, https and mailto links only, with
``rel="nofollow noopener noreferrer ugc"``; no style or event attributes; ids
and classes only in the shapes the dialect generates. Nothing else in the
project marks user text as safe. Pathological input is refused with
:class:`MarkdownTooComplex` rather than rendered slowly (:func:`check_limits`,
which callers that validate a body use too).

This package is a leaf: pure functions over strings, no models, no database,
no other app of the project. Its public entry points, one per job:

- :func:`render_markdown` — a body as safe HTML (the editor's preview; markers
  show their citation keys);
- :func:`render_with_references` — a revision's body against its citations
  (key → source id): the HTML readers see, numbered by source in reading
  order, and the statements, uses and mistakes the markers made;
- :func:`strip_markers` and :func:`plain_text` — text without markers (for
  statements and diffs) and a whole body as readable text (for search);
- :func:`marker_keys` and :func:`renumber_markers` — the citation keys the
  markers name, and the same text with keys renamed (for merges);
- :func:`wikilink_targets` — the slugs rendered HTML links to;
- :func:`apply_reader_settings` — stored HTML as one reader sees it: spoilers
  beyond their point closed, links to articles not written yet marked;
- :func:`drop_external_images` — stored HTML without images from elsewhere
  (only the site's uploads are shown, :mod:`.images`).
"""

from .contents import table_of_contents
from .images import drop_external_images, external_image_message
from .limits import MarkdownTooComplex, check_limits
from .plaintext import plain_text
from .references import (
    KIND_CITED,
    KIND_DISPUTED,
    KIND_NEEDED,
    ReferenceState,
    Statement,
    marker_keys,
    renumber_markers,
    strip_markers,
)
from .rendering import render_discussion, render_markdown, render_with_references
from .serving import apply_reader_settings
from .spoiler_sections import spoiler_section_codes
from .wikilinks import wikilink_source_targets, wikilink_targets, wikilinks_as_text

__all__ = [
    "table_of_contents",
    "external_image_message",
    "KIND_CITED",
    "KIND_DISPUTED",
    "KIND_NEEDED",
    "MarkdownTooComplex",
    "ReferenceState",
    "Statement",
    "apply_reader_settings",
    "check_limits",
    "drop_external_images",
    "marker_keys",
    "plain_text",
    "render_discussion",
    "render_markdown",
    "render_with_references",
    "spoiler_section_codes",
    "renumber_markers",
    "strip_markers",
    "wikilink_source_targets",
    "wikilink_targets",
    "wikilinks_as_text",
]
