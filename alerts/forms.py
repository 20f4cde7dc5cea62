from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.models import RemovalReason
from referrals.models import ContactAttempt


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


# The outcomes offered on the worklist (Simple.org's overdue list, plus "unreachable"
# to log a call nobody answered); the older removal-like outcomes are now reasons.
WORKLIST_OUTCOMES = (
    ContactAttempt.Outcome.AGREED,
    ContactAttempt.Outcome.REMIND_LATER,
    ContactAttempt.Outcome.UNREACHABLE,
    ContactAttempt.Outcome.REMOVED,
)


class ContactForm(forms.Form):
    """A contact attempt recorded from a worklist row, with its Simple.org outcome."""

    channel = forms.ChoiceField(label=_("Channel"), choices=ContactAttempt.Channel.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(o.value, o.label) for o in WORKLIST_OUTCOMES],
        widget=forms.RadioSelect,
        help_text=_(
            "Agreed to visit: off the list for 7 days. Remind later: off the list for 30 days. "
            "Removed: off the list for this control date, with a reason."
        ),
    )
    agreed_date = forms.DateField(
        label=_("Agreed control date"),
        required=False,
        widget=DateInput(),
        help_text=_("Optional, when the patient agreed to visit: it becomes the control date."),
    )
    reason = forms.ChoiceField(
        label=_("Reason for removal"),
        choices=[("", "—"), *RemovalReason.choices],
        required=False,
        help_text=_("Required when the patient is removed from the list."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=255,
        required=False,
        help_text=_("Required when the reason is “Other reason”."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome")
        if outcome != ContactAttempt.Outcome.AGREED:
            data["agreed_date"] = None
        if outcome == ContactAttempt.Outcome.REMOVED:
            if not data.get("reason"):
                self.add_error("reason", _("Choose the reason for removal."))
            elif data["reason"] == RemovalReason.OTHER and not (data.get("note") or "").strip():
                self.add_error("note", _("Explain the reason."))
        else:
            data["reason"] = ""
        return data
