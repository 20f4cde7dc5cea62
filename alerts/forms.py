from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alerts.models import RemovalReason
from referrals.models import ContactAttempt


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ContactForm(forms.Form):
    """A contact attempt recorded from a worklist row."""

    channel = forms.ChoiceField(label=_("Channel"), choices=ContactAttempt.Channel.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactAttempt.Outcome.choices)
    agreed_date = forms.DateField(
        label=_("Agreed control date"),
        required=False,
        widget=DateInput(),
        help_text=_("Only when the patient agreed a date."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == ContactAttempt.Outcome.AGREED and not data.get("agreed_date"):
            self.add_error("agreed_date", _("Enter the agreed control date."))
        return data


class RemovalForm(forms.Form):
    """Taking a patient off the worklist: a reason is required."""

    reason = forms.ChoiceField(label=_("Reason"), choices=RemovalReason.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=255,
        required=False,
        help_text=_("Required when the reason is “Other reason”."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == RemovalReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Explain the reason."))
        return data


def put_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: known fields on their field."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for key, messages in exc.message_dict.items():
        for message in messages:
            form.add_error(key if key in form.fields else None, message)
