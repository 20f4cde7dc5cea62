"""The stock sweep: below minimum, expiring lots and stock-outs before due patients' controls."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from alerts.models import Alert
from alerts.services import (
    CLINICAL_ROLES,
    PHARMACY_ROLES,
)
from alerts.sweeps.raiser import (
    Links,
    Raiser,
    SweepResult,
    date_text,
    in_care,
    patients_by_id,
    program_label,
)
from lib.months import add_months_first_day
from pharmacy.selectors import regimen_monthly_quantity, usable_units_by_medicine

# Stock: minimum = lead-time stock + buffer stock (III.C.1.a, D + C), both sized
# in months of the average monthly use of the last complete months.
LEAD_TIME_MONTHS = Decimal(1)
BUFFER_MONTHS = Decimal(1)
USAGE_HISTORY_MONTHS = 3
EXPIRY_NOTICE_DAYS = 90
STOCK_OUT_HORIZON_DAYS = 7


# ---------------------------------------------------------------- stock


def _minimums(store: Any, *, as_of: dt.date) -> dict[int, int]:
    """Minimum stock per medicine = lead-time stock + buffer stock (III.C.1.a D + C)."""
    from pharmacy import planning
    from pharmacy.selectors import consumption_plans

    rows = consumption_plans(
        store=store,
        last_month=add_months_first_day(as_of, -1),
        history_months=USAGE_HISTORY_MONTHS,
        period_months=1,
        lead_time_months=LEAD_TIME_MONTHS,
        buffer=planning.BufferStock.months_of_use(BUFFER_MONTHS),
        as_of=as_of,
    )
    return {
        row.medicine.pk: math.ceil(row.plan.lead_time_stock + row.plan.buffer_stock)
        for row in rows
        if row.plan is not None
    }


def alerts_sweep_stock(*, facility_id: int, as_of: dt.date) -> SweepResult:
    """Stock below the minimum, lots expiring within 90 days or expired (III.C), and a
    medicine the stock cannot give a patient due within 7 days (the KMK's "obat tidak
    bisa disediakan", a re-referral reason of III.B.x.d)."""
    from pharmacy.models import Medicine, StockBalance, Store

    kinds = [
        Alert.Kind.STOCK_LOW,
        Alert.Kind.LOT_EXPIRING,
        Alert.Kind.LOT_EXPIRED,
        Alert.Kind.STOCK_OUT_FOR_DUE_PATIENT,
    ]
    raiser = Raiser(facility_id=facility_id, kinds=kinds)
    raiser.pustu_ids = set()  # stock is the pharmacy's business, not the Pustu's
    links = Links()
    stores = list(
        Store.objects.filter(facility_id=facility_id, kind__in=Store.DISPENSING, is_active=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        for store in stores:
            on_hand = dict(
                StockBalance.objects.filter(store=store, lot__expiry_date__gt=as_of)
                .values("medicine_id")
                .annotate(units=Sum("quantity"))
                .order_by()
                .values_list("medicine_id", "units")
            )
            minimums = _minimums(store, as_of=as_of)
            names = {m.pk: str(m) for m in Medicine.objects.filter(pk__in=minimums)}
            for medicine_id, minimum in minimums.items():
                units = on_hand.get(medicine_id, 0)
                if minimum > 0 and units < minimum:
                    raiser.add(
                        kind=Alert.Kind.STOCK_LOW,
                        key=f"store:{store.pk}:medicine:{medicine_id}:low:{as_of:%Y-%m}",
                        title=_("Stock below minimum: %(medicine)s (%(store)s)")
                        % {"medicine": names[medicine_id], "store": store.name},
                        roles=PHARMACY_ROLES,
                        link=reverse("pharmacy:card", args=[store.pk, medicine_id]),
                        body=_(
                            "%(units)s units usable; minimum %(minimum)s"
                            " (lead-time stock + buffer stock, KMK III.C.1.a)."
                        )
                        % {"units": units, "minimum": minimum},
                    )
            lots = (
                StockBalance.objects.filter(
                    store=store,
                    quantity__gt=0,
                    lot__expiry_date__lte=as_of + dt.timedelta(days=EXPIRY_NOTICE_DAYS),
                )
                .select_related("lot", "medicine")
                .order_by("lot__expiry_date", "pk")
            )
            for balance in lots:
                expired = balance.lot.expiry_date <= as_of
                values = {
                    "medicine": str(balance.medicine),
                    "batch": balance.lot.batch,
                    "date": date_text(balance.lot.expiry_date),
                    "store": store.name,
                }
                raiser.add(
                    kind=Alert.Kind.LOT_EXPIRED if expired else Alert.Kind.LOT_EXPIRING,
                    key=f"store:{store.pk}:lot:{balance.lot_id}:{'expired' if expired else 'expiring'}",
                    title=(
                        _("Lot expired: %(medicine)s batch %(batch)s (%(date)s, %(store)s)")
                        if expired
                        else _("Lot expiring: %(medicine)s batch %(batch)s (%(date)s, %(store)s)")
                    )
                    % values,
                    roles=PHARMACY_ROLES,
                    link=reverse("pharmacy:stock", args=[store.pk]),
                    severity=Alert.Severity.URGENT if expired else Alert.Severity.WARNING,
                    body=_("%(units)s units.") % {"units": balance.quantity}
                    + " "
                    + (
                        _("Move it to quarantine and destroy it with a report (III.C).")
                        if expired
                        else _("Dispense it first (FEFO) or arrange a redistribution.")
                    ),
                )
            raiser.flush()
        _stock_out_for_due_patients(raiser, links, facility_id=facility_id, as_of=as_of)
        return raiser.finish()


def _stock_out_for_due_patients(
    raiser: Raiser, links: Links, *, facility_id: int, as_of: dt.date
) -> None:
    stock = usable_units_by_medicine(facility_id=facility_id, as_of=as_of)
    if stock is None:
        return
    remaining = dict(stock)
    due = (
        in_care(facility_id)
        .filter(
            next_control_date__gte=as_of,
            next_control_date__lte=as_of + dt.timedelta(days=STOCK_OUT_HORIZON_DAYS),
        )
        .exclude(current_regimen=[])
        .values_list("pk", "next_control_date", "current_regimen", "patient_id", "program")
        .order_by("next_control_date", "pk")
    )
    rows = list(due)
    patients = patients_by_id(row[3] for row in rows)
    for pk, due_date, regimen, patient_id, program in rows:
        name = patients[patient_id][0]
        # Patients are served in order of their control date: the stock goes to the first.
        for line in regimen if isinstance(regimen, list) else []:
            if not isinstance(line, dict) or not isinstance(line.get("medicine"), int):
                continue
            medicine_id = line["medicine"]
            needed = regimen_monthly_quantity(line)
            if remaining.get(medicine_id, 0) >= needed:
                remaining[medicine_id] -= needed
                continue
            medicine = " ".join(filter(None, [line.get("name"), line.get("strength")])) or str(
                medicine_id
            )
            raiser.add(
                kind=Alert.Kind.STOCK_OUT_FOR_DUE_PATIENT,
                key=f"case:{pk}:due:{due_date.isoformat()}:medicine:{medicine_id}:stockout",
                title=_("%(medicine)s not available for %(name)s, control %(date)s")
                % {"medicine": medicine, "name": name, "date": date_text(due_date)},
                roles=[*CLINICAL_ROLES, "farmasi"],
                patient_id=patient_id,
                link=links.case(pk),
                severity=Alert.Severity.URGENT,
                body=_(
                    "The PRB stock cannot cover %(quantity)s units for this %(program)s patient."
                    " Request stock or arrange the medicine through the network; a medicine that"
                    " cannot be provided is a re-referral reason (KMK III.B.x.d)."
                )
                % {"quantity": needed, "program": program_label(program)},
            )
    raiser.flush()
