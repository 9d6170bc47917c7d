"""The one Markdown renderer: python-markdown, then an nh3 allow-list.

Article pages, the stored HTML of every revision and the editor's live preview
all come through :func:`render_markdown` or :func:`render_with_references`.
Nothing else in the project marks user text as safe.
"""

import re
from collections.abc import Callable
from typing import TypeVar

import markdown
import nh3
from django.utils.text import slugify
from markdown.inlinepatterns import InlineProcessor, LinkInlineProcessor

from .images import IMG_TAG, external_image_message, is_upload, upload_prefixes
from .limits import MarkdownTooComplex, check_limits
from .references import ReferenceExtension, ReferenceState, finalise, generated_id_pattern
from .spoiler_sections import CODE_ATTRIBUTE, SpoilerExtension
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

_T = TypeVar("_T")

URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer ugc"


def _heading_slug(value: str, separator: str) -> str:
    return "h-" + (slugify(value) or "section")[:78]


def _attribute_filter(
    extra_ids: re.Pattern[str] | None, dropped_images: list[str]
) -> Callable[[str, str, str], str | None]:
    uploads = upload_prefixes()

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src" and not is_upload(value, uploads):
            dropped_images.append(value)
            return None
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


# How far past a "[" python-markdown may look for the "]" that closes a link's text
# and the ")" that closes its address. Its own scan walks, one character at a time
# in Python, to the end of the paragraph: 200 unclosed "[" in a paragraph of
# 100,000 characters took 3.8 s. Bounded, the same text takes 0.1 s; a link's text
# or address longer than this is no link (it shows as typed).
MAX_LINK_SCAN = 2_000


def _bounded(scan: Callable[[str, int], _T]) -> Callable[[str, int], _T]:
    def bounded(data: str, index: int) -> _T:
        return scan(data[: index + MAX_LINK_SCAN], index)

    return bounded


# The footnote marker "[^label]" with a label of at most 200 characters: the
# extension's own pattern looks for the "]" to the end of the paragraph from
# every "[^".
_FOOTNOTE_MARKER = re.compile(r"\[\^([^\]]{0,200})\]", re.DOTALL | re.UNICODE)


def _bound_link_scans(md: markdown.Markdown) -> markdown.Markdown:
    footnote = md.inlinePatterns["footnote"]
    assert isinstance(footnote, InlineProcessor)  # as the footnotes extension registers it
    footnote.compiled_re = _FOOTNOTE_MARKER
    for processor in md.inlinePatterns:
        if isinstance(processor, LinkInlineProcessor):
            # Instance attributes: only this Markdown instance's processors change.
            processor.getText = _bounded(processor.getText)  # type: ignore[method-assign,assignment]
            processor.getLink = _bounded(processor.getLink)  # type: ignore[method-assign,assignment]
    return md


def _markdown(references: ReferenceState, *, markers: bool = True) -> markdown.Markdown:
    # A fresh instance per call: python-markdown instances keep state (footnotes, toc).
    md = markdown.Markdown(
        extensions=[
            *([ReferenceExtension(references)] if markers else []),
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
    return _bound_link_scans(md)


def sanitise_html(
    html: str,
    *,
    extra_ids: re.Pattern[str] | None = None,
    dropped_images: list[str] | None = None,
) -> str:
    """Keep only the allow-listed tags, attributes, classes, ids and URL schemes.

    An image whose address is not one of the site's uploads is dropped whole
    (its address is added to ``dropped_images`` when given).
    """
    dropped = dropped_images if dropped_images is not None else []
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_attribute_filter(extra_ids, dropped),
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    # nh3 keeps an <img> whose src was filtered out: drop every image left without one.
    return IMG_TAG.sub(lambda tag: tag[0] if ' src="' in tag[0] else "", html)


# The page's title is its only <h1>; a top-level heading in the text becomes a
# section heading, like "##", which is what most fans write for sections.
_H1_TAG = re.compile(r"<(/?)h1\b", re.IGNORECASE)


def render_markdown(text: str) -> str:
    """Turn Markdown written by a user into HTML that is safe to show to anyone.

    Reference markers show their citation keys (the editor's preview knows no
    sources). Raises MarkdownTooComplex for pathological input (see .limits).
    """
    return render_with_references(text, None)[0]


def render_discussion(text: str) -> str:
    """As render_markdown, for what people say about a text (talk posts, review comments):
    reference markers such as ``[@3]`` stay as written, for they cite nothing there."""
    return render_with_references(text, None, markers=False)[0]


def render_with_references(
    text: str, sources_by_key: dict[int, int] | None, *, markers: bool = True
) -> tuple[str, ReferenceState]:
    """Render a revision's text against its citations (citation key -> source id).

    Returns the safe HTML and what the markers said: reference numbers, uses,
    statements, unknown keys. Raises MarkdownTooComplex, before any rendering,
    for a text beyond the limits of :func:`.limits.check_limits`.
    """
    text = text or ""
    check_limits(text)
    references = ReferenceState(sources_by_key=sources_by_key)
    try:
        html = _markdown(references, markers=markers).convert(text)
    except RecursionError as exc:
        raise MarkdownTooComplex(
            "The text is nested too deeply (lists or quotes inside each other) to render."
        ) from exc
    dropped_images: list[str] = []
    html = sanitise_html(
        _H1_TAG.sub(r"<\1h2", html),
        extra_ids=re.compile(generated_id_pattern(references.nonce)),
        dropped_images=dropped_images,
    )
    references.external_images.extend(dropped_images)
    references.problems.extend(external_image_message(src) for src in dropped_images)
    return finalise(html, references), references
