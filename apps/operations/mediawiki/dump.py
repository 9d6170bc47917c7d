"""Reading a MediaWiki XML export as a stream: its site, then page by page, revision by revision.

The XML is read by mwxml's element stream (``mwxml.element_iterator``: expat under
``iterparse``, each element cleared once read, so memory stays flat with the dump's
size). The pages and revisions are mapped here rather than by mwxml's own ``Page`` and
``Revision`` classes, because those refuse elements real exports carry (``<upload>``,
a page's ``<sha1>``, ``<discussionthreadinginfo>``) and accept revisions MediaWiki's
importer refuses (a slot with no role or no text). The rules and messages below are
MediaWiki's (``WikiImporter``), so a dump MediaWiki refuses is refused here too.

A dump that is not one (another root element, an unknown schema, broken or cut-off XML)
raises :class:`DumpError` naming the page and, for broken XML, the line.
"""

import bz2
import gzip
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from mwxml.element_iterator import ElementIterator
from mwxml.errors import MalformedXML

# Export schemas MediaWiki has written (0.3 in 2007 to 0.11 since MediaWiki 1.35).
SCHEMA_VERSIONS = {f"0.{minor}" for minor in range(3, 12)}
_SCHEMA_IN_NAMESPACE = re.compile(r"\{http://www\.mediawiki\.org/xml/export-(\d+\.\d+)/\}")
# The slot roles this importer knows (MediaWiki's own, and the media info of Wikimedia
# Commons); text in any other role is refused, as MediaWiki refuses a role it has not
# registered. Only the main slot's text is imported.
KNOWN_SLOT_ROLES = {"main", "mediainfo"}
# The content models MediaWiki and its common extensions register; a revision in another
# is refused with MediaWiki's message. Only wikitext becomes an article.
KNOWN_MODELS = {
    "wikitext",
    "text",
    "css",
    "sanitized-css",
    "javascript",
    "json",
    "Scribunto",
    "wikibase-item",
    "wikibase-property",
    "wikibase-mediainfo",
    "flow-board",
    "MassMessageListContent",
    "GadgetDefinition",
    "proofread-page",
    "proofread-index",
}
MAIN_NAMESPACE, TALK_NAMESPACE, FILE_NAMESPACE, CATEGORY_NAMESPACE = 0, 1, 6, 14

_MAGIC_7Z = b"7z\xbc\xaf\x27\x1c"


class DumpError(Exception):
    """The file is not a dump this importer can read; the message says where and why."""


@dataclass(frozen=True)
class SiteInfo:
    name: str = ""
    base: str = ""  # the address of the main page, as <base> gives it
    generator: str = ""
    case: str = "first-letter"
    # Namespace number -> its local name ("Kategorie" on a German wiki), and aliases.
    namespaces: dict[int, str] = field(default_factory=dict)

    def namespace_names(self, number: int) -> set[str]:
        """Every name a link may use for the namespace: the local one and MediaWiki's own."""
        names = {CANONICAL_NAMESPACES.get(number, "")}
        if number in self.namespaces:
            names.add(self.namespaces[number])
        if number == FILE_NAMESPACE:
            names.add("Image")
        return {name.casefold() for name in names if name}


CANONICAL_NAMESPACES = {
    -2: "Media",
    -1: "Special",
    1: "Talk",
    2: "User",
    3: "User talk",
    4: "Project",
    5: "Project talk",
    6: "File",
    7: "File talk",
    8: "MediaWiki",
    9: "MediaWiki talk",
    10: "Template",
    11: "Template talk",
    12: "Help",
    13: "Help talk",
    14: "Category",
    15: "Category talk",
}


@dataclass(frozen=True)
class DumpRevision:
    id: int | None
    timestamp: datetime
    text: str | None  # None when the dump hides it (deleted) or carries none
    comment: str = ""
    user: str | None = None  # None for an IP editor or a hidden name
    user_id: int | None = None
    ip: str | None = None
    sha1: str = ""
    parent_id: int | None = None
    model: str = "wikitext"
    minor: bool = False


@dataclass
class DumpPage:
    id: int | None
    title: str  # with its namespace prefix, spaces not underscores
    namespace: int
    redirect: str | None
    revisions: Iterator[DumpRevision]

    @property
    def name(self) -> str:
        """The title without its namespace prefix."""
        if self.namespace == MAIN_NAMESPACE or ":" not in self.title:
            return self.title
        return self.title.split(":", 1)[1].strip()


class Dump:
    """One export: ``site`` (its <siteinfo>, or an empty one) and its pages, in order."""

    def __init__(self, stream: IO[bytes]):
        self._lines = _LineCounter(stream)
        try:
            root = ElementIterator.from_file(self._lines)
        except ParseError as error:
            raise DumpError(self._parse_message(error, None)) from error
        except MalformedXML as error:
            raise DumpError(f"This is not a MediaWiki export: {error}") from error
        if _local(root.element.tag) != "mediawiki":
            raise DumpError(
                f"This is not a MediaWiki export: expected '<mediawiki>' tag, "
                f"got '<{_local(root.element.tag)}>' tag."
            )
        self.schema = _schema_version(root.element)
        self._root = root
        self._children = iter(root)
        self._first: ElementIterator | None = None
        self.site = SiteInfo()
        self._current_title: str | None = None
        first = self._next_child()
        if first is not None and first.tag == "siteinfo":
            self.site = _site_info(first)
        else:
            self._first = first

    def __iter__(self) -> Iterator[DumpPage]:
        while True:
            element = self._first if self._first is not None else self._next_child()
            self._first = None
            if element is None:
                return
            if element.tag == "page":
                yield self._page(element)
            # <logitem> and anything newer than this importer are passed over, as
            # MediaWiki passes over what it does not handle.

    @property
    def line(self) -> int:
        return self._lines.line

    def _next_child(self) -> ElementIterator | None:
        try:
            return next(self._children)
        except StopIteration:
            return None
        except ParseError as error:
            raise DumpError(self._parse_message(error, self._current_title)) from error
        except MalformedXML as error:
            raise DumpError(f"The XML is broken near line {self.line}: {error}") from error

    def _parse_message(self, error: ParseError, title: str | None) -> str:
        line, column = getattr(error, "position", (self._lines.line, 0))
        where = f" in the page “{title}”" if title else ""
        reason = str(error).split(": line ", 1)[0]
        if reason in ("no element found", "unclosed token"):
            return (
                f"The file ends before the dump does{where} (line {line}): it was cut off. "
                "Nothing of that page was imported."
            )
        return f"The XML is broken{where} at line {line}, column {column}: {reason}."

    def _page(self, element: ElementIterator) -> DumpPage:
        title, namespace, page_id, redirect = "", None, None, None
        children = iter(element)
        first_revision = None
        with self._xml_errors(title):
            for child in children:
                tag = child.tag
                if tag == "title":
                    title = " ".join((child.text or "").replace("_", " ").split())
                    self._current_title = title
                elif tag == "ns":
                    namespace = _integer(child.text, "ns", title)
                elif tag == "id":
                    page_id = _integer(child.text, "id", title)
                elif tag == "redirect":
                    redirect = (child.attr("title") or "").replace("_", " ").strip() or None
                elif tag == "revision":
                    first_revision = child
                    break
                # <restrictions>, <sha1>, <discussionthreadinginfo>: nothing this wiki keeps.
        if not title:
            raise DumpError(f"A page without a title near line {self.line}.")
        if namespace is None:
            namespace = self._namespace_of(title)
        return DumpPage(
            id=page_id,
            title=title,
            namespace=namespace,
            redirect=redirect,
            revisions=self._revisions(first_revision, children, title),
        )

    @contextmanager
    def _xml_errors(self, title: str) -> Iterator[None]:
        """Broken XML met while reading a page: a DumpError naming the page and line."""
        try:
            yield
        except ParseError as error:
            raise DumpError(self._parse_message(error, title or self._current_title)) from error
        except MalformedXML as error:
            raise DumpError(
                f"The XML is broken in the page “{title}” near line {self.line}: {error}"
            ) from error

    def _revisions(
        self, first: ElementIterator | None, children: Iterator[ElementIterator], title: str
    ) -> Iterator[DumpRevision]:
        if first is not None:
            with self._xml_errors(title):
                revision = self._revision(first, title)
            yield revision
        while True:
            with self._xml_errors(title):
                child = next(children, None)
                if child is None:
                    return
                if child.tag != "revision":
                    # <upload> (a file's history) is not imported: files come from --images.
                    continue
                revision = self._revision(child, title)
            yield revision

    def _namespace_of(self, title: str) -> int:
        if ":" not in title:
            return MAIN_NAMESPACE
        prefix = title.split(":", 1)[0].strip().casefold()
        for number in set(CANONICAL_NAMESPACES) | set(self.site.namespaces):
            if prefix in self.site.namespace_names(number):
                return number
        return MAIN_NAMESPACE

    def _revision(self, element: ElementIterator, title: str) -> DumpRevision:
        values: dict[str, Any] = {}
        main_text: str | None = None
        has_text = False
        for child in element:
            tag = child.tag
            if tag == "id":
                values["id"] = _integer(child.text, "revision id", title)
            elif tag == "parentid":
                values["parent_id"] = _integer(child.text, "parentid", title)
            elif tag == "timestamp":
                values["timestamp"] = _timestamp(child.text, title)
            elif tag == "contributor":
                values.update(_contributor(child))
            elif tag == "minor":
                values["minor"] = True
            elif tag == "comment":
                values["comment"] = "" if child.attr("deleted") is not None else child.text or ""
            elif tag == "model":
                values["model"] = _model((child.text or "").strip())
            elif tag == "sha1":
                values["sha1"] = (child.text or "").strip()
            elif tag == "text":
                has_text = True
                if child.attr("deleted") is None:
                    main_text = child.text or ""
            elif tag == "content":
                role, text = _slot(child, title)
                if role == "main":
                    has_text, main_text = True, text
            # <format>, <origin>: nothing this wiki keeps.
        if not has_text:
            raise DumpError(f"Missing text field in import (page “{title}”).")
        if "timestamp" not in values:
            raise DumpError(f"A revision of “{title}” has no timestamp.")
        return DumpRevision(text=main_text, **values)


def _slot(element: ElementIterator, title: str) -> tuple[str, str | None]:
    role, text, has_text, model = None, None, False, ""
    for child in element:
        if child.tag == "role":
            role = (child.text or "").strip()
        elif child.tag == "model":
            model = (child.text or "").strip()
        elif child.tag == "text":
            has_text = True
            text = None if child.attr("deleted") is not None else child.text or ""
    if not role:
        raise DumpError(f"Missing role for imported slot (page “{title}”).")
    if model:
        _model(model)
    if role not in KNOWN_SLOT_ROLES:
        raise DumpError(f"Undefined slot role {role} (page “{title}”).")
    if not has_text:
        raise DumpError(f"Missing text field in import (page “{title}”, slot {role}).")
    return role, text


def _model(model: str) -> str:
    if model and model not in KNOWN_MODELS:
        raise DumpError(f"The content model '{model}' is not registered on this wiki.")
    return model or "wikitext"


def _contributor(element: ElementIterator) -> dict[str, Any]:
    if element.attr("deleted") is not None:
        return {}
    found: dict[str, Any] = {}
    for child in element:
        if child.tag == "username":
            found["user"] = " ".join((child.text or "").replace("_", " ").split()) or None
        elif child.tag == "id":
            found["user_id"] = int(child.text) if (child.text or "").strip().isdigit() else None
        elif child.tag == "ip":
            found["ip"] = (child.text or "").strip() or None
    return found


def _site_info(element: ElementIterator) -> SiteInfo:
    values: dict[str, Any] = {"namespaces": {}}
    for child in element:
        tag = child.tag
        if tag == "sitename":
            values["name"] = (child.text or "").strip()
        elif tag == "base":
            values["base"] = (child.text or "").strip()
        elif tag == "generator":
            values["generator"] = (child.text or "").strip()
        elif tag == "case":
            values["case"] = (child.text or "").strip()
        elif tag == "namespaces":
            for namespace in child:
                key = namespace.attr("key")
                name = (namespace.text or "").strip()
                if key is not None and key.lstrip("-").isdigit() and name:
                    values["namespaces"][int(key)] = name
    return SiteInfo(**values)


def _schema_version(root: Any) -> str:
    version = root.attrib.get("version")
    if version is None:
        found = _SCHEMA_IN_NAMESPACE.match(root.tag)
        version = found[1] if found else None
    if version is None:
        raise DumpError("This export does not say its schema version (<mediawiki version=…>).")
    if version not in SCHEMA_VERSIONS:
        raise DumpError(
            f"This export uses schema version {version}, which this importer does not know "
            f"(it reads 0.3 to 0.11)."
        )
    return str(version)


def _integer(text: str | None, what: str, title: str) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        raise DumpError(f"The {what} of “{title or 'a page'}” is not a number: {text!r}.") from None


def _timestamp(text: str | None, title: str) -> datetime:
    try:
        moment = datetime.fromisoformat((text or "").strip().replace("Z", "+00:00"))
    except ValueError:
        raise DumpError(f"A revision of “{title}” has a broken timestamp: {text!r}.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _LineCounter(io.RawIOBase):
    """Hands the parser the dump's bytes and counts the lines it has read so far."""

    def __init__(self, stream: IO[bytes]):
        self._stream = stream
        self.line = 1

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self.line += chunk.count(b"\n")
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def looks_like_a_dump(head: bytes) -> bool:
    """Whether a file's first bytes are those of an export: packed, or XML."""
    if head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:6] == _MAGIC_7Z:
        return True
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def open_dump(path: str) -> IO[bytes]:
    """The dump's XML as a binary stream, whatever it is packed in (.gz, .bz2, .7z, none).

    Judged by the file's first bytes, not its name. A 7z archive (Fandom's dumps) is
    unpacked by the 7z program as a stream; without the program the message says so.
    """
    with open(path, "rb") as probe:
        head = probe.read(6)
    if head[:2] == b"\x1f\x8b":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if head[:3] == b"BZh":
        return bz2.open(path, "rb")
    if head == _MAGIC_7Z:
        return _seven_zip(path)
    return open(path, "rb")  # noqa: SIM115 - the caller closes it


def _seven_zip(path: str) -> IO[bytes]:
    program = next((name for name in ("7z", "7za", "7zz") if shutil.which(name)), None)
    if program is None:
        raise DumpError(
            "This dump is a 7z archive, and the 7z program is not installed "
            "(Debian: apt-get install p7zip-full). Or unpack it first: 7z x FILE."
        )
    process = subprocess.Popen(  # noqa: S603 - a fixed program and the operator's file
        [program, "x", "-so", path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdout is not None
    return process.stdout
