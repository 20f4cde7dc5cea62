from django import forms
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility
from patients.models import Patient
from patients.services import EDITABLE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


class PatientForm(forms.ModelForm):
    """Validation of the fields' own format; the service validates the whole patient."""

    class Meta:
        model = Patient
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "birth_date": DateInput(),
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "bpjs_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args: object, puskesmas: Facility | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        pustu_field = self.fields["pustu"]
        pustu_field.queryset = (  # type: ignore[attr-defined]
            Facility.objects.filter(kind=Facility.Kind.PUSTU, parent=puskesmas)
            if puskesmas
            else Facility.objects.none()
        )
        pustu_field.required = False
        self.fields["nik"].help_text = _(
            "16 digits; digits 7–12 are the birth date (women: day + 40)."
        )
        self.fields["bpjs_number"].help_text = _("13 digits, as printed on the JKN card.")


class PatientSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, NIK or BPJS number"), required=False, max_length=100)
