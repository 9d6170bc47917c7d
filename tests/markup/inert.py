"""Checks on rendered HTML: parsed as a browser would, never matched as substrings.

The standard library's HTML parser decodes character references in attribute
values like a browser, so a payload that survives in another spelling still fails.
"""

import re
from html.parser import HTMLParser

SAFE_SCHEMES = {None, "http", "https", "mailto"}

# Tags that must never come out of the renderer, whatever the input.
FORBIDDEN_TAGS = {
    "base", "body", "button", "embed", "form", "frame", "frameset", "head", "html", "iframe",
    "input", "link", "math", "meta", "noscript", "object", "script", "select", "style", "svg",
    "template", "textarea", "video", "audio", "h1", "span", "font", "marquee",
}  # fmt: skip

URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "data", "background", "poster"}


class _Element:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = dict(attrs)
        self.text = ""

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self._open = []

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, attrs)
        self.elements.append(element)
        self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(_Element(tag, attrs))

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data


def parse(html):
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


def find(html, tag):
    return [element for element in parse(html) if element.tag == tag]


def url_scheme(url):
    """The scheme a browser would see in ``url`` (WHATWG URL parsing), or None if relative."""
    url = url.strip("".join(chr(c) for c in range(0x21)))  # C0 controls and space
    url = re.sub(r"[\t\n\r]", "", url)
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


def assert_inert(html):
    """Nothing in ``html`` can run script, restyle the page or leave the allow-list."""
    for element in parse(html):
        assert element.tag not in FORBIDDEN_TAGS, (element, html)
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element, html)
            assert name != "style", (element, html)
            assert ":" not in name, (element, html)  # xlink:href and friends
            if name in URL_ATTRIBUTES:
                assert url_scheme(value or "") in SAFE_SCHEMES, (element, html)
    assert "<!--" not in html
