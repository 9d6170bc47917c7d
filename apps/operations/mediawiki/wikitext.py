"""Wikitext to the wiki's Markdown dialect, with its references as structured sources.

mwparserfromhell parses the text into nodes (templates, links, tags, headings); this
module writes each node as Markdown and collects what the text says besides its prose:
references (``<ref>`` → a citation marker ``[@n]`` and a :class:`Reference`),
categories, the redirect target, an episode infobox, files, and every template it has
no mapping for (kept visible as code and counted, so the fidelity report lists them).

Pure functions over strings, no database: the importer decides what becomes a row.
Nothing here is trusted to be safe: the Markdown goes through the one renderer (its
allow-list) like any fan's text. Links keep only http, https and mailto addresses, tags
keep no attributes, and script and style contents are dropped.
"""

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from apps.citations.models import SourceKind

from .dump import CATEGORY_NAMESPACE, FILE_NAMESPACE, SiteInfo

# What a citation says when the reference gave neither a quote nor a page or time: the
# citation rule (a quote or a locator) holds, and the text says why it is thin.
NO_LOCATOR = "not given (imported reference)"
TITLE_LENGTH = 300
QUOTE_LENGTH = 500
LOCATOR_LENGTH = 100

# Line-level constructs, resolved by _tidy once the whole text is written.
_INDENT, _TERM, _TERM_END, _BLOCK = "\x00", "\x01", "\x02", "\x03"
# {{disputed inline}} before its references; a spoiler section's start (with its episode)
# and end: resolved by _tidy into the dialect's [disputed @1 @2] and "!!! spoiler S03E05".
_DISPUTED, _SPOILER_START, _SPOILER_END = "\x06", "\x07", "\x08"
_EPISODE_CODE = re.compile(r"[Ss](\d{1,2})[Ee](\d{1,3})|(\d{1,2})x(\d{1,3})")
# Where a file is shown: _IMAGE, its number in Converted.files, "|", its alt text, _IMAGE.
_IMAGE = "\x05"
IMAGE_MARK = re.compile(_IMAGE + r"(\d+)\|([^" + _IMAGE + r"]*)" + _IMAGE)
_IMAGE_OPTION = re.compile(
    r"thumb|thumbnail|frame|frameless|border|left|right|center|centre|none|upright(?:=.*)?"
    r"|\d*x?\d+px|(?:alt|link|page|class|lang)=.*|baseline|middle|sub|super|top|bottom",
    re.IGNORECASE,
)
_BLOCK_PLACEHOLDER = re.compile(_BLOCK + r"(\d+)" + _BLOCK)
_SWITCH = re.compile(r"__[A-Z]{3,20}__")
_REDIRECT = re.compile(r"^\s*#[^\s\[]+\s*:?\s*\[\[([^\]|]+)", re.IGNORECASE)
_LINE_START_MARKUP = re.compile(r"^([ \t]*)([#>+=|-]|\d+[.)]|!!!)", re.MULTILINE)
_DISPUTED_MARKERS = re.compile(_DISPUTED + r"\s*\[@([\d, ]+)\]")
_ADJACENT_MARKERS = re.compile(r"\[@([\d, ]+)\]\s*\[@([\d, ]+)\]")
_FIRST_NUMBER = re.compile(r"\d+")
_LIST_SPACING = re.compile(r"^((?:    )*(?:- |1\. |(?:> )+))\s+")
_URL_SCHEMES = ("http://", "https://", "mailto:")
# References already parsed, by their wikitext (the last few thousand).
_REFERENCES: "dict[str, Reference | None]" = {}
_REFERENCES_KEPT = 4096

_CITE_KINDS = {
    "cite web": SourceKind.WEB,
    "cite news": SourceKind.WEB,
    "cite magazine": SourceKind.WEB,
    "cite journal": SourceKind.WEB,
    "cite book": SourceKind.BOOK,
    "cite episode": SourceKind.EPISODE,
    "cite video": SourceKind.INTERVIEW,
    "cite av media": SourceKind.INTERVIEW,
    "cite interview": SourceKind.INTERVIEW,
    "cite podcast": SourceKind.PODCAST,
    "cite tweet": SourceKind.SOCIAL,
    "cite press release": SourceKind.PRESS,
    "cite dvd": SourceKind.DVD,
    "cite dvd notes": SourceKind.DVD,
    "citation": SourceKind.WEB,
}
_CITE_FIELDS = {
    "title": ("title", "script-title", "trans-title", "episode", "chapter"),
    "url": ("url", "chapter-url", "chapterurl"),
    "archive_url": ("archive-url", "archiveurl"),
    "author": (
        "author",
        "authors",
        "author1",
        "last",
        "last1",
        "subject",
        "interviewee",
        "people",
        "host",
    ),
    "publisher": (
        "publisher",
        "work",
        "website",
        "newspaper",
        "magazine",
        "journal",
        "network",
        "station",
        "program",
        "series",
        "via",
    ),
    "published_date": ("date", "air-date", "airdate", "publication-date", "year"),
    "accessed_date": ("access-date", "accessdate"),
}
_CITE_LOCATORS = ("page", "pages", "p", "pp", "at", "time", "minutes", "timecaption", "loc")
_CITATION_NEEDED = {"citation needed", "cn", "fact", "citation-needed", "citeneeded", "cite needed"}
# Templates that point readers to other pages ({{Main|Page}}): a line of wiki links.
_HATNOTES = {
    "main": "Main article",
    "main article": "Main article",
    "see also": "See also",
    "seealso": "See also",
    "further": "Further reading",
    "details": "Details",
}
_DROPPED_TEMPLATES = {"reflist", "references", "refs", "notelist", "clear", "-", "toc", "notoc"}
_DROPPED_MAGIC = ("defaultsort:", "defaultsortkey:", "displaytitle:")
_INLINE_TEMPLATES = {"!": "|", "=": "=", "!!": "||", "'": "'", "nbsp": "&nbsp;", "ndash": "–"}
_EPISODE_FIELDS = {
    "series": ("series", "show"),
    "title": ("title", "name", "episode_name"),
    "season": ("season", "season_number", "season_num", "seasonnumber", "series_no"),
    "number": (
        "episode",
        "episode_number",
        "episode_no",
        "episodenumber",
        "episode_num",
        "number",
        "ep",
        "epnum",
        "episodenum",
    ),
    "air_date": (
        "airdate",
        "air_date",
        "original_air_date",
        "aired",
        "us_airdate",
        "firstaired",
        "released",
    ),
    "production_code": (
        "production",
        "production_code",
        "prod_code",
        "prodcode",
        "productioncode",
    ),
}
_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%d %B %Y", "%b %d, %Y", "%d %b %Y", "%Y/%m/%d")
_EMPHASIS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
_KEPT_HTML = {"sup", "sub", "del", "s", "ins", "kbd", "q", "abbr"}
_TRANSPARENT = {
    "span",
    "div",
    "center",
    "font",
    "small",
    "big",
    "u",
    "p",
    "cite",
    "mark",
    "noinclude",
    "onlyinclude",
    "section",
}
_DROPPED_TAGS = {"includeonly", "script", "style", "templatedata", "references"}
_CODE_TAGS = {"pre", "syntaxhighlight", "source", "math", "code"}


@dataclass
class Reference:
    """One ``<ref>``: a source to find or create and what the citation says of it."""

    key: int
    kind: str
    fields: dict[str, object]
    quote: str = ""
    locator: str = NO_LOCATOR


@dataclass
class EpisodeInfo:
    """What an episode infobox says."""

    series: str = ""
    title: str = ""
    season: int | None = None
    number: int | None = None
    air_date: date | None = None
    production_code: str = ""


@dataclass
class Converted:
    body: str
    references: list[Reference] = field(default_factory=list)
    categories: list[tuple[str, str]] = field(default_factory=list)  # (name, sort key)
    redirect: str | None = None
    episode: EpisodeInfo | None = None
    files: list[str] = field(default_factory=list)  # by number, as IMAGE_MARK names them
    unmapped: Counter[str] = field(default_factory=Counter)  # template (or <tag>) → uses
    notes: list[str] = field(default_factory=list)  # what was kept in a weaker form


def redirect_target(text: str) -> str | None:
    """The page a ``#REDIRECT [[Target]]`` text leads to (its section dropped), if it is one."""
    found = _REDIRECT.match(text or "")
    if not found:
        return None
    return " ".join(found[1].split("#", 1)[0].replace("_", " ").split()) or None


def convert(text: str, site: SiteInfo | None = None) -> Converted:
    """The Markdown for a page's wikitext, and what it says besides its prose."""
    writer = _Writer(site or SiteInfo())
    body = writer.nodes(mwparserfromhell.parse(text or "").nodes)
    return writer.result(_tidy(body, writer.blocks), redirect_target(text or ""))


class _Writer:
    def __init__(self, site: SiteInfo):
        self.categories_ns = site.namespace_names(CATEGORY_NAMESPACE)
        self.files_ns = site.namespace_names(FILE_NAMESPACE)
        self.other_ns = {
            name for number in range(-2, 16) for name in site.namespace_names(number)
        } - self.categories_ns
        self.references: list[Reference] = []
        self.named: dict[str, int] = {}
        self.pending_names: dict[str, int] = {}
        self.categories: dict[str, str] = {}
        self.sort_key = ""
        self.episode: EpisodeInfo | None = None
        self.files: list[str] = []
        self.unmapped: Counter[str] = Counter()
        self.notes: list[str] = []
        self.blocks: list[str] = []
        self.spoilers_open = 0

    def result(self, body: str, redirect: str | None) -> Converted:
        for name in self.pending_names:
            self.notes.append(f"The reference named “{name}” is used but never given.")
        used = {ref.key for ref in self.references}
        body = _drop_markers(body, set(self.pending_names.values()) - used)
        return Converted(
            body=body,
            references=self.references,
            categories=[
                (name, key or self.sort_key) for name, key in sorted(self.categories.items())
            ],
            redirect=redirect,
            episode=self.episode,
            files=self.files,
            unmapped=self.unmapped,
            notes=self.notes,
        )

    # Nodes ----------------------------------------------------------------------------

    def nodes(self, nodes: list[Node]) -> str:
        out: list[str] = []
        index = 0
        while index < len(nodes):
            node = nodes[index]
            if _is_list_mark(node):
                markup = ""
                while index < len(nodes) and _is_list_mark(nodes[index]):
                    markup += str(nodes[index].wiki_markup)  # type: ignore[attr-defined]
                    index += 1
                out.append(self.list_prefix(markup, "".join(out)))
                continue
            out.append(self.node(node))
            index += 1
        return "".join(out)

    def node(self, node: Node) -> str:
        if isinstance(node, Text):
            return escape_text(_SWITCH.sub("", str(node.value)))
        if isinstance(node, HTMLEntity):
            return str(node)
        if isinstance(node, Comment):
            return ""
        if isinstance(node, Heading):
            level = max(2, min(int(node.level), 6))
            title = " ".join(self.nodes(node.title.nodes).split())
            return f"\n\n{'#' * level} {title}\n\n" if title else ""
        if isinstance(node, Wikilink):
            return self.wikilink(node)
        if isinstance(node, ExternalLink):
            return self.external_link(node)
        if isinstance(node, Template):
            return self.template(node)
        if isinstance(node, Tag):
            return self.tag(node)
        if isinstance(node, Argument):
            return escape_text(str(node))
        return escape_text(str(node))

    def inline(self, code: Wikicode | None) -> str:
        """Nodes written on one line (a link's text, a cell)."""
        if code is None:
            return ""
        return " ".join(self.nodes(code.nodes).replace(_INDENT, "").split())

    def list_prefix(self, markup: str, written: str) -> str:
        start = "" if not written or written.endswith("\n") else "\n"
        if markup.startswith(";"):
            # A term (";term : definition"): its line is written in bold.
            return start + _TERM
        if set(markup) == {":"}:
            if written and not written.endswith("\n") and _TERM in written.rsplit("\n", 1)[-1]:
                return _TERM_END
            return start + "> " * len(markup)
        depth = len(markup.lstrip(":;")) - 1
        bullet = "1. " if markup.endswith("#") else "- "
        return start + _INDENT * max(depth, 0) + bullet

    def wikilink(self, link: Wikilink) -> str:
        target = " ".join(str(link.title).replace("_", " ").split())
        label = self.inline(link.text) if link.text is not None else ""
        colon = target.startswith(":")
        target = target.lstrip(":").strip()
        prefix, _, rest = target.partition(":")
        namespace = prefix.strip().casefold() if rest else ""
        if namespace in self.categories_ns and not colon:
            name = " ".join(rest.split())
            if name:
                self.categories[name[0].upper() + name[1:]] = (
                    " ".join(str(link.text).split()) if link.text is not None else ""
                )
            return ""
        if namespace in self.files_ns and not colon:
            return self.image(" ".join(rest.split()), link)
        page = target.split("#", 1)[0].strip()
        if (
            namespace in self.other_ns
            or namespace in self.categories_ns
            or namespace in (self.files_ns)
        ):
            return label or escape_text(rest.strip() or target)
        if rest and re.fullmatch(r"[a-z][a-z-]{1,20}", namespace):
            # Interwiki ([[w:Foo]], [[wikipedia:Foo]]): the text, not a link to here.
            return label or escape_text(rest.strip())
        if not page:
            return label or escape_text(target.lstrip("#"))
        if label and label != page:
            return f"[[{page}|{label.replace('|', '/').replace(']]', '] ]')}]]"
        return f"[[{page}]]"

    def image(self, name: str, link: Wikilink) -> str:
        """A file shown on the page: a mark the importer replaces by the stored image (or
        drops, reporting the file missing). Its caption, if any, is its alt text."""
        if not name:
            return ""
        options = str(link.text).split("|") if link.text is not None else []
        caption = ""
        for option in reversed(options):
            words = " ".join(option.split())
            if words and not _IMAGE_OPTION.fullmatch(words):
                caption = " ".join(mwparserfromhell.parse(words).strip_code().split())
                break
        image = self.image_mark(name, caption)
        return f"\n\n{image}\n\n" if {"thumb", "frame", "thumbnail"} & set(options) else image

    def image_mark(self, name: str, alt: str) -> str:
        if name not in self.files:
            self.files.append(name)
        alt = (alt or name.rsplit(".", 1)[0]).replace(_IMAGE, "").replace("]", ")")
        return f"{_IMAGE}{self.files.index(name)}|{alt}{_IMAGE}"

    def external_link(self, link: ExternalLink) -> str:
        url = str(link.url).strip()
        label = self.inline(link.title) if link.title is not None else ""
        if url.startswith("//"):
            url = "https:" + url
        if not url.lower().startswith(_URL_SCHEMES):
            return label or escape_text(url)
        address = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        if not link.brackets:
            return f"<{address}>"
        return f"[{label or escape_text(url)}]({address})"

    def template(self, template: Template) -> str:
        raw_name = " ".join(str(template.name).replace("_", " ").split())
        name = raw_name.casefold().removeprefix("template:").strip()
        if name.startswith(_DROPPED_MAGIC):
            if name.startswith(("defaultsort:", "defaultsortkey:")):
                self.sort_key = raw_name.split(":", 1)[1].strip()
            return ""
        if name in _INLINE_TEMPLATES:
            return _INLINE_TEMPLATES[name]
        if name in _DROPPED_TEMPLATES:
            return ""
        if name in _CITATION_NEEDED:
            return "[citation needed]"
        if name in _HATNOTES:
            pages = [
                " ".join(str(param.value).replace("_", " ").split())
                for param in template.params
                if not param.showkey and str(param.value).strip()
            ]
            if pages:
                links = ", ".join(f"[[{page.split('#', 1)[0]}]]" for page in pages)
                return f"\n\n*{_HATNOTES[name]}: {links}*\n\n"
        if name in ("disputed inline", "disputed-inline", "dubious"):
            return _DISPUTED
        spoiler = _spoiler_code(template) if name in ("spoiler", "spoilers") else None
        if spoiler:
            self.spoilers_open += 1
            return f"\n\n{_SPOILER_START}{spoiler}\n\n"
        if name in ("spoiler end", "endspoiler", "end spoiler") and self.spoilers_open:
            self.spoilers_open -= 1
            return f"\n\n{_SPOILER_END}\n\n"
        if spoiler is None and _is_episode_infobox(name):
            self.episode = _episode(template)
            return ""
        if name in _CITE_KINDS:
            # A citation template outside <ref> (a "Sources" list): readable text.
            reference = _cite(template, 0, name)
            return escape_text(_describe(reference))
        self.unmapped[raw_name] += 1
        return self.kept(str(template))

    def kept(self, wikitext: str) -> str:
        """Wikitext this importer cannot convert, kept visible as code for a person to redo."""
        if "\n" not in wikitext.strip():
            fence = "`" * (max((len(run) for run in re.findall(r"`+", wikitext)), default=0) + 1)
            padding = " " if wikitext.startswith("`") or wikitext.endswith("`") else ""
            return f"{fence}{padding}{wikitext}{padding}{fence}"
        self.blocks.append("```wikitext\n" + wikitext.strip().replace("```", "` ` `") + "\n```")
        return f"\n\n{_BLOCK}{len(self.blocks) - 1}{_BLOCK}\n\n"

    def tag(self, tag: Tag) -> str:
        name = str(tag.tag).strip().casefold()
        if name == "ref":
            return self.reference(tag)
        if name == "references":
            # List-defined references: <references><ref name="x">…</ref></references>.
            if tag.contents is not None:
                for defined in tag.contents.filter_tags(recursive=False):
                    if str(defined.tag).strip().casefold() == "ref":
                        self.reference(defined)
            return ""
        if name in _DROPPED_TAGS:
            return ""
        if name == "br":
            return "<br>"
        if name == "hr":
            return "\n\n---\n\n"
        if name == "nowiki":
            return escape_text(str(tag.contents or ""))
        if name == "table":
            return self.table(tag)
        if name in _EMPHASIS:
            return _wrap(self.nodes(tag.contents.nodes) if tag.contents else "", _EMPHASIS[name])
        if name in _CODE_TAGS:
            text = re.sub(r"</?nowiki\s*/?>", "", str(tag.contents or ""))
            if "\n" in text.strip():
                self.blocks.append("```\n" + text.strip("\n").replace("```", "` ` `") + "\n```")
                return f"\n\n{_BLOCK}{len(self.blocks) - 1}{_BLOCK}\n\n"
            return self.kept(text.strip()) if text.strip() else ""
        if name in ("blockquote", "poem"):
            inner = self.nodes(tag.contents.nodes).strip() if tag.contents else ""
            joiner = "<br>\n" if name == "poem" else "\n"
            lines = [line.strip() for line in inner.split("\n")]
            if name == "blockquote":
                return "\n\n" + "\n".join("> " + line for line in lines) + "\n\n"
            return "\n\n" + joiner.join(line for line in lines if line) + "\n\n"
        if name == "gallery":
            marks = []
            for line in str(tag.contents or "").splitlines():
                file_name, _, caption = line.partition("|")
                prefix, _, rest = file_name.partition(":")
                if rest and prefix.strip().casefold() in self.files_ns:
                    file_name = rest
                file_name = " ".join(file_name.split())
                if file_name:
                    plain = " ".join(mwparserfromhell.parse(caption).strip_code().split())
                    marks.append(self.image_mark(file_name, plain))
            return "\n\n" + "\n\n".join(marks) + "\n\n" if marks else ""
        if name in _KEPT_HTML:
            inner = self.nodes(tag.contents.nodes) if tag.contents else ""
            return f"<{name}>{inner}</{name}>" if inner.strip() else ""
        if name in _TRANSPARENT:
            return self.nodes(tag.contents.nodes) if tag.contents else ""
        if name in ("li", "dt", "dd", "tr", "td", "th", "caption"):
            return self.nodes(tag.contents.nodes) if tag.contents else ""
        self.unmapped[f"<{name}>"] += 1
        return self.nodes(tag.contents.nodes) if tag.contents else ""

    def reference(self, tag: Tag) -> str:
        name = _attribute(tag, "name")
        contents = tag.contents if not tag.self_closing else None
        if contents is None or not str(contents).strip():
            if not name:
                return ""
            if name in self.named:
                return f"[@{self.named[name]}]"
            key = self.pending_names.get(name) or self._next_key()
            self.pending_names[name] = key
            return f"[@{key}]"
        if name and name in self.named:
            return f"[@{self.named[name]}]"
        key = self.pending_names.pop(name, 0) if name else 0
        reference = self.parse_reference(contents, key or self._next_key())
        if reference is None:
            return ""
        self.references.append(reference)
        if name:
            self.named[name] = reference.key
        return f"[@{reference.key}]"

    def _next_key(self) -> int:
        taken = {ref.key for ref in self.references} | set(self.pending_names.values())
        return max(taken, default=0) + 1

    def parse_reference(self, contents: Wikicode, key: int) -> Reference | None:
        """The reference a <ref>'s contents give (histories repeat the same references in
        every version: each is parsed once a process)."""
        raw = str(contents)
        found = _REFERENCES.get(raw)
        if found is None:
            found = self._parse_reference(contents)
            if len(_REFERENCES) >= _REFERENCES_KEPT:
                _REFERENCES.pop(next(iter(_REFERENCES)))
            _REFERENCES[raw] = found
        if found is None:
            self.notes.append("An empty reference was dropped.")
            return None
        return replace(found, key=key, fields=dict(found.fields))

    def _parse_reference(self, contents: Wikicode) -> Reference | None:
        key = 0
        for template in contents.filter_templates(recursive=False):
            name = " ".join(str(template.name).replace("_", " ").split()).casefold()
            if name in _CITE_KINDS:
                return _cite(template, key, name)
        links = contents.filter_external_links(recursive=False)
        text = " ".join(contents.strip_code().split())
        if links:
            url = str(links[0].url).strip()
            if url.startswith("//"):
                url = "https:" + url
            if url.lower().startswith(("http://", "https://")):
                title = text or (" ".join(str(links[0].title).split()) if links[0].title else "")
                return Reference(
                    key=key,
                    kind=SourceKind.WEB,
                    fields={"title": (title or url)[:TITLE_LENGTH], "url": url},
                )
        if not text:
            return None
        return Reference(key=key, kind=SourceKind.OTHER, fields={"title": text[:TITLE_LENGTH]})

    def table(self, tag: Tag) -> str:
        rows: list[list[tuple[bool, str]]] = []
        current: list[tuple[bool, str]] = []
        simple = True
        caption = ""
        for node in tag.contents.nodes if tag.contents else []:
            if isinstance(node, Tag) and str(node.tag) == "tr":
                if current:
                    rows.append(current)
                cells = []
                for cell in node.contents.nodes if node.contents else []:
                    if isinstance(cell, Tag) and str(cell.tag) in ("td", "th"):
                        simple = simple and self.simple_cell(cell)
                        cells.append((str(cell.tag) == "th", self.inline(cell.contents)))
                    elif str(cell).strip():
                        simple = False
                current = cells
                rows.append(current)
                current = []
            elif (
                isinstance(node, Tag)
                and str(node.tag) == "td"
                and not rows
                and not current
                and str(node.contents or "").startswith("+")
            ):
                # "|+ Caption" (mwparserfromhell reads it as a cell starting with "+").
                caption = " ".join(self.nodes(node.contents.nodes).removeprefix("\\+").split())
            elif isinstance(node, Tag) and str(node.tag) in ("td", "th"):
                simple = simple and self.simple_cell(node)
                current.append((str(node.tag) == "th", self.inline(node.contents)))
            elif isinstance(node, Tag) and str(node.tag) == "caption":
                caption = self.inline(node.contents)
            elif str(node).strip():
                simple = False
        if current:
            rows.append(current)
        rows = [row for row in rows if row]
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        if simple and all(len(row) == width for row in rows):
            lines = [_table_row(rows[0]), "|" + " --- |" * width]
            lines += [_table_row(row) for row in rows[1:]]
            text = "\n".join(lines)
        else:
            self.notes.append("A table with merged or multi-line cells was kept as a list.")
            text = "\n".join("- " + " · ".join(cell for _, cell in row) for row in rows)
        heading = f"**{caption}**\n\n" if caption else ""
        self.blocks.append(heading + text)
        return f"\n\n{_BLOCK}{len(self.blocks) - 1}{_BLOCK}\n\n"

    def simple_cell(self, cell: Tag) -> bool:
        spans = _attribute(cell, "rowspan") or _attribute(cell, "colspan")
        inner = str(cell.contents or "").strip()
        return not spans and "\n" not in inner and "{|" not in inner


# Helpers --------------------------------------------------------------------------------


def _is_list_mark(node: Node) -> bool:
    """The mark (``*``, ``#``, ``;`` or ``:``) that starts a list item, term or indent."""
    return isinstance(node, Tag) and node.tag in ("li", "dt", "dd") and bool(node.wiki_markup)


def escape_text(text: str) -> str:
    """Plain text as Markdown that shows it as it is (no accidental emphasis or markers)."""
    text = (
        text.replace("\\", "\\\\")
        .replace("`", "\\`")
        .replace("*", "\\*")
        .replace("[", "\\[")
        .replace("]", "\\]")
        .replace("<", "&lt;")
    )
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
    return _LINE_START_MARKUP.sub(lambda m: m[1] + "\\" + m[2], text)


def _wrap(inner: str, mark: str) -> str:
    if not inner.strip():
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{inner.strip()}{mark}{trail}"


def _attribute(tag: Tag, name: str) -> str:
    for attribute in tag.attributes:
        if str(attribute.name).strip().casefold() == name:
            return " ".join(str(attribute.value or "").strip().strip("\"'").split())
    return ""


def _table_row(row: list[tuple[bool, str]]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") or " " for _, cell in row) + " |"


def _param(template: Template, names: tuple[str, ...], *, raw: bool = False) -> str:
    for name in names:
        if template.has(name):
            value = template.get(name).value
            text = str(value).strip() if raw else value.strip_code().strip()
            if text:
                return " ".join(text.split())
    return ""


def _cite(template: Template, key: int, name: str) -> Reference:
    kind = _CITE_KINDS[name]
    fields: dict[str, object] = {}
    for field_name, params in _CITE_FIELDS.items():
        raw = field_name in ("url", "archive_url")
        value = _param(template, params, raw=raw)
        if field_name == "author" and value and template.has("first"):
            value = f"{_param(template, ('first', 'first1'))} {value}".strip()
        if field_name.endswith("_date"):
            fields[field_name] = parse_date(value)
        elif raw:
            if value.startswith("//"):
                value = "https:" + value
            fields[field_name] = value if value.lower().startswith(("http://", "https://")) else ""
        elif value:
            fields[field_name] = value[: 200 if field_name != "title" else TITLE_LENGTH]
    if not fields.get("title"):
        fields["title"] = (
            str(fields.get("url") or "") or str(fields.get("publisher") or "") or "Untitled source"
        )[:TITLE_LENGTH]
    if kind == SourceKind.WEB and not fields.get("url") and name == "citation":
        kind = SourceKind.BOOK
    quote = _param(template, ("quote",))[:QUOTE_LENGTH]
    locator = _param(template, _CITE_LOCATORS)[:LOCATOR_LENGTH]
    if locator and kind == SourceKind.BOOK and _FIRST_NUMBER.fullmatch(locator):
        locator = f"p. {locator}"
    return Reference(
        key=key,
        kind=kind,
        fields={k: v for k, v in fields.items() if v not in ("", None)},
        quote=quote,
        locator=locator or ("" if quote else NO_LOCATOR),
    )


def _describe(reference: Reference) -> str:
    parts = [str(reference.fields.get("title", ""))]
    for name in ("author", "publisher"):
        if reference.fields.get(name):
            parts.append(str(reference.fields[name]))
    when = reference.fields.get("published_date")
    if isinstance(when, date):
        parts.append(when.isoformat())
    url = reference.fields.get("url")
    return ", ".join(part for part in parts if part) + (f" ({url})" if url else "")


def parse_date(text: str) -> date | None:
    """A full date as citation templates and infoboxes write it; None for a year or month."""
    text = " ".join(text.replace(",", ", ").split()).replace(" ,", ",")
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, no zone
        except ValueError:
            continue
    return None


def _is_episode_infobox(name: str) -> bool:
    return "episode" in name and ("infobox" in name or "box" in name or name == "episode")


def _episode(template: Template) -> EpisodeInfo:
    info = EpisodeInfo()
    info.series = _param(template, _EPISODE_FIELDS["series"])[:200]
    info.title = _param(template, _EPISODE_FIELDS["title"])[:200]
    for name in ("season", "number"):
        found = _FIRST_NUMBER.search(_param(template, _EPISODE_FIELDS[name]))
        setattr(info, name, int(found[0]) if found and len(found[0]) <= 4 else None)
    info.production_code = _param(template, _EPISODE_FIELDS["production_code"])[:20]
    for param in _EPISODE_FIELDS["air_date"]:
        if not template.has(param):
            continue
        value = template.get(param).value
        for inner in value.filter_templates():
            numbers = [str(p.value).strip() for p in inner.params if str(p.value).strip().isdigit()]
            if len(numbers) >= 3:
                try:
                    info.air_date = date(*(int(n) for n in numbers[:3]))
                except ValueError:
                    info.air_date = None
                break
        if info.air_date is None:
            info.air_date = parse_date(value.strip_code().strip())
        if info.air_date is not None:
            break
    return info


def _spoiler_code(template: Template) -> str | None:
    """The episode a {{Spoiler|S03E05}} section is about, as S03E05; None for another."""
    if not template.has("1"):
        return None
    found = _EPISODE_CODE.fullmatch(template.get("1").value.strip_code().strip())
    if not found:
        return None
    season, number = (found[1], found[2]) if found[1] else (found[3], found[4])
    return f"S{int(season):02d}E{int(number):02d}"


def _spoiler_sections(text: str) -> str:
    """Lines between a spoiler's start and end marks, as the dialect's spoiler section."""
    out: list[str] = []
    inside = False
    for line in text.split("\n"):
        if line.startswith(_SPOILER_START):
            out.append(f"!!! spoiler {line[1:].strip()}")
            inside = True
        elif line.strip() == _SPOILER_END:
            inside = False
        elif inside and not line.strip() and out and out[-1].startswith("!!! spoiler"):
            continue  # the section's text starts on the line after its header
        else:
            out.append(("    " + line if line.strip() else "") if inside else line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))


def _drop_markers(body: str, keys: set[int]) -> str:
    for key in keys:
        body = body.replace(f"[@{key}]", "")
    return body


def _line_kind(line: str) -> str:
    stripped = line.lstrip(" ")
    if not stripped:
        return "blank"
    if re.match(r"(?:- |1\. )", stripped):
        return "list"
    if stripped.startswith("> "):
        return "quote"
    if stripped.startswith("#"):
        return "heading"
    return "text"


def _tidy(body: str, blocks: list[str]) -> str:
    """Resolve the line-level marks, separate blocks, and put the kept blocks back."""
    lines: list[str] = []
    previous = "blank"
    for raw in body.split("\n"):
        line = raw.lstrip(" \t").rstrip()
        line = line.replace(_INDENT, "    ")
        if line.startswith(_TERM):
            term, _, definition = line[1:].partition(_TERM_END)
            line = _wrap(term.strip(), "**") + (f": {definition.strip()}" if definition else "")
        line = _LIST_SPACING.sub(r"\1", line.replace(_TERM, "").replace(_TERM_END, ""))
        kind = _line_kind(line)
        if kind != "blank" and previous != "blank" and (kind != previous or kind == "heading"):
            lines.append("")
        lines.append(line)
        previous = kind
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    while True:
        merged = _ADJACENT_MARKERS.sub(lambda m: f"[@{m[1]}, {m[2]}]", text)
        if merged == text:
            break
        text = merged
    text = _DISPUTED_MARKERS.sub(
        lambda m: "[disputed " + " ".join(f"@{key}" for key in re.findall(r"\d+", m[1])) + "]",
        text,
    ).replace(_DISPUTED, "")
    text = _BLOCK_PLACEHOLDER.sub(lambda m: blocks[int(m[1])], text)
    return _spoiler_sections(text).strip() + "\n"
