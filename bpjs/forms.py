from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bpjs.models import BpjsCredentials, BpjsMedicine
from bpjs.services import CREDENTIAL_FIELDS
from pharmacy.models import Medicine


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CredentialsForm(forms.ModelForm):
    """Secrets are write-only (``interop.fields.SecretField``): blank keeps what is stored."""

    class Meta:
        model = BpjsCredentials
        fields = list(CREDENTIAL_FIELDS)
        widgets = {
            "cons_id": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
            "pcare_username": forms.TextInput(attrs={"autocomplete": "off"}),
            "pcare_sync_from": DateInput(),
        }


class SrbFetchForm(forms.Form):
    srb_number = forms.CharField(label=_("SRB number"), max_length=40)
    sep_number = forms.CharField(label=_("SEP number"), max_length=40)


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(format="%Y-%m", attrs={"type": "month"}),
    )


class MedicineMappingForm(forms.Form):
    bpjs_medicine = forms.ModelChoiceField(
        queryset=BpjsMedicine.objects.all(), widget=forms.HiddenInput
    )
    medicine = forms.ModelChoiceField(
        queryset=Medicine.objects.active(), label=_("Formulary medicine"), required=False
    )
