"""Forms for proposing articles and edits. They validate and normalise; services save."""

from django import forms
from django.conf import settings
from django.forms import BaseFormSet, formset_factory
from django.utils.functional import cached_property
from markdownx.widgets import MarkdownxWidget

from apps.catalog.models import Episode
from apps.citations.kinds import FIELD_LABELS, KIND_FIELDS, LOCATORS, clean_locator
from apps.citations.models import Source, SourceKind
from apps.citations.normalise import normalise_url

from .citing import MAX_KEY, NO_CITATION_MESSAGE, CitationInput

MAX_CITATIONS = 30
NEW_SOURCE_FIELDS = ("kind", "title", "url", "archive_url", "author", "publisher", "published_date")


class ProposalForm(forms.Form):
    """The text of a proposal: Markdown body and edit summary."""

    body = forms.CharField(
        label="Article text (Markdown)",
        widget=MarkdownxWidget(attrs={"rows": 18}),
        max_length=settings.WIKI_MAX_BODY_LENGTH,
    )
    summary = forms.CharField(
        label="Edit summary",
        max_length=300,
        help_text="What you changed and why, in a few words. Moderators and readers see it.",
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ArticleCreateForm(ProposalForm):
    title = forms.CharField(max_length=200)
    episode = forms.ModelChoiceField(
        queryset=Episode.objects.with_show(),
        required=False,
        empty_label="Not about a single episode",
        help_text="The episode this trivia is about, if any.",
    )
    field_order = ["title", "episode", "body", "summary"]


class CitationForm(forms.Form):
    """One citation: an existing source or a new one, and what it supports."""

    source = forms.ModelChoiceField(
        queryset=Source.objects.none(),  # set by the formset to what the user may cite
        required=False,
        empty_label="— describe a new source below —",
        label="Existing source",
    )
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
    """Citation rows; ``sources`` is what the "existing source" menus offer and accept."""

    default_error_messages = {
        "too_few_forms": NO_CITATION_MESSAGE,
        "too_many_forms": "A proposal can cite at most %(num)d sources.",
    }

    def __init__(self, *args, sources=None, **kwargs):
        self.sources = sources if sources is not None else Source.objects.none()
        super().__init__(*args, **kwargs)

    @cached_property
    def _sources(self):
        # Read once for every row, instead of one query per row's menu.
        return list(self.sources.order_by("title", "id"))

    @cached_property
    def _source_choices(self):
        return [("", CitationForm.base_fields["source"].empty_label)] + [
            (source.pk, f"{source.title} ({source.get_kind_display()})") for source in self._sources
        ]

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
            "sourceKinds": {str(source.pk): source.kind for source in self._sources},
        }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields["source"]
        field.queryset = self.sources
        field.choices = self._source_choices
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

    def form_for_key(self, key):
        """The row whose marker number is ``key`` (for errors found by the service)."""
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
