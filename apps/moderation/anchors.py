"""Where a review comment points in a text, and how it follows the text when it changes.

Lines are numbered from 1, as the review page's diff shows them. A thread keeps
the lines it was written on (``anchor_text``) and, optionally, the words within
them it is about (``quote``); a suggested replacement replaces those words, or
the whole lines when there is no quote.
"""


def lines_of(text: str, start: int, end: int) -> str | None:
    """Lines ``start`` to ``end`` (inclusive, from 1) of ``text``; None if out of range."""
    lines = text.splitlines()
    if not (1 <= start <= end <= len(lines)):
        return None
    return "\n".join(lines[start - 1 : end])


def relocate(text: str, anchor_text: str, near: int) -> tuple[int, int] | None:
    """Where the lines ``anchor_text`` are in ``text`` now: the occurrence nearest line
    ``near``, or None when they are gone (the thread is then outdated)."""
    wanted = anchor_text.split("\n")  # a blank line ("") is a line too
    lines = text.splitlines()
    width = len(wanted)
    found = [
        start + 1
        for start in range(len(lines) - width + 1)
        if lines[start : start + width] == wanted
    ]
    if not found:
        return None
    start = min(found, key=lambda at: (abs(at - near), at))
    return start, start + width - 1


def apply_suggestion(
    text: str, *, start: int, end: int, anchor_text: str, quote: str, replacement: str
) -> str:
    """``text`` with the commented words (or lines) replaced.

    Raises ValueError when the lines no longer read as they did when the
    suggestion was made: it would then replace something nobody reviewed.
    """
    lines = text.splitlines()
    if lines_of(text, start, end) != anchor_text:
        raise ValueError("the commented lines have changed since the suggestion was made")
    segment = anchor_text
    if quote:
        if quote not in segment:
            raise ValueError("the commented words are no longer in those lines")
        segment = segment.replace(quote, replacement, 1)
    else:
        segment = replacement
    replaced = [*lines[: start - 1], *segment.splitlines(), *lines[end:]]
    newline = "\r\n" if "\r\n" in text else "\n"  # as the author's browser sent it
    result = newline.join(replaced)
    return result + newline if text.endswith("\n") else result
