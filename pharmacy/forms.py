import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import text_box
from common.text import NOTE_TEXT
from patients.forms import DateInput
from pharmacy import planning
from pharmacy.models import (
    Destruction,
    DestructionLine,
    Lot,
    Medicine,
    StockBalance,
    StockCardLine,
    Store,
)
from pharmacy.planning.fefo import NEAR_EXPIRY_DAYS


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m", **kwargs)  # type: ignore[arg-type]


class MonthField(forms.DateField):
    widget = MonthInput

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m", "%Y-%m-%d"])
        super().__init__(**kwargs)  # type: ignore[arg-type]


def _today() -> dt.date:
    return timezone.localdate()


class ReceiptForm(forms.Form):
    """One delivery: date, source and document typed once; its lots are ReceiptLineFormSet."""

    received_on = forms.DateField(label=_("Receipt date"), widget=DateInput(), initial=_today)
    source = forms.ChoiceField(label=_("Source"), choices=Lot.Source.choices)
    supplier = forms.CharField(label=_("Supplier"), max_length=150, required=False)
    reference = forms.CharField(
        label=_("Document reference"),
        max_length=100,
        required=False,
        help_text=_("e.g. the SBBK or delivery note number."),
    )
    confirm_near_expiry = forms.BooleanField(
        label=_("Receive the lots that expire soon anyway"), required=False
    )


class ReceiptLineForm(forms.Form):
    medicine = forms.ModelChoiceField(
        label=_("Medicine"), queryset=Medicine.objects.active().order_by("name", "strength")
    )
    batch = forms.CharField(label=_("Batch number"), max_length=40)
    expiry_date = forms.DateField(
        label=_("Expiry date"), widget=DateInput(attrs={"data-expiry-check": ""})
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)


ReceiptLineFormSet = forms.formset_factory(
    ReceiptLineForm, extra=0, min_num=1, validate_min=True, max_num=60, validate_max=True
)


def receipt_near_expiry(received_on: dt.date, rows: list[dict]) -> list[dict]:
    """The delivered lots that expire within NEAR_EXPIRY_DAYS of the receipt (expired ones
    are refused by the service), each with ``days`` left."""
    return [
        {**row, "days": (row["expiry_date"] - received_on).days}
        for row in rows
        if received_on < row["expiry_date"] <= received_on + dt.timedelta(days=NEAR_EXPIRY_DAYS)
    ]


class LotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StockBalance) -> str:  # type: ignore[override]
        return f"{obj.medicine} · {obj.lot} · {obj.quantity}"


class LotMovementForm(forms.Form):
    """One lot of the store and a quantity; subclasses add what their movement needs."""

    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=_today)
    balance = LotChoiceField(label=_("Lot"), queryset=StockBalance.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)

    def __init__(self, *args: object, store: Store, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["balance"].queryset = (  # type: ignore[attr-defined]
            StockBalance.objects.filter(store=store, quantity__gt=0)
            .select_related("lot", "medicine")
            .order_by("medicine__name", "medicine__strength", "lot__expiry_date")
        )


class TransferForm(LotMovementForm):
    destination = forms.ModelChoiceField(label=_("To store"), queryset=Store.objects.none())
    reference = forms.CharField(label=_("Document reference"), max_length=100, required=False)

    def __init__(self, *args: object, store: Store, **kwargs: object) -> None:
        super().__init__(*args, store=store, **kwargs)
        self.fields["destination"].queryset = (  # type: ignore[attr-defined]
            Store.objects.filter(is_active=True, kind__in=Store.DISPENSING)
            .exclude(pk=store.pk)
            .filter(facility__regency_id=store.facility.regency_id)
            .select_related("facility")
        )


class ReturnForm(LotMovementForm):
    supplier = forms.CharField(label=_("Returned to"), max_length=150)
    reason = forms.CharField(label=_("Reason"), max_length=255)
    reference = forms.CharField(label=_("Document reference"), max_length=100, required=False)


class WriteOffForm(LotMovementForm):
    kind = forms.ChoiceField(
        label=_("Condition"),
        choices=[
            (StockCardLine.Movement.EXPIRED, _("Expired")),
            (StockCardLine.Movement.DAMAGED, _("Damaged")),
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=255)


class DispenseForm(forms.Form):
    dispensed_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=_today)

    def __init__(self, *args: object, lines: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lines = lines
        for line in lines:
            self.fields[f"quantity_{line.pk}"] = forms.IntegerField(
                label=str(line.medicine),
                min_value=0,
                max_value=line.owed_quantity,
                initial=line.owed_quantity,
            )

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data[f"quantity_{line.pk}"] for line in self.lines}


class OpnameForm(forms.Form):
    counted_on = forms.DateField(label=_("Count date"), widget=DateInput(), initial=_today)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)

    def __init__(self, *args: object, balances: list[StockBalance], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.balances = balances
        for balance in balances:
            self.fields[f"counted_{balance.lot_id}"] = forms.IntegerField(
                label=_("Counted"), min_value=0, initial=balance.quantity
            )
            self.fields[f"reason_{balance.lot_id}"] = forms.CharField(
                label=_("Reason"), max_length=255, required=False
            )

    def rows(self) -> list[tuple[StockBalance, forms.BoundField, forms.BoundField]]:
        return [(b, self[f"counted_{b.lot_id}"], self[f"reason_{b.lot_id}"]) for b in self.balances]


class DestructionForm(forms.Form):
    destroyed_on = forms.DateField(
        label=_("Date of destruction"), widget=DateInput(), initial=_today
    )
    method = forms.ChoiceField(label=_("Method"), choices=Destruction.Method.choices)
    place = forms.CharField(label=_("Place"), max_length=200)
    witnesses = text_box(
        _("Witnesses"),
        rows=3,
        max_length=NOTE_TEXT,
        required=True,
        help_text=_("One witness per line: name, position."),
    )
    note = text_box(_("Note"), rows=2, max_length=NOTE_TEXT)

    def __init__(self, *args: object, balances: list[StockBalance], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.balances = balances
        today = _today()
        for balance in balances:
            self.fields[f"destroy_{balance.pk}"] = forms.IntegerField(
                label=_("Quantity to destroy"),
                min_value=0,
                max_value=balance.quantity,
                required=False,
            )
            self.fields[f"reason_{balance.pk}"] = forms.ChoiceField(
                label=_("Reason (KMK III.C.7)"),
                choices=DestructionLine.Reason.choices,
                initial=(
                    DestructionLine.Reason.EXPIRED
                    if balance.lot.expiry_date <= today
                    else DestructionLine.Reason.DAMAGED
                ),
            )

    def header_fields(self) -> list[forms.BoundField]:
        """The report's own fields; the per-lot fields are rendered in the table's rows."""
        return [self[name] for name in ("destroyed_on", "method", "place", "witnesses", "note")]

    def rows(self) -> list[tuple[StockBalance, forms.BoundField, forms.BoundField]]:
        return [(b, self[f"destroy_{b.pk}"], self[f"reason_{b.pk}"]) for b in self.balances]


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"))


class PlanningForm(forms.Form):
    last_month = MonthField(label=_("Last month of the history"))
    history_months = forms.IntegerField(
        label=_("Months of history"), min_value=1, max_value=36, initial=12
    )
    period_months = forms.IntegerField(
        label=_("Planning period (months)"), min_value=1, max_value=36, initial=12
    )
    lead_time_months = forms.DecimalField(
        label=_("Lead time (months)"), min_value=0, max_value=24, decimal_places=2, initial=1
    )
    buffer_basis = forms.ChoiceField(
        label=_("Buffer stock"),
        choices=[
            (planning.BufferBasis.PERCENT_OF_BASE.value, _("% of the working stock")),
            (planning.BufferBasis.MONTHS_OF_USE.value, _("months of average use")),
            (planning.BufferBasis.UNITS.value, _("units")),
        ],
        initial=planning.BufferBasis.PERCENT_OF_BASE.value,
    )
    buffer_amount = forms.DecimalField(
        label=_("Buffer amount"), min_value=0, decimal_places=2, initial=10
    )

    def buffer(self) -> planning.BufferStock:
        amount = self.cleaned_data["buffer_amount"]
        if amount == amount.to_integral_value():
            amount = int(amount)
        return planning.BufferStock(planning.BufferBasis(self.cleaned_data["buffer_basis"]), amount)

    def lead_time(self) -> Decimal | int:
        value = self.cleaned_data["lead_time_months"]
        return int(value) if value == value.to_integral_value() else value


class CaseLoadForm(forms.Form):
    """Inputs of the morbidity and proxy-consumption methods for one medicine."""

    method = forms.ChoiceField(
        label=_("Method"),
        choices=[
            ("consumption", _("Consumption")),
            ("morbidity", _("Morbidity")),
            ("proxy", _("Proxy consumption")),
        ],
    )
    period_months = forms.IntegerField(
        label=_("Planning period (months)"), min_value=1, max_value=36, initial=12
    )
    lead_time_months = forms.IntegerField(
        label=_("Lead time (months)"), min_value=0, max_value=24, initial=1
    )
    buffer_months = forms.IntegerField(
        label=_("Buffer stock (months of use)"), min_value=0, max_value=12, initial=1
    )
    cases_label = forms.CharField(label=_("Case group"), max_length=80, required=False)
    cases_per_month = forms.IntegerField(label=_("Cases per month"), min_value=0, required=False)
    units_per_case = forms.IntegerField(
        label=_("Units per case per month"), min_value=0, required=False
    )
    proxy_name = forms.CharField(label=_("Comparison facility"), max_length=120, required=False)
    proxy_average = forms.IntegerField(
        label=_("Its average use per month"), min_value=0, required=False
    )
    proxy_coverage = forms.IntegerField(label=_("Its PRB patients"), min_value=1, required=False)
    own_coverage = forms.IntegerField(label=_("Our PRB patients"), min_value=0, required=False)


class AbcForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    basis = forms.ChoiceField(
        label=_("ABC basis"),
        choices=[
            (planning.AbcBasis.INVESTMENT.value, _("Investment (units × price)")),
            (planning.AbcBasis.USAGE.value, _("Usage (units dispensed)")),
        ],
        initial=planning.AbcBasis.INVESTMENT.value,
    )
    cut_a = forms.IntegerField(label=_("Class A (%)"), min_value=1, max_value=100, initial=70)
    cut_b = forms.IntegerField(label=_("Class B (%)"), min_value=0, max_value=100, initial=20)
    cut_c = forms.IntegerField(label=_("Class C (%)"), min_value=0, max_value=100, initial=10)

    def clean(self) -> dict:
        data = super().clean() or {}
        if {"cut_a", "cut_b", "cut_c"} <= data.keys():
            try:
                data["cutoffs"] = planning.AbcCutoffs(data["cut_a"], data["cut_b"], data["cut_c"])
            except ValueError as error:
                self.add_error(None, str(error))
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data


class VenForm(forms.Form):
    medicine = forms.ModelChoiceField(label=_("Medicine"), queryset=Medicine.objects.active())
    ven = forms.ChoiceField(label=_("VEN class"), choices=Medicine.Ven.choices)
