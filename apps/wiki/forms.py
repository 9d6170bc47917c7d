"""Forms for proposing articles and edits. They validate and normalise; services save."""

import uuid
from collections.abc import Mapping

from django import forms
from django.conf import settings
from django.forms import BaseFormSet, formset_factory
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from markdownx.widgets import MarkdownxWidget

from apps.catalog.models import Episode
from apps.citations.kinds import FIELD_LABELS, KIND_FIELDS, LOCATORS, clean_locator
from apps.citations.models import Source, SourceKind
from apps.citations.normalise import normalise_url
from apps.web.forms import Utf8Form, acknowledged_field, renderable
from apps.web.params import id_value
from apps.web.usertext import one_line

from .citing import MAX_KEY, NO_CITATION_MESSAGE, CitationInput

MAX_CITATIONS = 30
NEW_SOURCE_FIELDS = ("kind", "title", "url", "archive_url", "author", "publisher", "published_date")


class ProposalForm(Utf8Form):
    """The text of a proposal: Markdown body and edit summary."""

    body = forms.CharField(
        label="Article text (Markdown)",
        widget=MarkdownxWidget(attrs={"rows": 18}),
        max_length=settings.WIKI_MAX_BODY_LENGTH,
        validators=[renderable],
    )
    summary = forms.CharField(
        label="Edit summary",
        max_length=300,
        validators=[one_line("edit summary")],
        help_text="What you changed and why, in a few words. Moderators and readers see it.",
    )
    categories = forms.CharField(
        label="Categories",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        help_text="Category names, one per line or separated by commas. Add “|sort key” "
        "after a name to sort the article under another word there.",
    )
    aliases = forms.CharField(
        label="Other names",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text="Other titles readers may look for, one per line: each leads here and "
        "search finds the article by it.",
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # What the editor was opened to take in (a suggestion), for the app that offered it.
    takes = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    # New for every editor page: the same page submitted twice is one proposal.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
    # The warnings (screening.Flagged) shown on this page: submitted again, it is stored.
    acknowledged = acknowledged_field()


class ArticleCreateForm(ProposalForm):
    title = forms.CharField(max_length=200, validators=[one_line("title")])
    episode = forms.ModelChoiceField(
        queryset=Episode.objects.with_show(),
        required=False,
        empty_label="Not about a single episode",
        help_text="The episode this trivia is about, if any.",
    )
    field_order = ["title", "episode", "body", "categories", "aliases", "summary"]


class MoveForm(Utf8Form):
    """A new title for an article, and why (a proposal like any other)."""

    title = forms.CharField(label="New title", max_length=200, validators=[one_line("title")])
    reason = forms.CharField(
        label="Reason",
        max_length=250,
        validators=[one_line("reason")],
        help_text="Why the article should be called this. Moderators and readers see it.",
    )
    acknowledged = acknowledged_field()


def source_id(value: object) -> int | None:
    """A source's id from a posted value, a starting row's id or a Source; None if not one."""
    if isinstance(value, Source):
        return value.pk
    return id_value("" if value is None else str(value).strip())


class SourcePicker(forms.Widget):
    """The chosen source's id in a hidden input, its title shown, and a search box.

    A menu of every source made each row, and so the page, grow with the wiki.
    The search box (shown by the editor's script) asks the autocomplete endpoint
    instead; only the chosen source is shown, read with the other rows' sources
    in one query (``BaseCitationFormSet._chosen_sources``).
    """

    template_name = "includes/source_picker.html"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs)
        self.sources: Mapping[int, Source] = {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # An id the user may not cite (or that no longer exists) is not carried over:
        # the row says why, and the fan picks again or describes a new source.
        source = self.sources.get(source_id(value) or 0)
        context["widget"].update(
            value=str(source.pk) if source else "",
            source=source,
            search_url=reverse("wiki:source-autocomplete"),
        )
        return context

    def id_for_label(self, id_: str) -> str:
        # The label names the search box, the one part of the picker that takes input.
        return f"{id_}-search" if id_ else id_

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # The project's templates/ is not on the default form renderer's path.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))


class SourceField(forms.Field):
    """An existing source, by id, checked against the sources the formset read.

    The formset reads every row's source in one query (``limit_to``) instead of
    one query per row; an id that is not among them is refused on its row with
    the message a menu of choices would give.
    """

    widget = SourcePicker
    default_error_messages = {
        "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"],
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sources: Mapping[int, Source] = {}

    def limit_to(self, sources: Mapping[int, Source]) -> None:
        self.sources = sources
        if isinstance(self.widget, SourcePicker):
            self.widget.sources = sources

    def to_python(self, value: object) -> Source | None:
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        source = self.sources.get(source_id(value) or 0)
        if source is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return source

    def has_changed(self, initial: object, data: object) -> bool:
        # Compared as ids, without a lookup; a posted value that is no id is a change.
        if isinstance(data, str):
            data = data.strip()
        if data not in self.empty_values and source_id(data) is None:
            return True
        return source_id(initial) != source_id(data)


class CitationForm(Utf8Form):
    """One citation: an existing source or a new one, and what it supports."""

    source = SourceField(required=False, label="Existing source")

    def chosen_source(self) -> Source | None:
        """The existing source this row cites, if it is one the fan may cite (no query)."""
        field = self.fields["source"]
        assert isinstance(field, SourceField)
        return field.sources.get(source_id(self["source"].value()) or 0)

    kind = forms.ChoiceField(choices=SourceKind.choices, initial=SourceKind.WEB, required=False)
    title = forms.CharField(
        label="New source title", max_length=300, required=False,
        help_text="Headline, book title, podcast or episode name.",
    )  # fmt: skip
    url = forms.URLField(
        label="URL", max_length=500, required=False, assume_scheme="https",
        help_text="http or https only.",
    )  # fmt: skip
    archive_url = forms.URLField(
        label="Archived copy", max_length=500, required=False, assume_scheme="https",
        help_text="Optional: a copy in a web archive, in case the page changes.",
    )  # fmt: skip
    author = forms.CharField(max_length=200, required=False)
    publisher = forms.CharField(max_length=200, required=False)
    published_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    quote = forms.CharField(
        label="Supporting quote",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One sentence at most, copied exactly.",
    )
    locator = forms.CharField(
        max_length=100,
        required=False,
        help_text="Page, minute or timestamp: p. 112, 34:10, 18:32.",
    )
    key = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_KEY
    )

    def _clean_address(self, name):
        url = self.cleaned_data[name]
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http and https addresses can be cited.")
        url = normalise_url(url)
        if len(url) > self.fields[name].max_length:
            raise forms.ValidationError("The address is too long.")
        return url

    def clean_url(self):
        return self._clean_address("url")

    def clean_archive_url(self):
        return self._clean_address("archive_url")

    def clean(self):
        data = super().clean()
        kind = data["source"].kind if data.get("source") else data.get("kind") or SourceKind.WEB
        try:
            data["locator"] = clean_locator(kind, data.get("locator", ""))
        except forms.ValidationError as error:
            self.add_error("locator", error)
        if not data.get("source") and not (data.get("title") or "").strip():
            self.add_error("source", "Choose an existing source or give the new source a title.")
        if not (data.get("quote") or "").strip() and not (data.get("locator") or "").strip():
            self.add_error(
                "locator", "Give a supporting quote or a locator (page, timestamp, minute)."
            )
        return data

    def to_input(self) -> CitationInput:
        data = self.cleaned_data
        new_source = {}
        if not data.get("source"):
            new_source = {name: data.get(name) or "" for name in NEW_SOURCE_FIELDS}
            new_source["kind"] = new_source["kind"] or SourceKind.WEB
            new_source["published_date"] = data.get("published_date")
        return CitationInput(
            source=data.get("source"),
            new_source=new_source,
            quote=data.get("quote", ""),
            locator=data.get("locator", ""),
            key=data.get("key") or 0,
        )


class BaseCitationFormSet(BaseFormSet):
    """Citation rows; ``sources`` is what the rows' "existing source" may be."""

    default_error_messages = {
        "too_few_forms": NO_CITATION_MESSAGE,
        "too_many_forms": "A proposal can cite at most %(num)d sources.",
    }

    def __init__(self, *args, sources=None, **kwargs):
        self.sources = sources if sources is not None else Source.objects.none()
        super().__init__(*args, **kwargs)

    @cached_property
    def _chosen_sources(self) -> dict[int, Source]:
        """The rows' sources that the user may cite, read in one query for every row.

        The ids are those posted (or, before a post, the starting rows'): at most
        ``absolute_max`` of them, however many sources the wiki holds.
        """
        ids = {source_id(value) for value in self._source_values()} - {None}
        if not ids:
            return {}
        return {source.pk: source for source in self.sources.filter(pk__in=ids)}

    def _source_values(self) -> list[object]:
        if self.is_bound:
            return [
                self.data.get(f"{self.add_prefix(index)}-source")
                for index in range(self.total_form_count())
            ]
        return [row.get("source") for row in self.initial or []]

    def kind_settings(self) -> dict:
        """What the editor's script needs to adapt each row to its source's kind."""
        return {
            "kinds": {
                kind.value: {
                    "fields": KIND_FIELDS[kind],
                    "labels": FIELD_LABELS.get(kind, {}),
                    "locator": LOCATORS[kind],
                }
                for kind in SourceKind
            },
            # Only the rows' sources: the script learns a picked source's kind from the
            # autocomplete's answer.
            "sourceKinds": {str(pk): source.kind for pk, source in self._chosen_sources.items()},
        }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields["source"]
        if isinstance(field, SourceField):
            field.limit_to(self._chosen_sources)
        if index is not None and not form.initial.get("key"):
            # New rows are numbered after the highest number of the rows carried over.
            carried = self.initial or []
            if index < len(carried):
                form.initial["key"] = index + 1
            else:
                top = max((row.get("key") or n + 1 for n, row in enumerate(carried)), default=0)
                form.initial["key"] = top + index - len(carried) + 1

    def clean(self):
        super().clean()
        keys = [
            form.cleaned_data.get("key")
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("key")
            and not self._should_delete_form(form)
        ]
        if len(keys) != len(set(keys)):
            raise forms.ValidationError("Two citations have the same number; reload the editor.")

    def add_non_form_errors(self, messages: list[str]) -> None:
        """Show refusals about the citations as a whole (found by the service, after
        the formset validated), above the rows, as the formset's own errors are."""
        errors = self.non_form_errors()  # the formset's list, made by full_clean()
        errors.extend(messages)

    def form_for_key(self, key: int | None):
        """The row whose marker number is ``key`` (for errors found by the service)."""
        if key is None:
            return None
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None) or {}
            if (data.get("key") or index + 1) == key:
                return form
        return None

    def citation_inputs(self) -> list[CitationInput]:
        """The citations to save: carried-over rows unless deleted, new rows if filled in."""
        return [
            form.to_input()
            for index, form in enumerate(self.forms)
            # A private BaseFormSet method that django-stubs does not declare.
            if not self._should_delete_form(form)  # type: ignore[attr-defined]
            and (index < self.initial_form_count() or form.has_changed())
        ]


CitationFormSet = formset_factory(
    CitationForm,
    formset=BaseCitationFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_CITATIONS,
    absolute_max=MAX_CITATIONS,
    validate_max=True,
    can_delete=True,
)


def citation_initial(revision) -> list[dict]:
    """The formset's starting rows: the citations of the revision being edited."""
    return [
        {"source": c.source_id, "quote": c.quote, "locator": c.locator, "key": c.key or None}
        for c in revision.citations.order_by("position", "id")
    ]
