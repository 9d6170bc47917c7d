"""Nothing but the renderer's output is marked safe: a scan of the templates and the code.

``|safe``, ``{% autoescape off %}``, ``mark_safe``, ``format_html`` and friends
switch off Django's escaping. Each use in templates/, apps/ and fanwiki/ must be
on the allow-list below with the reason it is safe; a new one fails the build,
saying where. The renderer itself (apps/markup) marks nothing safe: it returns
strings, and the templates below show its stored output.
"""

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("templates", "apps", "fanwiki")

_TEMPLATE_UNSAFE = re.compile(r"\|\s*safe(?:seq)?\b|\{%-?\s*autoescape\s+off\b")
_PYTHON_UNSAFE = re.compile(
    r"\b(?:mark_safe|format_html_join|format_html|SafeString|SafeText|SafeData|mark_for_escaping)\b"
    r"|\|\s*safe(?:seq)?\b|\bautoescape\s+off\b|\bautoescape\s*=\s*False\b"
)

# (path, the line as written, stripped) -> why it is safe.
ALLOWED = {
    ("templates/includes/article_body.html",
     '<div class="article-body prose">{{ html|safe }}</div>'):
        "the renderer's stored HTML for readers (apps.wiki.presenting.page_html)",
    ("templates/wiki/revision_detail.html",
     '<div class="article-body prose">{{ html|safe }}</div>'):
        "the renderer's stored HTML of one revision (apps.wiki.presenting.page_html)",
    ("templates/moderation/review.html",
     '<div class="article-body prose preview-box">{{ revision_html|safe }}</div>'):
        "the renderer's stored HTML, less images from elsewhere (drop_external_images)",
    ("templates/admin/wiki/revision/change_form.html",
     '<div class="revision-rendered">{{ revision_html|safe }}</div>'):
        "the renderer's stored HTML of the revision, less images from elsewhere "
        "(drop_external_images), as on the review page",
    ("apps/wiki/templatetags/reading.py",
     "from django.utils.safestring import SafeString, mark_safe"):
        "the import of for_reader's use below",
    ("apps/wiki/templatetags/reading.py",
     "def for_reader(html: str, show: Any) -> SafeString:"):
        "the type for_reader returns",
    ("apps/wiki/templatetags/reading.py",
     'return mark_safe(reader_html(html or "", show=show))  # noqa: S308 - the renderer\'s HTML'):
        "stored renderer output (talk posts, review comments) with only the exact tags the "
        "renderer writes rewritten for the reader (apps.markup.serving)",
    ("apps/wiki/templatetags/reading.py",
     "def marked(segments: list[tuple[str, bool]]) -> SafeString:"):
        "the type the marked filter returns",
    ("apps/wiki/templatetags/reading.py",
     "return mark_safe(  # noqa: S308 - every text is escaped here"):
        "search's (text, is_match) segments: every text passes django.utils.html.escape, "
        "and the only markup is a constant <mark> (tests/wiki/test_search.py checks it)",
    ("apps/wiki/admin.py", "from django.utils.html import format_html"):
        "the import of the admin's uses below",
    ("apps/wiki/admin.py", "return format_html("):
        "constant markup; format_html escapes the URL and count it is given",
    ("apps/moderation/admin.py", "from django.utils.html import format_html"):
        "the import of the admin's uses below",
    ("apps/moderation/admin.py", "return format_html("):
        "constant markup; format_html escapes the URL and number it is given",
    ("apps/moderation/admin.py",
     "return format_html('<a href=\"{}\">View</a>', " "revision.get_absolute_url())"):
        "constant markup; format_html escapes the article's URL",
    ("apps/wiki/forms.py", "from django.utils.safestring import SafeString"):
        "the type of the source picker's render(), which is render_to_string's (autoescaped)",
    ("apps/wiki/forms.py",
     "def render(self, name, value, attrs=None, renderer=None) -> SafeString:"):
        "a return annotation: the widget's autoescaped template, not user text",
    ("apps/web/pagecache.py", "from django.utils.html import format_html"):
        "the import of the personal part's markers below",
    ("apps/web/pagecache.py", "from django.utils.safestring import SafeString"):
        "the type a personal part is",
    ("apps/web/pagecache.py", ") -> SafeString:"):
        "a return annotation: render_to_string's output (autoescaped), in escaped markers",
    ("apps/web/pagecache.py", "return format_html("):
        "constant markup around a template's autoescaped output; the marker's random value "
        "and the template's name are escaped",
    ("apps/web/pagecache.py",
     "html: SafeString = template.render(Context({**shared, **values}, "
     "autoescape=engine.autoescape))"):
        "an annotation: a template's output, rendered with the engine's autoescaping",
    ("apps/moderation/queue.py", "from django.utils.html import format_html, format_html_join"):
        "the import of the queue row's uses below",
    ("apps/moderation/queue.py", "from django.utils.safestring import SafeString, mark_safe"):
        "the type of a queue row's HTML, and its constant pieces below",
    ("apps/moderation/queue.py", "def html(self) -> SafeString:"):
        "a return annotation: row_html's output",
    ("apps/moderation/queue.py", "_REVISED = mark_safe(  # noqa: S308"):
        "constant markup: a badge with no value in it",
    ("apps/moderation/queue.py",
     "_BOT = mark_safe(' <span class=\"badge badge-bot\" title=\"An account a program "
     "runs\">bot</span>')  # noqa: S308"):
        "constant markup: a badge with no value in it",
    ("apps/moderation/queue.py",
     "_OWN = mark_safe('<span class=\"muted\">your own</span>')  # noqa: S308"):
        "constant markup: no value in it",
    ("apps/moderation/queue.py", "def row_html(row: QueueRow) -> SafeString:"):
        "a return annotation: format_html's output, below",
    ("apps/moderation/queue.py",
     "\"\"\"The row's ``<tr>``: every value escaped by format_html, the markup constant.\"\"\""):
        "the docstring of row_html, which names format_html",
    ("apps/moderation/queue.py", "return format_html("):
        "the queue row: constant markup (_ROW); every value (title, names, summary, tags, "
        "dates) is escaped by format_html",
    ("apps/moderation/queue.py",
     "format_html('<br><span class=\"muted\">{}</span>', row.episode) if row.episode else \"\","):
        "constant markup; format_html escapes the episode's name",
    ("apps/moderation/queue.py", "format_html_join("):
        "constant markup per tag; format_html_join escapes the tag and its quoted address",
    ("apps/moderation/queue.py", "format_html("):
        "constant markup; format_html escapes the moderator's name and the time",
    ("apps/moderation/queue.py",
     "else format_html('<a class=\"button\" href=\"{}\">Review</a>', row.review_url),"):
        "constant markup; format_html escapes the review page's address",
    ("apps/web/templatetags/personal.py", "from django.utils.safestring import SafeString"):
        "the type the personal tag returns",
    ("apps/web/templatetags/personal.py",
     "def personal(context: template.Context, template_name: str) -> SafeString:"):
        "a return annotation: a template's autoescaped output (apps.web.pagecache)",
    ("apps/web/templatetags/slots.py", "from django.utils.html import format_html_join"):
        "the import of the slot tag's use below",
    ("apps/web/templatetags/slots.py", "from django.utils.safestring import SafeString"):
        "the type the slot tag returns",
    ("apps/web/templatetags/slots.py",
     "def slot(context: template.Context, slot_name: str, /, **kwargs: Any) -> SafeString:"):
        "a return annotation: what the tag returns is escaped as described below",
    ("apps/web/templatetags/slots.py",
     'return format_html_join("", "{}", ((piece,) for piece in pieces))'):
        "joins pieces rendered by other apps' templates (autoescaped); a plain string is "
        "escaped by format_html_join, so no user text passes unescaped",
    ("templates/accounts/verification_email.txt",
     "{% autoescape off %}Hello {{ user.username }},"):
        "a plain-text e-mail (text/plain): entities would show as typed, nothing is HTML",
    ("templates/notifications/digest_email.txt",
     "{% autoescape off %}Hello {{ user.username }},"):
        "a plain-text e-mail (text/plain): entities would show as typed, nothing is HTML",
    ("templates/accounts/hand_over_email.txt",
     "{% autoescape off %}Hello {{ user.username }},"):
        "a plain-text e-mail (text/plain): entities would show as typed, nothing is HTML",
    ("templates/registration/password_reset_email.txt",
     "{% autoescape off %}Hello {{ user.get_username }},"):
        "a plain-text e-mail (text/plain), as Django's own reset mail template is",
}  # fmt: skip


@dataclass(frozen=True)
class Use:
    path: str
    line_number: int
    line: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line_number}: {self.line}"


def unsafe_uses(root: Path, folders: tuple[str, ...] = SCANNED) -> list[Use]:
    """Every line under ``folders`` of ``root`` that switches off escaping."""
    found = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix == ".py" and "migrations" not in path.parts:
                pattern = _PYTHON_UNSAFE
            elif path.suffix in {".html", ".txt", ".xml"}:
                pattern = _TEMPLATE_UNSAFE
            else:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if pattern.search(line):
                    found.append(Use(path.relative_to(root).as_posix(), number, line.strip()))
    return found


def not_allowed(uses: list[Use]) -> list[Use]:
    return [use for use in uses if (use.path, use.line) not in ALLOWED]


def test_only_the_allowed_uses_switch_off_escaping():
    new = not_allowed(unsafe_uses(ROOT))
    assert not new, (
        "Escaping is switched off outside the allow-list (only the renderer's output may be "
        "marked safe; add a use to ALLOWED in tests/test_safe_markup.py only with its reason):\n"
        + "\n".join(str(use) for use in new)
    )


def test_every_allowed_use_still_exists():
    present = {(use.path, use.line) for use in unsafe_uses(ROOT)}
    stale = [key for key in ALLOWED if key not in present]
    assert not stale, f"Allowed uses that are gone (remove them from ALLOWED): {stale}"


def test_the_markup_package_marks_nothing_safe():
    assert unsafe_uses(ROOT, ("apps/markup",)) == []


def test_it_catches_a_planted_use(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(
        "<p>{{ comment }}</p>\n<p>{{ revision.summary|safe }}</p>\n"
        "{% autoescape off %}{{ title }}{% endautoescape %}\n<p>{{ a | safeseq }}</p>\n"
    )
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "views.py").write_text(
        "from django.utils.safestring import mark_safe\n"
        "def view(request):\n"
        "    return mark_safe(request.GET['q'])\n"
        "x = 'escaped'\n"
    )
    found = not_allowed(unsafe_uses(tmp_path, ("templates", "apps")))
    assert [str(use) for use in found] == [
        "templates/page.html:2: <p>{{ revision.summary|safe }}</p>",
        "templates/page.html:3: {% autoescape off %}{{ title }}{% endautoescape %}",
        "templates/page.html:4: <p>{{ a | safeseq }}</p>",
        "apps/views.py:1: from django.utils.safestring import mark_safe",
        "apps/views.py:3: return mark_safe(request.GET['q'])",
    ]
