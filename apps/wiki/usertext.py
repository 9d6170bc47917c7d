"""Checks for text people write outside the editor (review comments, talk posts, reasons).

Services call these, so text that arrives by another road than a form (a script, the
admin, a management command) is held to the same rules.
"""

from django.core.exceptions import ValidationError

from apps.markup import MarkdownTooComplex, render_markdown

# Django decodes form data with errors="replace": a U+FFFD in the text means the
# browser (or a script) sent bytes that are not UTF-8, which would be stored mangled.
REPLACEMENT_CHARACTER = "\ufffd"
INVALID_UTF8_MESSAGE = (
    "The text contains bytes that are not valid UTF-8 (shown as “\ufffd”): "
    "copy it again from its source, or retype the characters around the mark."
)
NUL_MESSAGE = "The text cannot contain NUL characters."


def text_problem(value: str, *, what: str, max_length: int) -> str | None:
    """Why ``value`` cannot be stored as the ``what`` (empty, too long, NUL, bad UTF-8)."""
    if "\x00" in value:
        return NUL_MESSAGE  # PostgreSQL refuses to store it
    if REPLACEMENT_CHARACTER in value:
        return INVALID_UTF8_MESSAGE
    if not value.strip():
        return f"The {what} cannot be empty."
    if len(value) > max_length:
        return f"The {what} is too long ({len(value):,} characters; at most {max_length:,})."
    return None


def rendered(body: str, *, what: str, max_length: int) -> str:
    """The body as safe HTML from the one renderer; ValidationError on "body" if it cannot be."""
    problem = text_problem(body, what=what, max_length=max_length)
    if problem is None:
        try:
            return render_markdown(body)
        except MarkdownTooComplex as exc:
            problem = str(exc)
    raise ValidationError({"body": problem})
