"""Reads of the district dashboards: scope, figures from the monthly facts, drill-down lists
and the district's medicine balance.

Scope (STYLE.md 3): ``visible_puskesmas(user)`` is the one place that decides which
puskesmas a user's dashboard covers — a dinas kesehatan officer the puskesmas of the
regency, a puskesmas head (facility admin) the own puskesmas, a superuser all;
``puskesmas_for_user`` 404s outside it. Patient names come only through
``Patient.objects.visible_to(user)``: dinkes never gets one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts.models import User
from accounts.policy import Capability
from dashboards import facts
from dashboards import indicators as ind
from dashboards.models import MonthlyFact
from facilities.models import Facility
from lib.months import add_months_first_day, months_between
from patients.models import Patient
from patients.programs import Program
from pharmacy.models import Medicine, StockCardLine, Store
from pharmacy.selectors import EFFECTIVE_MOVEMENT, dispensed_net, stock_levels_for_regency
from referrals.models import BackReferralLetter, ReReferral

SUM_FIELDS = tuple(name for name in facts.FACT_FIELDS)


# ---------------------------------------------------------------------------- scope


def visible_puskesmas(user: User) -> QuerySet[Facility]:
    puskesmas = Facility.objects.filter(kind=Facility.Kind.PUSKESMAS)
    if not getattr(user, "is_authenticated", False):
        return puskesmas.none()
    if user.is_superuser:
        return puskesmas
    if user.is_dinkes and user.regency_id:
        return puskesmas.filter(regency_id=user.regency_id)
    if user.is_facility_admin and user.facility is not None:
        return puskesmas.filter(pk=user.facility.home_puskesmas_id)
    return puskesmas.none()


def can_view_dashboards(user: User) -> bool:
    return policy.can(user, Capability.SEE_DASHBOARDS)


def dashboard_puskesmas(user: User) -> list[Facility]:
    """The puskesmas of the user's dashboard; 403 for a role without dashboards."""
    policy.require(user, Capability.SEE_DASHBOARDS)
    return list(visible_puskesmas(user).select_related("regency").order_by("name", "pk"))


def puskesmas_for_user(user: User, pk: int) -> Facility:
    """The access helper of the dashboards: 404 outside the user's puskesmas."""
    policy.require(user, Capability.SEE_DASHBOARDS)
    return get_object_or_404(visible_puskesmas(user).select_related("regency"), pk=pk)


# ---------------------------------------------------------------------------- figures


@dataclass
class Totals:
    """Sums of monthly facts; each indicator is read off them."""

    values: dict[str, Any] = field(default_factory=lambda: dict.fromkeys(SUM_FIELDS, 0))

    def add(self, row: dict[str, Any]) -> None:
        for name in SUM_FIELDS:
            self.values[name] += row[name] or 0

    def _ratio(self, numerator: str, denominator: str) -> float | None:
        base = self.values[denominator]
        return self.values[numerator] / base if base else None

    def value(self, code: str) -> float | int | Decimal | None:
        v = self.values
        if code in ("active", "new_back_referrals", "rereferrals", "returns", "expiring_value"):
            return v[code]
        if code == "retention":
            return self._ratio("retained", "retention_base")
        if code in ("ltfu", "overdue", "controlled"):
            return self._ratio(code, "active")
        if code == "availability":
            return self._ratio("tracer_in_stock", "tracer_total")
        if code == "stockout_days":
            return self._ratio("stockout_days", "tracer_total")
        if code == "readiness":
            return self._ratio("readiness_available", "readiness_items")
        raise KeyError(code)

    def count(self, code: str) -> int | None:
        """The number of cases behind a rate (for the drill-down link)."""
        return {
            "retention": self.values["retained"],
            "ltfu": self.values["ltfu"],
            "overdue": self.values["overdue"],
            "controlled": self.values["controlled"],
        }.get(code)


@dataclass(frozen=True)
class Cell:
    indicator: ind.Indicator
    value: Any
    count: int | None
    level: str  # "good", "warn", "poor" or "" (not rated)

    @property
    def display(self) -> str:
        return format_value(self.indicator, self.value)


def facts_computed_at(facility_ids: Sequence[int]) -> dt.datetime | None:
    """When the newest monthly fact of these puskesmas was computed: "data as of"."""
    return MonthlyFact.objects.filter(facility_id__in=list(facility_ids)).aggregate(
        at=Max("computed_at")
    )["at"]


def format_value(indicator: ind.Indicator, value: Any) -> str:
    if value is None:
        return "–"
    if indicator.kind == "rate":
        return f"{value * 100:.0f}%"
    if indicator.kind == "days":
        return f"{value:.1f}".replace(".", ",")
    if indicator.kind == "money":
        return f"Rp {int(value):,}".replace(",", ".")
    return f"{int(value):,}".replace(",", ".")


def level(indicator: ind.Indicator, value: Any) -> str:
    if value is None or indicator.higher_is_better is None:
        return ""
    good, bad = indicator.good, indicator.bad
    assert good is not None and bad is not None
    if indicator.higher_is_better:
        return "good" if value >= good else "poor" if value < bad else "warn"
    return "good" if value <= good else "poor" if value > bad else "warn"


def cells(totals: Totals) -> list[Cell]:
    result = []
    for indicator in ind.INDICATORS:
        value = totals.value(indicator.code)
        result.append(Cell(indicator, value, totals.count(indicator.code), level(indicator, value)))
    return result


@dataclass
class Figures:
    """What a dashboard page shows for a set of puskesmas, programmes and a month."""

    month: dt.date
    months: list[dt.date]
    total: Totals
    by_facility: dict[int, Totals]
    by_month: dict[dt.date, Totals]
    by_program: dict[str, Totals]


def figures(
    *,
    facility_ids: Sequence[int],
    programs: Sequence[str],
    month: dt.date,
    by: str = "facility",
    trend_months: int = 12,
) -> Figures:
    """One query over the monthly facts, summed in the database per month and per puskesmas
    (``by="facility"``, the district page) or per programme (``by="program"``, a puskesmas
    page): the month's totals and the trend of the ``trend_months`` months up to ``month``."""
    first = add_months_first_day(month, -(trend_months - 1))
    months = months_between(first, month)
    key = {"facility": "facility_id", "program": "program"}[by]
    rows = (
        MonthlyFact.objects.filter(
            facility_id__in=list(facility_ids),
            program__in=list(programs),
            month__gte=first,
            month__lte=month,
        )
        .values(key, "month")
        .annotate(**{name: Sum(name) for name in SUM_FIELDS})
        .order_by()
    )
    result = Figures(
        month,
        months,
        Totals(),
        defaultdict(Totals),
        {m: Totals() for m in months},
        defaultdict(Totals),
    )
    for row in rows:
        result.by_month[row["month"]].add(row)
        if row["month"] == month:
            result.total.add(row)
            if by == "facility":
                result.by_facility[row["facility_id"]].add(row)
            else:
                result.by_program[row["program"]].add(row)
    return result


def latest_computed_month(facility_ids: Sequence[int]) -> dt.date | None:
    return (
        MonthlyFact.objects.filter(facility_id__in=list(facility_ids))
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


# ---------------------------------------------------------------------------- drill-down

DRILLS = {
    "active": _("Active cases"),
    "retained": _("Retained"),
    "not_retained": _("Enrolled ≥ 90 days without a visit in 90 days"),
    "ltfu": _("Lost to follow-up"),
    "overdue": _("Overdue control"),
    "controlled": _("Controlled"),
    "not_controlled": _("Not controlled"),
    "new_back_referrals": _("New back-referrals"),
    "rereferrals": _("Re-referrals"),
    "returns": _("Returns from hospital"),
}


@dataclass
class CaseRow:
    case_id: int
    patient_id: int
    program: str
    label: str  # the patient's name for those allowed, else an anonymous reference
    sex: str
    age: int | None
    date: dt.date | None  # enrolment, letter or referral date
    last_visit: dt.date | None = None
    due: dt.date | None = None

    @property
    def program_label(self) -> str:
        return str(Program(self.program).label)


def _age(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def drill_rows(
    *,
    user: User,
    facility: Facility,
    programs: Sequence[str],
    month: dt.date,
    drill: str,
    today: dt.date,
) -> list[CaseRow]:
    """The cases behind a number of the puskesmas's month. Names only through
    ``Patient.objects.visible_to(user)``; everyone else gets "Kasus #id", sex and age."""
    as_of = facts.reference_date(month, today)
    raw: list[tuple[int, int, str, dt.date | None, dt.date | None, dt.date | None]] = []
    if drill in ("new_back_referrals", "rereferrals", "returns"):
        raw = _event_rows(
            facility=facility, programs=programs, month=month, as_of=as_of, drill=drill
        )
    elif drill in DRILLS:
        flag = {
            "active": lambda r: True,
            "retained": lambda r: r.retained,
            "not_retained": lambda r: r.retention_base and not r.retained,
            "ltfu": lambda r: r.ltfu,
            "overdue": lambda r: r.overdue,
            "controlled": lambda r: r.controlled,
            "not_controlled": lambda r: not r.controlled,
        }[drill]
        for row in facts.case_flags(
            facility_ids=[facility.pk], programs=programs, month=month, today=today
        ):
            if flag(row):
                raw.append(
                    (
                        row.case_id,
                        row.patient_id,
                        row.program,
                        row.enrolled_on,
                        row.last_visit,
                        row.due,
                    )
                )
    else:
        raise Http404
    patient_ids = {patient_id for _c, patient_id, *_rest in raw}
    people = {
        pk: (sex, birth)
        for pk, sex, birth in Patient.objects.filter(pk__in=patient_ids).values_list(
            "pk", "sex", "birth_date"
        )
    }
    names = (
        dict(Patient.objects.visible_to(user).filter(pk__in=patient_ids).values_list("pk", "name"))
        if user.can_see_patient_names
        else {}
    )
    rows = []
    for case_id, patient_id, program, date, last_visit, due in raw:
        sex, birth = people.get(patient_id, ("", None))
        label = names.get(patient_id) or gettext("Case #%(id)s") % {"id": case_id}
        rows.append(
            CaseRow(
                case_id,
                patient_id,
                program,
                str(label),
                sex,
                _age(birth, as_of),
                date,
                last_visit,
                due,
            )
        )
    rows.sort(key=lambda r: (r.program, r.label if names else "", r.case_id))
    return rows


def _event_rows(
    *, facility: Facility, programs: Sequence[str], month: dt.date, as_of: dt.date, drill: str
) -> list[tuple[int, int, str, dt.date | None, dt.date | None, dt.date | None]]:
    if drill == "new_back_referrals":
        letters = BackReferralLetter.objects.filter(
            facility=facility, program__in=programs, letter_date__gte=month, letter_date__lte=as_of
        ).values_list("case_id", "patient_id", "program", "letter_date", "pk")
        return [
            (case_id or 0, patient_id, program, on, None, None)
            for case_id, patient_id, program, on, _pk in letters
        ]
    date_field = "referred_on" if drill == "rereferrals" else "returned_on"
    referrals = ReReferral.objects.filter(
        case__facility=facility,
        case__program__in=programs,
        **{f"{date_field}__gte": month, f"{date_field}__lte": as_of},
    ).values_list("case_id", "case__patient_id", "case__program", date_field)
    return [
        (case_id, patient_id, program, on, None, None)
        for case_id, patient_id, program, on in referrals
    ]


# ---------------------------------------------------------------------------- medicine balance

SHORTAGE_MONTHS = 1  # less than a month of use left (or none)
EXCESS_MONTHS = 3  # more than three months of use
TARGET_MONTHS = 2  # a month's use plus a month's buffer, as the LPLPO request (pharmacy)
USE_WINDOW_DAYS = 90


@dataclass
class BalanceRow:
    facility: Facility
    medicine_id: int
    medicine_name: str
    usable: int
    monthly_use: float
    state: str  # "shortage", "excess", "ok"

    @property
    def months_of_stock(self) -> float | None:
        return self.usable / self.monthly_use if self.monthly_use else None

    @property
    def quantity(self) -> int:
        """Units short of the target (shortage) or above it (excess)."""
        target = round(TARGET_MONTHS * self.monthly_use)
        return target - self.usable if self.state == "shortage" else self.usable - target


@dataclass(frozen=True)
class Transfer:
    medicine_name: str
    source: Facility
    destination: Facility
    quantity: int


def _monthly_use(facility_ids: Iterable[int], today: dt.date) -> dict[tuple[int, int], float]:
    dispense = StockCardLine.Movement.DISPENSE
    rows = (
        StockCardLine.objects.filter(
            store__facility_id__in=list(facility_ids),
            store__kind__in=Store.DISPENSING,
            date__gt=today - dt.timedelta(days=USE_WINDOW_DAYS),
            date__lte=today,
        )
        .annotate(effective=EFFECTIVE_MOVEMENT)
        .filter(effective=dispense)
        .values("store__facility_id", "medicine_id")
        .annotate(units=dispensed_net())
        .order_by()
    )
    months = USE_WINDOW_DAYS / 30
    return {
        (row["store__facility_id"], row["medicine_id"]): max(row["units"], 0) / months
        for row in rows
    }


def medicine_balance(
    *, puskesmas: Sequence[Facility], as_of: dt.date, tracer_only: bool = False
) -> tuple[list[BalanceRow], list[Transfer]]:
    """KMK III.C.5: per medicine, puskesmas short of it and puskesmas holding more than they
    use, and transfers from the second to the first (within one regency), largest first.

    Read on ``as_of`` (today, or the last day of a past period): use is the units dispensed
    in the 90 days up to it (net of reversals) per month; stock is the usable (unexpired)
    units of the PRB store and depots held at the end of that day (pharmacy's regency levels).
    """
    by_pk = {f.pk: f for f in puskesmas}
    medicines = Medicine.objects.active()
    if tracer_only:
        medicines = medicines.filter(is_tracer=True)
    names = {m.pk: str(m) for m in medicines}
    usable: dict[tuple[int, int], int] = defaultdict(int)
    for regency_id in sorted({f.regency_id for f in puskesmas}):
        for level_row in stock_levels_for_regency(regency_id, as_of=as_of, medicines=list(names)):
            if level_row.facility_id in by_pk:
                usable[(level_row.facility_id, level_row.medicine_id)] += level_row.usable_quantity
    use = _monthly_use(by_pk, as_of)
    rows: list[BalanceRow] = []
    for facility_id, medicine_id in sorted(set(usable) | set(use)):
        if medicine_id not in names:
            continue
        units, monthly = (
            usable.get((facility_id, medicine_id), 0),
            use.get((facility_id, medicine_id), 0.0),
        )
        if monthly > 0 and units < SHORTAGE_MONTHS * monthly:
            state = "shortage"
        elif units > 0 and (monthly == 0 or units > EXCESS_MONTHS * monthly):
            state = "excess"
        else:
            state = "ok"
        rows.append(
            BalanceRow(by_pk[facility_id], medicine_id, names[medicine_id], units, monthly, state)
        )
    transfers = _transfers(rows)
    rows = [row for row in rows if row.state != "ok"]
    rows.sort(key=lambda r: (r.medicine_name, r.state != "shortage", r.facility.name))
    return rows, transfers


def _transfers(rows: list[BalanceRow]) -> list[Transfer]:
    by_medicine: dict[tuple[int, int], list[BalanceRow]] = defaultdict(list)
    for row in rows:
        by_medicine[(row.medicine_id, row.facility.regency_id)].append(row)
    transfers = []
    for group in by_medicine.values():

        def largest_first(state: str, group: list[BalanceRow] = group) -> list[BalanceRow]:
            chosen = [row for row in group if row.state == state and row.quantity > 0]
            return sorted(chosen, key=lambda row: (-row.quantity, row.facility.name))

        surpluses = largest_first("excess")
        left = {id(row): row.quantity for row in surpluses}
        for need in largest_first("shortage"):
            missing = need.quantity
            for surplus in surpluses:
                quantity = min(missing, left[id(surplus)])
                if quantity <= 0:
                    continue
                transfers.append(
                    Transfer(need.medicine_name, surplus.facility, need.facility, quantity)
                )
                missing -= quantity
                left[id(surplus)] -= quantity
                if missing <= 0:
                    break
    transfers.sort(key=lambda t: (t.medicine_name, -t.quantity))
    return transfers
