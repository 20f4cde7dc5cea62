"""Forms: field formats only; the services and the criteria engine validate the whole."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import forms as common_forms
from common.forms import text_box
from common.text import LONG_TEXT, NOTE_TEXT
from eligibility.rules import criteria_catalogue
from facilities.models import Facility
from patients.models import Patient
from patients.programs import Program
from patients.validators import validate_birth_date, validate_bpjs_number, validate_nik_format
from pharmacy.models import Medicine
from referrals import factfields, kmk, selectors
from referrals.models import Adherence, CarePlan, CaseStatus, HomeVisit, PrbCase
from referrals.services.letters import LetterMedicineInput, PatientInput, ReadinessGapInput
from referrals.services.visits import VisitLineInput

ATTESTED = ("a", "b", "c", "e", "f")  # checkboxes; KEEMPAT.d is a yes/no/blank statement
COMORBIDITY_ROWS = 3
icd10_validator = RegexValidator(
    r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$",
    _("Enter an ICD-10 code such as E11.9."),
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class Icd10Field(forms.CharField):
    """ICD-10 codes are compared in capitals: "e11.9" is E11.9."""

    default_validators = [icd10_validator]

    def to_python(self, value: Any) -> str:
        return (super().to_python(value) or "").strip().upper()


class MedicineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Medicine) -> str:
        return str(obj)


class LetterForm(forms.Form):
    """The back-referral letter (KMK II.A) and the facts the programme's criteria need."""

    hospital = forms.ModelChoiceField(queryset=Facility.objects.none(), label=_("Hospital (FKRTL)"))
    dpjp_name = forms.CharField(label=_("DPJP (specialist)"), max_length=150)
    srb_number = forms.CharField(label=_("SRB number"), max_length=40)
    sep_number = forms.CharField(label=_("SEP number"), max_length=40, required=False)
    letter_date = forms.DateField(label=_("Letter date"), widget=DateInput())
    nik = forms.CharField(
        label=_("NIK"),
        max_length=16,
        validators=[validate_nik_format],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    bpjs_number = forms.CharField(
        label=_("BPJS card number"),
        max_length=13,
        validators=[validate_bpjs_number],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Patient name"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Patient.Sex.choices])
    birth_date = forms.DateField(
        label=_("Birth date"), widget=DateInput(), validators=[validate_birth_date]
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    program = forms.ChoiceField(label=_("PRB programme"), choices=Program.choices)
    icd10 = Icd10Field(label=_("ICD-10 diagnosis"), max_length=10)
    clinical_resume = text_box(_("Clinical resume"), rows=3, max_length=LONG_TEXT)
    management_plan = text_box(_("Management plan"), rows=3, max_length=LONG_TEXT)
    next_hospital_review = forms.DateField(
        label=_("Next hospital review"), widget=DateInput(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hospital"].queryset = selectors.hospitals()  # type: ignore[attr-defined]
        texts = {c["id"]: c["text"] for c in criteria_catalogue() if c["id"].startswith("KEEMPAT.")}
        for letter in ATTESTED:
            self.fields[f"general_{letter}"] = forms.BooleanField(
                label=f"{letter}. {texts.get(f'KEEMPAT.{letter}', '')}", required=False
            )
        # KEEMPAT.d: blank lets the comorbidity list decide; "no" decides alone (contract v2).
        self.fields["general_d"] = forms.ChoiceField(
            label=f"d. {texts.get('KEEMPAT.d', '')}",
            choices=factfields.TRI_STATE,
            required=False,
        )
        for row in range(1, COMORBIDITY_ROWS + 1):
            self.fields[f"comorbidity_icd10_{row}"] = Icd10Field(
                label=_("Comorbidity %(n)s (ICD-10)") % {"n": row}, max_length=10, required=False
            )
            self.fields[f"comorbidity_months_{row}"] = forms.FloatField(
                label=_("Controlled for (months)"),
                required=False,
                localize=True,
                min_value=0,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
        self.program_code = self._program()
        self.fields.update(factfields.fact_fields(self.program_code))

    def _program(self) -> str:
        value = (self.data.get("program") if self.is_bound else None) or self.initial.get("program")
        return value if value in Program.values else Program.DM

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in range(1, COMORBIDITY_ROWS + 1):
            code = cleaned.get(f"comorbidity_icd10_{row}")
            months = cleaned.get(f"comorbidity_months_{row}")
            if code and months is None and f"comorbidity_months_{row}" not in self.errors:
                self.add_error(
                    f"comorbidity_months_{row}",
                    _("How many months has this comorbidity been controlled?"),
                )
        return cleaned

    # The pieces the service and the engine take; each uses what is valid so far.
    def fact_values(self) -> dict[str, Any]:
        return factfields.facts_from(self.cleaned_data, self.program_code)

    def attestations(self) -> dict[str, bool]:
        stated = {letter: True for letter in ATTESTED if self.cleaned_data.get(f"general_{letter}")}
        comorbidities_controlled = self.cleaned_data.get("general_d")
        if comorbidities_controlled in (factfields.YES, factfields.NO):
            stated["d"] = comorbidities_controlled == factfields.YES
        return stated

    def comorbidities(self) -> list[dict[str, Any]]:
        rows = []
        for row in range(1, COMORBIDITY_ROWS + 1):
            code = (self.cleaned_data.get(f"comorbidity_icd10_{row}") or "").strip().upper()
            months = self.cleaned_data.get(f"comorbidity_months_{row}")
            if code and months is not None:
                rows.append({"icd10": code, "controlled_months": months})
        return rows

    def patient_input(self) -> PatientInput:
        data = self.cleaned_data
        return PatientInput(
            nik=data["nik"],
            bpjs_number=data["bpjs_number"],
            name=data["name"],
            sex=data["sex"],
            birth_date=data["birth_date"],
            address=data.get("address", ""),
            phone=data.get("phone", ""),
        )

    def sections(self) -> dict[str, list[forms.BoundField]]:
        """Bound fields grouped for the template."""
        groups: dict[str, list[str]] = {
            "letter": [
                "hospital",
                "dpjp_name",
                "srb_number",
                "sep_number",
                "letter_date",
                "next_hospital_review",
            ],
            "patient": ["nik", "bpjs_number", "name", "sex", "birth_date", "phone", "address"],
            "diagnosis": ["program", "icd10", "clinical_resume", "management_plan"],
            "general": [f"general_{letter}" for letter in sorted((*ATTESTED, "d"))],
            "comorbidities": [
                name
                for row in range(1, COMORBIDITY_ROWS + 1)
                for name in (f"comorbidity_icd10_{row}", f"comorbidity_months_{row}")
            ],
            "facts": [name for name in self.fields if name.startswith(factfields.PREFIX)],
        }
        return {key: [self[name] for name in names] for key, names in groups.items()}


class MedicineLineForm(forms.Form):
    """One line of a medicine formset: a blank line is skipped; a line with a medicine
    needs the fields of ``needs`` (field → the message when it is missing)."""

    needs: ClassVar[dict[str, Any]] = {}

    medicine = MedicineChoiceField(
        queryset=Medicine.objects.active(), label=_("Medicine"), required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("medicine"):
            for name, message in self.needs.items():
                if not cleaned.get(name):
                    self.add_error(name, message)
        return cleaned


class LetterMedicineForm(MedicineLineForm):
    needs = {
        "signa": _("Enter the signa."),
        "quantity_per_month": _("Enter the quantity per month."),
    }

    strength = forms.CharField(label=_("Strength"), max_length=60, required=False)
    signa = forms.CharField(label=_("Signa"), max_length=60, required=False)
    quantity_per_month = forms.IntegerField(
        label=_("Quantity per month"), min_value=1, required=False
    )


LetterMedicineFormSet = forms.formset_factory(LetterMedicineForm, extra=4, max_num=12)


def letter_medicine_inputs(formset: forms.BaseFormSet) -> list[LetterMedicineInput]:
    return [
        LetterMedicineInput(
            medicine=form.cleaned_data["medicine"],
            signa=form.cleaned_data["signa"],
            quantity_per_month=form.cleaned_data["quantity_per_month"],
            strength=form.cleaned_data.get("strength") or "",
        )
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and form.cleaned_data.get("medicine")
    ]


class AcceptForm(forms.Form):
    override_reason = text_box(
        _("Reason for accepting despite the criteria"), rows=3, max_length=NOTE_TEXT
    )
    control_interval_days = forms.IntegerField(
        label=_("Control every (days)"),
        initial=kmk.CONTROL_INTERVAL_DAYS,
        min_value=14,
        max_value=31,
        help_text=_("Monthly; schizophrenia may be every 2 weeks (KMK III.B.8.a.1.b)."),
    )

    def __init__(self, *args: Any, readiness: selectors.Readiness | None = None, **kwargs: Any):
        """``readiness``: the puskesmas's checklist for the letter's programme; each
        missing resource asks how the patient will get it (BAB III.A)."""
        super().__init__(*args, **kwargs)
        self.gaps: list[tuple[str, str]] = []
        for code, text, available in readiness.items if readiness else ():
            if available:
                continue
            self.gaps.append((code, text))
            self.fields[f"gap_{code}_network"] = forms.CharField(
                label=_("%(item)s: through the network facility") % {"item": text},
                max_length=150,
                required=False,
            )
            self.fields[f"gap_{code}_date"] = forms.DateField(
                label=_("or available at the puskesmas by"), widget=DateInput(), required=False
            )

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("override_reason", "control_interval_days")]

    def gap_fields(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (text, self[f"gap_{code}_network"], self[f"gap_{code}_date"])
            for code, text in self.gaps
        ]

    def readiness_plan(self) -> dict[str, ReadinessGapInput]:
        plan = {}
        for code, _text in self.gaps:
            network = (self.cleaned_data.get(f"gap_{code}_network") or "").strip()
            day = self.cleaned_data.get(f"gap_{code}_date")
            if network or day:
                plan[code] = ReadinessGapInput(network_facility=network, available_on=day)
        return plan


class ReturnForm(forms.Form):
    return_reasons = text_box(
        _("Reasons for returning to the hospital"), rows=4, max_length=NOTE_TEXT, required=True
    )


def _takes_anti_seizure_medicines(case: PrbCase) -> bool:
    if case.program == Program.EPILEPSY:
        return True
    ids = [entry.get("medicine") for entry in case.current_regimen or []]
    return Medicine.objects.filter(pk__in=ids, rule_group=Medicine.RuleGroup.ANTI_SEIZURE).exists()


class VisitForm(forms.Form):
    visit_date = forms.DateField(label=_("Visit date"), widget=DateInput())
    weight_kg = forms.DecimalField(
        label=_("Weight (kg)"),
        max_digits=5,
        decimal_places=1,
        min_value=1,
        max_value=400,
        required=False,
        localize=True,
    )
    height_cm = forms.DecimalField(
        label=_("Height (cm)"),
        max_digits=5,
        decimal_places=1,
        min_value=30,
        max_value=250,
        required=False,
        localize=True,
    )
    symptoms = text_box(_("Complaints and symptoms"), rows=2, max_length=LONG_TEXT)
    adherence = forms.ChoiceField(label=_("Adherence"), choices=[])
    side_effects = text_box(_("Side effects"), rows=2, max_length=LONG_TEXT)
    next_control_date = forms.DateField(
        label=_("Next control"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: one control interval after the visit, on a working day."),
    )
    dpjp_approval = forms.CharField(
        label=_("DPJP agreement for an anti-seizure medicine change"),
        max_length=200,
        required=False,
        help_text=_("Name of the hospital doctor and date, only when the DPJP agreed to a change."),
    )

    def __init__(self, *args: Any, case: PrbCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["adherence"].choices = [("", "—"), *Adherence.choices]  # type: ignore[attr-defined]
        if not _takes_anti_seizure_medicines(case):
            # The DPJP's agreement concerns anti-seizure medicines only (III.B.6.a.3.a).
            del self.fields["dpjp_approval"]
        self.fields.update(factfields.fact_fields(case.program, "re_referral"))

    def fact_values(self) -> dict[str, Any]:
        return factfields.facts_from(self.cleaned_data, self.case.program, "re_referral")

    def fact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(factfields.PREFIX)]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(factfields.PREFIX)]


class VisitLineForm(MedicineLineForm):
    needs = {"quantity": _("Enter the quantity.")}

    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, required=False)
    signa = forms.CharField(label=_("Signa"), max_length=60, required=False)
    daily_dose = forms.FloatField(
        label=_("Daily dose (IU insulin, mg corticosteroid)"),
        min_value=0,
        required=False,
        localize=True,
    )


VisitLineFormSet = forms.formset_factory(VisitLineForm, extra=2, max_num=12)


def visit_line_inputs(formset: forms.BaseFormSet) -> list[VisitLineInput]:
    return [
        VisitLineInput(
            medicine=form.cleaned_data["medicine"],
            quantity=form.cleaned_data["quantity"],
            signa=form.cleaned_data.get("signa") or "",
            daily_dose=form.cleaned_data.get("daily_dose"),
        )
        for form in formset.forms
        # The live check reads a half-filled formset: lines without a quantity wait.
        if getattr(form, "cleaned_data", None)
        and form.cleaned_data.get("medicine")
        and form.cleaned_data.get("quantity")
    ]


def rereferral_clause_choices(program: str) -> list[tuple[str, str]]:
    return [
        (clause["id"], f"{clause['id']} — {clause['text']}")
        for clause in criteria_catalogue()
        if clause["mode"] == "re_referral" and clause["program"] == program
    ]


class ReReferralForm(forms.Form):
    hospital = forms.ModelChoiceField(
        queryset=Facility.objects.none(), label=_("Destination hospital")
    )
    referred_on = forms.DateField(label=_("Referral date"), widget=DateInput())
    clause_ids = forms.MultipleChoiceField(
        label=_("Re-referral criteria"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    doctor_reason = text_box(_("Doctor's reason and summary"), rows=4, max_length=NOTE_TEXT)

    def __init__(self, *args: Any, case: PrbCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hospital"].queryset = selectors.hospitals()  # type: ignore[attr-defined]
        self.fields["clause_ids"].choices = rereferral_clause_choices(case.program)  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, allowed: set[CaseStatus], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(status.value, status.label) for status in CaseStatus if status in allowed]
        self.has_choices = bool(choices)
        # No status is pre-selected: changing a case's status is a deliberate choice.
        self.fields["status"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]


class CarePlanForm(forms.ModelForm):
    class Meta:
        model = CarePlan
        fields = ["place", "control_interval_days", "targets"]
        widgets = {"targets": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        interval = self.fields["control_interval_days"]
        interval.min_value = 14  # type: ignore[attr-defined]
        interval.max_value = 31  # type: ignore[attr-defined]
        interval.widget.attrs.update({"min": 14, "max": 31})
        interval.help_text = _(
            "Monthly for every programme; schizophrenia may be every 2 weeks (III.B.8.a.1)."
        )


class HomeVisitForm(forms.ModelForm):
    class Meta:
        model = HomeVisit
        fields = ["visited_on", "visitor_role", "visitor_name", "findings", "follow_up"]
        widgets = {
            "visited_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }


class PustuForm(forms.Form):
    pustu = forms.ModelChoiceField(
        queryset=Facility.objects.none(), label=_("Pustu"), required=False
    )

    def __init__(self, *args: Any, puskesmas_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pustu"].queryset = Facility.objects.filter(  # type: ignore[attr-defined]
            kind=Facility.Kind.PUSTU, parent_id=puskesmas_id
        )


class ReadinessForm(forms.Form):
    available = forms.MultipleChoiceField(
        label=_("Available"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Arranged through the network"), max_length=255, required=False)

    def __init__(self, *args: Any, program: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["available"].choices = list(kmk.RESOURCES[program])  # type: ignore[attr-defined]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, NIK or BPJS number"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *PrbCase.Status.choices]
    )


def put_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError on the form: engine paths and known fields on their field."""
    common_forms.put_errors(form, exc, field_for=factfields.field_for_path)


def today() -> dt.date:
    return timezone.localdate()
