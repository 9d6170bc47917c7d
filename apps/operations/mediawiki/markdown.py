"""The wiki's Markdown back to wikitext, for export_mediawiki: what the importer reads back
to the same text (wikitext.convert is its inverse on everything this writes).

Citation markers become ``<ref name="cN">{{cite …}}</ref>`` (the first use) and
``<ref name="cN"/>`` (the others), with the source's fields as the template's
parameters; ``[citation needed]`` becomes ``{{citation needed}}``; a spoiler section
becomes ``{{Spoiler|S03E05}}`` … ``{{Spoiler end}}``. Text that wikitext would read as
markup is put in ``<nowiki>``.
"""

import re
from collections.abc import Callable

from apps.citations.models import Source, SourceKind

from .wikitext import NO_LOCATOR

CITE_TEMPLATES = {
    SourceKind.WEB: "cite web",
    SourceKind.BOOK: "cite book",
    SourceKind.EPISODE: "cite episode",
    SourceKind.INTERVIEW: "cite interview",
    SourceKind.PODCAST: "cite podcast",
    SourceKind.SOCIAL: "cite tweet",
    SourceKind.PRESS: "cite press release",
    SourceKind.DVD: "cite dvd",
    SourceKind.WIKI: "cite web",
}

SPOILER_END = "{{Spoiler end}}"
_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST = re.compile(r"^((?:    )*)(- |\* |\+ |\d+\. )(.*)$")
_QUOTE = re.compile(r"^((?:>\s?)+)(.*)$")
_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})\s*$")
_TABLE_SEPARATOR = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")
_SPOILER = re.compile(r"^!!!\s*spoiler\s+(\S+)\s*$", re.IGNORECASE)
_INLINE = re.compile(
    r"(?P<escape>\\(?P<escaped>[\\`*_{}\[\]()#+\-.!|<>~]))"
    r"|(?P<code>(?P<ticks>`+)\s?(?P<code_text>.+?)\s?(?P=ticks))"
    r"|(?P<image>!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\))"
    r"|(?P<wikilink>\[\[(?P<target>[^\]|]+)(?:\|(?P<label>[^\]]+))?\]\])"
    r"|(?P<marker>\[@\s*(?P<keys>\d{1,4}(?:\s*,\s*@?\s*\d{1,4})*)\s*\])"
    r"|(?P<needed>\[citation needed\])"
    r"|(?P<disputed>\[disputed(?P<disputed_keys>(?:\s*,?\s*@\s*\d{1,4})*)\s*\])"
    r"|(?P<link>\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\))"
    r"|(?P<autolink><(?P<auto>(?:https?://|mailto:)[^>\s]+)>)"
    r"|(?P<bold>\*\*(?P<bold_text>.+?)\*\*)"
    r"|(?P<italic>(?<![\w*])\*(?P<italic_text>[^*\s](?:.*?[^*\s])?)\*(?![\w*]))"
    r"|(?P<under>(?<!\w)_(?P<under_text>[^_\s](?:.*?[^_\s])?)_(?!\w))"
    r"|(?P<html></?(?:br|sup|sub|del|s|ins|kbd|q|abbr)\s*/?>)"
    r"|(?P<lt>&lt;)",
    re.IGNORECASE,
)
_SPECIAL = re.compile(r"\[|\]|\{|\}|<|>|''|~~~|__[A-Z]+__")
_LINE_START = re.compile(r"^[*#:;= ]|^----|^\{\|")
_KEYS = re.compile(r"\d{1,4}")


def cite_template(source: Source, *, quote: str = "", locator: str = "") -> str:
    """A source (and what a citation says of it) as wikitext: a citation template, or its
    words for a source that is only words."""
    if source.kind == SourceKind.OTHER and not source.url:
        return template_value(source.title)
    name = CITE_TEMPLATES.get(SourceKind(source.kind), "cite web")
    publisher = "network" if source.kind == SourceKind.EPISODE else "publisher"
    params = [
        ("title", source.title),
        ("url", source.url),
        ("archive-url", source.archive_url),
        ("author", source.author),
        (publisher, source.publisher),
        ("date", source.published_date.isoformat() if source.published_date else ""),
        ("access-date", source.accessed_date.isoformat() if source.accessed_date else ""),
        ("quote", quote),
        ("at", "" if locator == NO_LOCATOR else locator),
    ]
    written = "".join(
        f" |{key}={template_value(value) if key not in ('url', 'archive-url') else _address(value)}"
        for key, value in params
        if value
    )
    return f"{{{{{name}{written}}}}}"


def to_wikitext(body: str, ref: Callable[[int], str]) -> str:
    """A body as wikitext; ``ref(key)`` writes the reference for a citation's marker."""
    out: list[str] = []
    lines = body.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = _FENCE.match(line)
        if fence:
            end = index + 1
            while end < len(lines) and not lines[end].startswith(fence[1]):
                end += 1
            out.append(_code_block(fence[2].strip(), lines[index + 1 : end]))
            index = end + 1
            continue
        spoiler = _SPOILER.match(line)
        if spoiler:
            end = index + 1
            while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end]):
                end += 1
            inner = "\n".join(
                text[4:] if text.startswith("    ") else text.lstrip()
                for text in lines[index + 1 : end]
            )
            out.append(
                f"{{{{Spoiler|{spoiler[1]}}}}}\n{to_wikitext(inner.strip(), ref)}\n{SPOILER_END}"
            )
            index = end
            continue
        if (
            line.startswith("|")
            and index + 1 < len(lines)
            and _TABLE_SEPARATOR.match(lines[index + 1])
        ):
            end = index + 2
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            out.append(_table(line, lines[index + 2 : end], ref))
            index = end
            continue
        out.append(_line(line, ref))
        index += 1
    return "\n".join(out)


def _line(line: str, ref: Callable[[int], str]) -> str:
    if not line.strip():
        return ""
    heading = _HEADING.match(line)
    if heading:
        marks = "=" * len(heading[1])
        return f"{marks} {_inline(heading[2], ref)} {marks}"
    if _RULE.match(line):
        return "----"
    listed = _LIST.match(line)
    if listed:
        depth = len(listed[1]) // 4 + 1
        mark = "#" if listed[2][0].isdigit() else "*"
        return mark * depth + " " + _inline(listed[3], ref)
    quoted = _QUOTE.match(line)
    if quoted:
        return ":" * quoted[1].count(">") + " " + _inline(quoted[2], ref)
    text = _inline(line.strip(), ref)
    return "<nowiki/>" + text if _LINE_START.match(text) else text


def _inline(text: str, ref: Callable[[int], str]) -> str:
    out: list[str] = []
    plain: list[str] = []

    def flush() -> None:
        if plain:
            out.append(_plain("".join(plain)))
            plain.clear()

    position = 0
    for found in _INLINE.finditer(text):
        plain.append(text[position : found.start()])
        position = found.end()
        if found["escape"]:
            plain.append(found["escaped"])
            continue
        if found["lt"]:
            plain.append("<")
            continue
        flush()
        out.append(_token(found, ref))
    plain.append(text[position:])
    flush()
    return "".join(out)


def _token(found: re.Match[str], ref: Callable[[int], str]) -> str:
    if found["code"]:
        code = found["code_text"]
        if code.startswith("{{") and code.endswith("}}"):
            return code  # a template the import could not convert: back as it was
        return (
            f"<code><nowiki>{code}</nowiki></code>"
            if _SPECIAL.search(code)
            else f"<code>{code}</code>"
        )
    if found["image"]:
        name = found["src"].rsplit("/", 1)[-1]
        return f"[[File:{name}|{_plain(found['alt'])}]]"
    if found["wikilink"]:
        label = found["label"]
        return f"[[{found['target']}|{label}]]" if label else f"[[{found['target']}]]"
    if found["marker"]:
        return "".join(ref(int(key)) for key in _KEYS.findall(found["keys"]))
    if found["needed"]:
        return "{{citation needed}}"
    if found["disputed"]:
        keys = _KEYS.findall(found["disputed_keys"] or "")
        return "{{disputed inline}}" + "".join(ref(int(key)) for key in keys)
    if found["link"]:
        return f"[{_address(found['href'])} {_inline(found['text'], lambda key: '')}]"
    if found["autolink"]:
        return _address(found["auto"])
    if found["bold"]:
        return "'''" + _inline(found["bold_text"], ref) + "'''"
    if found["italic"] or found["under"]:
        inner = found["italic_text"] if found["italic"] else found["under_text"]
        return "''" + _inline(inner, ref) + "''"
    return found[0]  # allowed HTML (<br>, <sup>…), the same in wikitext


def _plain(text: str) -> str:
    """Text as wikitext that shows it as it is."""
    if not _SPECIAL.search(text):
        return text
    return "<nowiki>" + text.replace("</nowiki>", "&lt;/nowiki>") + "</nowiki>"


def _code_block(language: str, lines: list[str]) -> str:
    if language == "wikitext":
        return "\n".join(lines)  # kept by the import as it was: back as it was
    return "<pre>" + "\n".join(lines).replace("</pre>", "&lt;/pre>") + "</pre>"


def _table(header: str, rows: list[str], ref: Callable[[int], str]) -> str:
    def cells(row: str) -> list[str]:
        inner = row.strip()
        inner = inner[1:] if inner.startswith("|") else inner
        inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
        return [cell.strip().replace("\\|", "&#124;") for cell in re.split(r"(?<!\\)\|", inner)]

    lines = ['{| class="wikitable"', "! " + " !! ".join(_inline(c, ref) for c in cells(header))]
    for row in rows:
        lines += ["|-", "| " + " || ".join(_inline(c, ref) for c in cells(row))]
    lines.append("|}")
    return "\n".join(lines)


def template_value(text: str) -> str:
    """A template parameter's value: what would end or split it written as entities."""
    return (
        " ".join(str(text).split())
        .replace("&", "&amp;")
        .replace("|", "&#124;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
        .replace("[", "&#91;")
        .replace("]", "&#93;")
        .replace("<", "&lt;")
        .replace("=", "&#61;")
    )


def _address(url: str) -> str:
    return url.replace(" ", "%20").replace("[", "%5B").replace("]", "%5D").replace("|", "%7C")
