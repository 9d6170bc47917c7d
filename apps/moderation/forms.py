from django import forms


class RejectForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="The author sees this. Say what would make the proposal acceptable.",
        error_messages={"required": "Give the author a reason for the rejection."},
    )
