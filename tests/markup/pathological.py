"""Bodies that ask the most of the renderer: each is refused at once or renders fast.

The names say the shape; each is at most 100,000 characters, the longest body
the editor accepts. Most are cut just under a limit of apps/markup/limits.py,
so they render; the rest are far beyond one, so they are refused.
"""

FULL = 100_000


def fill(unit: str, length: int = FULL) -> str:
    """``unit`` repeated to ``length`` characters (whole units only)."""
    return unit * (length // len(unit))


def blocks(line: str, *, lines: int, per_block: int) -> str:
    """``lines`` copies of ``line`` (with ``{i}`` numbered) in blocks of ``per_block``."""
    out = []
    for i in range(lines):
        out.append(line.format(i=i) + "\n")
        if (i + 1) % per_block == 0:
            out.append("\n")
    return "".join(out)


def paragraph(unit: str, *, count: int, width: int = 200) -> str:
    """One paragraph holding ``count`` copies of ``unit``, padded with words, in lines."""
    text = unit * count
    pad = FULL - len(text) - 1000
    words = fill("trivia ", max(pad, 0))
    body = text + words
    return "\n".join(body[i : i + width] for i in range(0, len(body), width))


PATHOLOGICAL = {
    # Far beyond a limit: refused without rendering.
    "headings in one block": fill("# h\n"),
    "a run of quote markers": fill(">"),
    "quotes inside quotes": fill("> "),
    "quote lines in one block": fill("> a\n"),
    "setext headings in one block": fill("a\n=\n"),
    "rules in one block": fill("---\n"),
    "admonition lines": fill("!!! note\n"),
    "table rows in one block": "| a | b |\n| --- | --- |\n" + fill("| x | y |\n", FULL - 30),
    "list items in one block": fill("- x\n"),
    "ordered items nested on one line": fill("1. "),
    "deeply nested list": "".join("    " * i + "- x\n" for i in range(200)),
    "definition list": fill("a\n: b\n"),
    "emphasis characters": fill("*_"),
    "a run of stars": fill("*"),
    "escapes in one paragraph": fill("\\*"),
    "long line of *_[](": fill("*_[]("),
    "open links": fill("[]("),
    "reference markers": fill("[@1] "),
    "wiki links": fill("[[a]] "),
    "footnotes": "".join(f"x[^{i}]\n\n[^{i}]: y\n\n" for i in range(4000))[:FULL],
    "abbreviations": fill("*[HTML]: x\n"),
    "html tags": fill("<b>"),
    "almost tags": fill("a<"),
    "html blocks": fill("<div>\n"),
    "code fences": fill("```\n"),
    "many lines": fill("- x\n\n"),
    "one-line paragraphs": fill("a\n\n"),
    # Just inside the limits: they render.
    "500-line blocks of distinct headings": blocks("# heading {i}", lines=3000, per_block=500),
    "500-line blocks of setext headings": blocks("a{i}\n===", lines=1500, per_block=250),
    "500-line blocks of rules": blocks("***", lines=3000, per_block=500),
    "500-line blocks of admonitions": blocks("!!! note {i}", lines=3000, per_block=500),
    "500-line tables": (
        "| a | b |\n| --- | --- |\n" + "".join(f"| {i} | x |\n" for i in range(498)) + "\n"
    )
    * 6,
    "quotes ten deep": blocks("> " * 10 + "x", lines=3000, per_block=500),
    "lists ten deep": blocks("    " * 9 + "- x", lines=2200, per_block=500),
    "a thousand escapes in one paragraph": paragraph("\\*", count=1000),
    "100 almost-tags": paragraph("a<", count=100),
    "100 unclosed tags": paragraph("<a ", count=100),
    "ten thousand emphasis marks": paragraph("_a_ ", count=5000),
    "ten thousand stars and underscores": paragraph("*_", count=10000),
    "ten thousand backticks": paragraph("`a` ", count=5000),
    "a thousand brackets": paragraph("[]( ", count=1000),
    "a thousand unclosed brackets": paragraph("[x ", count=1000),
    "a thousand unclosed link addresses": paragraph("[x](", count=1000),
    "a thousand unclosed image addresses": paragraph("![x](", count=1000),
    "500 double brackets": paragraph("[[", count=500),
    "a thousand footnote openers": paragraph("[^", count=1000),
    "a thousand wiki links": paragraph("[[a]] ", count=1000),
    "a thousand reference markers": paragraph("[@1] ", count=1000),
    "abbreviations in 500-line blocks": blocks("*[A{i}]: x", lines=990, per_block=495)
    + fill("A1 b\n\n", 10_000),
    "entities": fill("&amp;"),
    "blank lines": fill("\n"),
    "3,000 one-line paragraphs": fill("word\n\n", 3000 * 6),
    "many tags in headings": blocks("# <b>x</b> _a_ *b* [[c]]", lines=125, per_block=125),
    "every limit at once": (
        blocks("# h{i} _a_ *b* `c` \\* [x](y) <b>", lines=100, per_block=100)
        + blocks("> " * 10 + "x", lines=500, per_block=500)
        + blocks("| {i} | *x* |", lines=500, per_block=500)
        + blocks("a{i}", lines=1700, per_block=500)
        + "\n"
        + paragraph("[x ", count=600)[:30_000]
    ),
}

LEGITIMATE = {
    "300-row table": "| Scene | Who | What |\n| --- | --- | --- |\n"
    + "".join(f"| {i} | Jim and Pam | They talk in the parking lot. [@1] |\n" for i in range(300)),
    "50 KB of paragraphs": (
        "Jim and Pam's first kiss was filmed in the office after the casino night, "
        "in a single take, as the director recalled in the commentary. [@1]\n\n"
    )
    * 350,
    "a long list of trivia": "".join(
        f"- Fact number {i}: *something* happened. [@1]\n" for i in range(400)
    ),
    "sections with headings": "".join(
        f"## Section {i}\n\nSome text with **bold**, _italic_ and a [[Link {i}]]. [@1]\n\n"
        for i in range(200)
    ),
}
