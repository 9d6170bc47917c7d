"""Checks for text people write outside the editor (review comments, talk posts, reasons).

Services call these, so text that arrives by another road than a form (a script, the
admin, a management command) is held to the same rules.
"""

import unicodedata
from collections.abc import Callable

from django.core.exceptions import ValidationError

from apps.markup import MarkdownTooComplex, render_discussion

# Django decodes form data with errors="replace": a U+FFFD in the text means the
# browser (or a script) sent bytes that are not UTF-8, which would be stored mangled.
REPLACEMENT_CHARACTER = "\ufffd"
INVALID_UTF8_MESSAGE = (
    "The text contains bytes that are not valid UTF-8 (shown as “\ufffd”): "
    "copy it again from its source, or retype the characters around the mark."
)
NUL_MESSAGE = "The text cannot contain NUL characters."
# Every reason or note a moderator writes (reject, request changes, revert, trust,
# protection, hiding, closing), in the forms and in the services that store it.
MAX_REASON_LENGTH = 2_000


def line_problem(value: str, *, what: str) -> str | None:
    """Why ``value`` cannot be a one-line text (a title, an edit summary): a control
    character or a line break, which would also end an e-mail's subject line."""
    found = sorted({char for char in value if unicodedata.category(char) in ("Cc", "Zl", "Zp")})
    if not found:
        return None
    codes = ", ".join(f"U+{ord(char):04X}" for char in found[:3])
    return (
        f"The {what} must be one line of text, without control characters or line breaks "
        f"(found {codes})."
    )


def one_line(what: str) -> Callable[[str], None]:
    """A form field's validator for :func:`line_problem`."""

    def validate(value: str) -> None:
        problem = line_problem(value or "", what=what)
        if problem:
            raise ValidationError(problem, code="control-character")

    return validate


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
            return render_discussion(body)
        except MarkdownTooComplex as exc:
            problem = str(exc)
    raise ValidationError({"body": problem})


def checked_reason(
    value: str | None,
    *,
    required: bool = True,
    field: str = "reason",
    missing: str = "Give a reason.",
) -> str:
    """A moderator's reason or note, trimmed, or ValidationError on ``field``.

    Empty is refused with ``missing`` when ``required``, else it is "". Whatever is
    given is held to the rules of any text a person writes: no NUL, valid UTF-8,
    at most MAX_REASON_LENGTH characters.
    """
    text = (value or "").strip()
    if not text and not required:
        return ""
    problem = (
        missing if not text else text_problem(text, what="reason", max_length=MAX_REASON_LENGTH)
    )
    if problem:
        raise ValidationError({field: problem})
    return text
