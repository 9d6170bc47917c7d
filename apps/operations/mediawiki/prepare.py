"""What can be done to a revision without the database: convert its wikitext, compose the
text it will have (with its provenance line), and render it. The importer runs this in
worker processes while it writes earlier pages (importer._Ahead), or in its own process.

Rendering needs to know which citations cite the same source (they share a number), not
which rows those sources are: a source is known here by its identity (its normalised
address, or its kind, title and publisher), exactly as the importer finds or makes its
row, so the numbering is the one the rows would give.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from apps.citations.models import http_url_validator
from apps.citations.normalise import normalise_url
from apps.markup import ReferenceState
from apps.wiki.citing import rendered_by_ids

from .dump import SiteInfo
from .wikitext import IMAGE_MARK, Converted, Reference, convert

HIDDEN_TEXT = "*The text of this version was hidden on the other wiki.*"

SourceIdentity = tuple[str, ...]


@dataclass
class Prepared:
    converted: Converted
    body: str = ""  # the text to store, when composed here (no file to store first)
    provenance_key: int = 0
    html: str = ""
    references: ReferenceState | None = None
    refused: list[str] = field(default_factory=list)  # why it cannot be stored as converted

    @property
    def composed(self) -> bool:
        return bool(self.body)


def source_values(kind: str, fields: dict[str, object]) -> tuple[SourceIdentity, dict[str, object]]:
    """A source's fields as they will be stored, and the identity that finds its row."""
    values = {key: value for key, value in fields.items() if value not in ("", None)}
    for key in ("url", "archive_url"):
        if key in values:
            address = normalise_url(str(values[key]))
            try:
                http_url_validator(address)
            except ValidationError:
                address = ""
            if address and len(address) <= 500:
                values[key] = address
            else:
                values.pop(key)
    values["title"] = str(values.get("title") or values.get("url") or "Untitled source")[:300]
    for key in ("author", "publisher"):
        if key in values:
            values[key] = str(values[key])[:200]
    url = str(values.get("url", ""))
    if url:
        return ("url", url), values
    title, publisher = str(values["title"]).casefold(), str(values.get("publisher", "")).casefold()
    return (kind, title, publisher), values


def compose(
    text: str | None,
    converted: Converted,
    provenance_line: str,
    image: Callable[[re.Match[str]], str] | None = None,
) -> tuple[str, list[Reference], int]:
    """The text a version is stored with (its converted text, files shown or left out, and
    the provenance line with its marker), its references, and the provenance's key."""
    if text is None:
        body, references = HIDDEN_TEXT, []
    else:
        body, references = converted.body.strip(), converted.references
        body = IMAGE_MARK.sub(image or (lambda mark: ""), body)
        body = re.sub(r"\n{3,}", "\n\n", body).strip()
    key = max((ref.key for ref in references), default=0) + 1
    return f"{body}\n\n{provenance_line}[@{key}]\n", references, key


def prepare(
    text: str | None,
    site: SiteInfo,
    provenance_line: str,
    provenance: tuple[str, dict[str, object]],
    *,
    compose_here: bool,
) -> Prepared:
    """Convert a revision's wikitext; when ``compose_here`` (no file of it to store first),
    compose its text and render it as write_imported would."""
    converted = convert(text or "", site)
    if not compose_here:
        return Prepared(converted)
    body, references, key = compose(text, converted, provenance_line)
    numbers: dict[SourceIdentity, int] = {}
    source_ids = {
        ref.key: numbers.setdefault(source_values(ref.kind, ref.fields)[0], len(numbers) + 1)
        for ref in references
    }
    kind, fields = provenance
    source_ids[key] = numbers.setdefault(source_values(kind, fields)[0], len(numbers) + 1)
    prepared = Prepared(converted, body=body, provenance_key=key)
    try:
        prepared.html, prepared.references = rendered_by_ids(body, source_ids)
    except ValidationError as error:
        prepared.refused = list(error.messages)
    return prepared
