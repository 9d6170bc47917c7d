"""The one Markdown renderer: python-markdown, then an nh3 allow-list.

Article pages, the stored HTML of every revision and the editor's live preview
all come through :func:`render_markdown` or :func:`render_with_references`.
Nothing else in the project marks user text as safe.
"""

import re
from collections.abc import Callable

import markdown
import nh3
from django.utils.text import slugify

from .references import ReferenceExtension, ReferenceState, finalise, generated_id_pattern
from .spoilers import CODE_ATTRIBUTE, SpoilerExtension
from .wikilinks import WikiLinkExtension

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre",
    "q", "s", "sub", "summary", "sup", "strong", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "details": {"open", "data-spoiler"},
}

# Classes the footnote extension and the reference markers need; nothing else keeps a class.
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref", "wikilink"},
    "details": {"spoiler"},
    "div": {"footnote"},
    "sup": {"reference", "reference-error", "citation-needed", "disputed"},
}

# ids are kept only in the shapes the extensions produce, so user text cannot
# plant an arbitrary id on the page (DOM clobbering). The prefixes ("fn:",
# "fnref:", "fnref2:", "h-") mean no kept id is a valid JavaScript identifier.
# - footnotes: "fn:<label>" and "fnref:<label>", "fnref2:<label>"... for a note
#   cited more than once; the label is the user's ("[^1]", "[^note]").
# - headings (toc): "h-" + a Django slug (ASCII letters, digits, "-" and "_"),
#   then "_1", "_2"... when a heading repeats.
_ALLOWED_ID = re.compile(r"(?:fn|fnref\d*):[\w.:-]{1,80}|h-[a-z0-9_-]{1,100}")
# Reference markers' ids are allowed only with the nonce of the rendering that
# made them (see references.generated_id_pattern); finalise() renames them.

URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer ugc"


def _heading_slug(value: str, separator: str) -> str:
    return "h-" + (slugify(value) or "section")[:78]


def _attribute_filter(
    extra_ids: re.Pattern[str] | None,
) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id" and not (
            _ALLOWED_ID.fullmatch(value) or (extra_ids and extra_ids.fullmatch(value))
        ):
            return None
        if attribute == "data-spoiler" and not CODE_ATTRIBUTE.fullmatch(value):
            return None
        if attribute == "class" and not ALLOWED_CLASSES.get(tag, set()).intersection(value.split()):
            # nh3 filters the class list itself, but would leave an empty class="".
            return None
        return value

    return keep


def _markdown(references: ReferenceState) -> markdown.Markdown:
    # A fresh instance per call: python-markdown instances keep state (footnotes, toc).
    return markdown.Markdown(
        extensions=[
            ReferenceExtension(references),
            WikiLinkExtension(),
            SpoilerExtension(),
            "markdown.extensions.admonition",
            "markdown.extensions.abbr",
            "markdown.extensions.def_list",
            "markdown.extensions.fenced_code",
            "markdown.extensions.footnotes",
            "markdown.extensions.tables",
            "markdown.extensions.sane_lists",
            "markdown.extensions.toc",
        ],
        extension_configs={
            "markdown.extensions.tables": {"use_align_attribute": True},
            "markdown.extensions.toc": {"slugify": _heading_slug},
        },
        output_format="html",
    )


def sanitise_html(html: str, *, extra_ids: re.Pattern[str] | None = None) -> str:
    """Keep only the allow-listed tags, attributes, classes, ids and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_attribute_filter(extra_ids),
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


# The page's title is its only <h1>; a top-level heading in the text becomes a
# section heading, like "##", which is what most fans write for sections.
_H1_TAG = re.compile(r"<(/?)h1\b", re.IGNORECASE)


# python-markdown's link parsing is quadratic in the number of open brackets
# (10,000 of them take half a minute), and deep nesting exhausts its recursion.
MAX_BRACKETS = 1000


class MarkdownTooComplex(ValueError):
    """The text cannot be rendered within reasonable time and memory."""


def render_markdown(text: str) -> str:
    """Turn Markdown written by a user into HTML that is safe to show to anyone.

    Reference markers show their citation keys (the editor's preview knows no
    sources). Raises MarkdownTooComplex for pathological input (see MAX_BRACKETS).
    """
    return render_with_references(text, None)[0]


def render_with_references(
    text: str, sources_by_key: dict[int, int] | None
) -> tuple[str, ReferenceState]:
    """Render a revision's text against its citations (citation key -> source id).

    Returns the safe HTML and what the markers said: reference numbers, uses,
    statements, unknown keys.
    """
    text = text or ""
    for bracket, limit in (("[", MAX_BRACKETS), ("(", MAX_BRACKETS * 2)):
        if text.count(bracket) > limit:
            raise MarkdownTooComplex(
                f"The text has too many brackets to render (more than {limit:,} “{bracket}”)."
            )
    references = ReferenceState(sources_by_key=sources_by_key)
    try:
        html = _markdown(references).convert(text)
    except RecursionError as exc:
        raise MarkdownTooComplex(
            "The text is nested too deeply (lists or quotes inside each other) to render."
        ) from exc
    html = sanitise_html(
        _H1_TAG.sub(r"<\1h2", html),
        extra_ids=re.compile(generated_id_pattern(references.nonce)),
    )
    return finalise(html, references), references
