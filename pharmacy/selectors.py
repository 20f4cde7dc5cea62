"""Reads of PRB stock (STYLE.md 3): access helpers that 404 outside the user's scope,
the tables the pages show, and district aggregates for the dinas kesehatan."""

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import connection
from django.db.models import (
    Case,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from accounts.policy import Capability
from accounts.tiles import Tile
from facilities.models import Facility
from lib.months import add_months_first_day, month_end, month_start
from patients.models import Patient
from patients.reads import AccessHelper
from pharmacy import planning
from pharmacy.models import (
    Destruction,
    Lot,
    Medicine,
    MedicineVenOverride,
    Prescription,
    StockBalance,
    StockCardLine,
    Store,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

Movement = StockCardLine.Movement

# ---------------------------------------------------------------------------
# Access helpers: one per object type, 404 outside the user's facility, 403 with
# ``write=`` a capability the user lacks (accounts.policy.get_for_user).
# ---------------------------------------------------------------------------


def _require_pharmacy(user: User) -> None:
    """Pharmacy pages list patients and stock: only roles that work there open them."""
    policy.require(user, Capability.SEE_PHARMACY)


store_for_user = AccessHelper(
    Store, read=Capability.SEE_PHARMACY, related=("facility",), patient=None
)
prescription_for_user = AccessHelper(
    Prescription, read=Capability.SEE_PHARMACY, related=("patient", "facility")
)
destruction_for_user = AccessHelper(
    Destruction, read=Capability.SEE_PHARMACY, related=("facility", "created_by"), patient=None
)
card_line_for_user = AccessHelper(
    StockCardLine, read=Capability.SEE_PHARMACY, related=("store", "lot", "medicine")
)


def stores_for_user(user: User) -> QuerySet[Store]:
    if not policy.can(user, Capability.SEE_PHARMACY):
        return Store.objects.none()
    return (
        Store.objects.visible_to(user).filter(is_active=True).select_related("facility", "partner")
    )


def worklist(*, user: User, status: str) -> QuerySet[Prescription]:
    """The dispensing worklist: the facility's prescriptions in one status, oldest first
    for those still to hand out."""
    order = (
        ["-prescribed_on", "-id"]
        if status == Prescription.Status.DISPENSED
        else ["prescribed_on", "id"]
    )
    _require_pharmacy(user)
    return (
        Prescription.objects.visible_to(user)
        .filter(status=status)
        .select_related("patient", "prescribed_by")
        .prefetch_related("lines__medicine")
        .order_by(*order)
    )


# ---------------------------------------------------------------------------
# Stock levels and the stock card
# ---------------------------------------------------------------------------


def prescription_card_lines(prescription: Prescription) -> QuerySet[StockCardLine]:
    """The stock-card lines a prescription's dispensing wrote, oldest first."""
    return (
        StockCardLine.objects.filter(prescription_line__prescription=prescription)
        .select_related("lot", "medicine", "user")
        .order_by("date", "id")
    )


@dataclass
class MedicineStock:
    medicine: Medicine
    quantity: int = 0
    usable_quantity: int = 0
    nearest_expiry: dt.date | None = None
    lots: list[StockBalance] = field(default_factory=list)


def stock_levels(*, store: Store, as_of: dt.date | None = None) -> list[MedicineStock]:
    """Per medicine: units on hand, units not yet expired, and the lots (FEFO order)."""
    as_of = as_of or timezone.localdate()
    rows: dict[int, MedicineStock] = {}
    balances = (
        StockBalance.objects.filter(store=store, quantity__gt=0)
        .select_related("lot", "medicine")
        .order_by("medicine__name", "medicine__strength", "lot__expiry_date", "lot__batch")
    )
    for balance in balances:
        row = rows.setdefault(balance.medicine_id, MedicineStock(medicine=balance.medicine))
        row.quantity += balance.quantity
        row.lots.append(balance)
        if balance.lot.expiry_date > as_of:
            row.usable_quantity += balance.quantity
            if row.nearest_expiry is None:
                row.nearest_expiry = balance.lot.expiry_date
    return list(rows.values())


def dispense_plan(
    *, store: Store, lines: Iterable[Any], on: dt.date | None = None
) -> dict[int, list[tuple[StockBalance, int]]]:
    """The lots first-expiry-first-out dispensing will take for what each prescription line
    still owes (line id → ``(balance, units)``), shown before the pharmacist hands it out;
    the same rule as ``stock_dispense``."""
    on = on or timezone.localdate()
    lines = list(lines)
    available = planning.fefo.fefo_order(
        StockBalance.objects.filter(
            store=store,
            medicine_id__in={line.medicine_id for line in lines},
            quantity__gt=0,
            lot__expiry_date__gt=on,
        ).select_related("lot")
    )
    return {
        line.pk: planning.fefo.fefo_take(
            available, medicine_id=line.medicine_id, need=line.owed_quantity
        )
        for line in lines
    }


def lot_balances(*, store: Store, medicine: Medicine | None = None) -> QuerySet[StockBalance]:
    queryset = StockBalance.objects.filter(store=store, quantity__gt=0)
    if medicine is not None:
        queryset = queryset.filter(medicine=medicine)
    return queryset.select_related("lot", "medicine").order_by(
        "medicine__name", "medicine__strength", "lot__expiry_date", "lot__batch"
    )


class StockCardAnnotations(TypedDict):
    medicine_balance: int


def stock_card(
    *, store: Store, medicine: Medicine, lot: Lot | None = None
) -> "QuerySet[WithAnnotations[StockCardLine, StockCardAnnotations]]":
    """The kartu stok of a medicine in a store (all lots, or one), in card order: the
    order the lines were written, each with its movement's date (a backdated receipt
    appears where it was written, with its own date).

    ``balance_after`` is the lot's balance once the line was written; ``medicine_balance``
    the medicine's across lots, computed on the fly so it can never disagree with the lines.
    """
    if lot is None:
        lines = StockCardLine.objects.filter(store=store, medicine=medicine).annotate(
            medicine_balance=Window(
                Sum(F("quantity_in") - F("quantity_out")), order_by=[F("id").asc()]
            )
        )
    else:
        # One lot's card: its own running balance is ``balance_after``. (A filter would
        # apply before the window, so the medicine balance would count this lot only.)
        lines = StockCardLine.objects.filter(store=store, medicine=medicine, lot=lot).annotate(
            medicine_balance=F("balance_after")
        )
    # django-stubs cannot match an annotated custom QuerySet (StockCardLineQuerySet) to
    # WithAnnotations (typeddjango/django-stubs#1190); the annotation is the one declared.
    return lines.select_related("lot", "user").order_by("id")  # type: ignore[return-value]


# ---------------------------------------------------------------------------
# Monthly figures from the card: usage, stock-out days, LPLPO
# ---------------------------------------------------------------------------


EFFECTIVE_MOVEMENT = Coalesce(F("reverses__movement"), F("movement"))
"""The movement a stock card line counts as: a reversal counts as the line it reverses."""


def dispensed_net(**condition: Any) -> Sum:
    """Units dispensed net of reversals (0 over none), over lines annotated with
    ``effective=EFFECTIVE_MOVEMENT`` that also meet ``condition``."""
    return Sum(
        F("quantity_out") - F("quantity_in"),
        filter=Q(effective=Movement.DISPENSE, **condition),
        default=0,
    )


def _net_in(**condition: Any) -> Sum:
    """Units in less units out over the lines that meet ``condition`` (0 over none)."""
    return Sum(F("quantity_in") - F("quantity_out"), filter=Q(**condition), default=0)


def _daily_changes(
    store: Store, *, until: dt.date, medicine_ids: Iterable[int] | None = None
) -> dict[int, list[tuple[dt.date, int, int]]]:
    """medicine id → [(date, net change, units dispensed net of reversals)] by date."""
    lines = StockCardLine.objects.filter(store=store, date__lte=until)
    if medicine_ids is not None:
        lines = lines.filter(medicine_id__in=list(medicine_ids))
    rows = (
        lines.annotate(effective=EFFECTIVE_MOVEMENT)
        .values("medicine_id", "date")
        .annotate(net_change=Sum(F("quantity_in") - F("quantity_out")), used=dispensed_net())
        .order_by("medicine_id", "date")
    )
    result: dict[int, list[tuple[dt.date, int, int]]] = defaultdict(list)
    for row in rows:
        result[row["medicine_id"]].append((row["date"], row["net_change"], row["used"]))
    return result


def _usage_from_changes(
    changes: list[tuple[dt.date, int, int]], *, first_month: dt.date, last_month: dt.date
) -> list[planning.MonthlyUsage]:
    """Units dispensed per month and the days whose closing balance was zero."""
    balance = sum(change for day, change, _used in changes if day < first_month)
    by_day = {day: (change, used) for day, change, used in changes if day >= first_month}
    history = []
    month = first_month
    while month <= last_month:
        used_in_month = 0
        stock_out_days = 0
        for day_number in range(1, calendar.monthrange(month.year, month.month)[1] + 1):
            day = month.replace(day=day_number)
            change, used = by_day.get(day, (0, 0))
            balance += change
            used_in_month += used
            if balance <= 0:
                stock_out_days += 1
        history.append(
            planning.MonthlyUsage(
                month=month, quantity_used=max(used_in_month, 0), stock_out_days=stock_out_days
            )
        )
        month = add_months_first_day(month, 1)
    return history


def monthly_usage(
    *, store: Store, medicine: Medicine, first_month: dt.date, last_month: dt.date
) -> list[planning.MonthlyUsage]:
    """The consumption history KMK III.C.1.a asks for, read from the stock card: units
    dispensed per month and the days the medicine was out of stock (closing balance 0)."""
    changes = _daily_changes(store, until=month_end(last_month), medicine_ids=[medicine.pk])
    return _usage_from_changes(
        changes.get(medicine.pk, []),
        first_month=month_start(first_month),
        last_month=month_start(last_month),
    )


@dataclass
class LplpoRow:
    medicine: Medicine
    opening: int
    received: int
    used: int
    other: int
    """Net of every other movement: counts, returns, transfers out, write-offs."""
    closing: int
    stock_out_days: int
    request: int


RECEIVED = (Movement.RECEIPT, Movement.TRANSFER_IN)


def lplpo(*, store: Store, month: dt.date, optimum_months: int = 2) -> list[LplpoRow]:
    """Laporan Pemakaian dan Lembar Permintaan Obat of a month, PRB medicines only.

    Request = optimum stock − closing stock, never below zero, with optimum stock =
    ``optimum_months`` × the month's use (one month of use plus one of buffer by default).
    """
    start, end = month_start(month), month_end(month)
    lines = StockCardLine.objects.filter(store=store, date__lte=end).annotate(
        effective=EFFECTIVE_MOVEMENT
    )
    totals = lines.values("medicine_id").annotate(
        opening=_net_in(date__lt=start),
        received=_net_in(date__gte=start, effective__in=RECEIVED),
        used=dispensed_net(date__gte=start),
        closing=Sum(F("quantity_in") - F("quantity_out")),
    )
    totals_by_medicine = {row["medicine_id"]: row for row in totals}
    medicines = Medicine.objects.filter(pk__in=totals_by_medicine).order_by("name", "strength")
    changes = _daily_changes(store, until=end, medicine_ids=totals_by_medicine)
    rows = []
    for medicine in medicines:
        total = totals_by_medicine[medicine.pk]
        usage = _usage_from_changes(
            changes.get(medicine.pk, []), first_month=start, last_month=start
        )[0]
        other = total["closing"] - total["opening"] - total["received"] + total["used"]
        rows.append(
            LplpoRow(
                medicine=medicine,
                opening=total["opening"],
                received=total["received"],
                used=total["used"],
                other=-other,
                closing=total["closing"],
                stock_out_days=usage.stock_out_days,
                request=max(optimum_months * total["used"] - total["closing"], 0),
            )
        )
    return rows


# ---------------------------------------------------------------------------
# Planning (KMK III.C.1) on the store's own card
# ---------------------------------------------------------------------------


def stock_on_hand(*, store: Store, medicine: Medicine, as_of: dt.date) -> planning.StockOnHand:
    lots = [
        planning.StockLot(quantity=b.quantity, expiry_date=b.lot.expiry_date, batch=b.lot.batch)
        for b in lot_balances(store=store, medicine=medicine)
    ]
    return planning.StockOnHand(lots=lots, as_of=as_of)


@dataclass
class PlanRow:
    medicine: Medicine
    history: list[planning.MonthlyUsage]
    plan: planning.ConsumptionPlan | None
    error: str = ""


def consumption_plans(
    *,
    store: Store,
    last_month: dt.date,
    history_months: int,
    period_months: int,
    lead_time_months: planning.Quantity,
    buffer: planning.BufferStock,
    as_of: dt.date | None = None,
) -> list[PlanRow]:
    """A = (B + C + D) − E for every medicine the store has ever held (III.C.1.a).

    The history is the ``history_months`` complete months up to ``last_month``; E is the
    stock on hand simulated FEFO from ``as_of``.
    """
    as_of = as_of or timezone.localdate()
    last = month_start(last_month)
    first = add_months_first_day(last, -(history_months - 1))
    changes = _daily_changes(store, until=month_end(last))
    lots_by_medicine: dict[int, list[planning.StockLot]] = defaultdict(list)
    for b in lot_balances(store=store):
        lots_by_medicine[b.medicine_id].append(
            planning.StockLot(quantity=b.quantity, expiry_date=b.lot.expiry_date, batch=b.lot.batch)
        )
    medicine_ids = set(changes) | set(lots_by_medicine)
    rows = []
    for medicine in Medicine.objects.filter(pk__in=medicine_ids).order_by("name", "strength"):
        history = _usage_from_changes(
            changes.get(medicine.pk, []), first_month=first, last_month=last
        )
        try:
            plan = planning.consumption_plan(
                history,
                buffer_stock=buffer,
                lead_time_months=lead_time_months,
                remaining_stock=planning.StockOnHand(
                    lots=lots_by_medicine[medicine.pk], as_of=as_of
                ),
                period_months=period_months,
            )
        except ValueError as error:
            rows.append(PlanRow(medicine=medicine, history=history, plan=None, error=str(error)))
        else:
            rows.append(PlanRow(medicine=medicine, history=history, plan=plan))
    return rows


# ---------------------------------------------------------------------------
# ABC, VEN and PUT (KMK III.C.1 analisis ABC, VEN, kombinasi)
# ---------------------------------------------------------------------------


def ven_for_regency(regency_id: int | None) -> dict[int, str]:
    """medicine id → VEN class: the district's override, else the formulary's."""
    classes = dict(Medicine.objects.values_list("pk", "ven"))
    if regency_id is not None:
        classes.update(
            MedicineVenOverride.objects.filter(regency_id=regency_id).values_list(
                "medicine_id", "ven"
            )
        )
    return classes


def medicine_label(medicine: Medicine) -> str:
    return str(medicine)


def abc_ven(
    *,
    store: Store,
    start: dt.date,
    end: dt.date,
    basis: str = planning.AbcBasis.INVESTMENT,
    cutoffs: planning.AbcCutoffs = planning.DEFAULT_CUTOFFS,
) -> planning.AbcVenTable:
    """ABC of the medicines dispensed from the store between two dates, joined with VEN.

    By usage (mutasi): units dispensed, net of reversals. By investment: those units ×
    the formulary unit price, the funds the period's use needed. Medicines not dispensed
    in the period are left out (their value is zero). Raises ``ValueError`` with an
    Indonesian message when nothing was dispensed.
    """
    used = (
        StockCardLine.objects.filter(store=store, date__gte=start, date__lte=end)
        .annotate(effective=EFFECTIVE_MOVEMENT)
        .filter(effective=Movement.DISPENSE)
        .values("medicine_id")
        .annotate(units=dispensed_net())
        .filter(units__gt=0)
    )
    units = {row["medicine_id"]: row["units"] for row in used}
    medicines = {m.pk: m for m in Medicine.objects.filter(pk__in=units)}
    names = {pk: medicine_label(m) for pk, m in medicines.items()}
    if basis == planning.AbcBasis.USAGE:
        result = planning.abc_by_usage(
            [planning.UsageItem(names[pk], units[pk]) for pk in units], cutoffs=cutoffs
        )
    else:
        result = planning.abc_by_investment(
            [planning.InvestmentItem(names[pk], units[pk], medicines[pk].price) for pk in units],
            cutoffs=cutoffs,
        )
    classes = ven_for_regency(store.facility.regency_id)
    return planning.abc_ven_table(result, {names[pk]: classes[pk] for pk in units})


# ---------------------------------------------------------------------------
# BPJS claim: PRB medicines dispensed per patient per month, outside capitation
# ---------------------------------------------------------------------------


@dataclass
class ClaimLine:
    medicine: Medicine
    quantity: int
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass
class PatientClaim:
    patient: Any
    lines: list[ClaimLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))


def claims(*, facility_id: int, month: dt.date) -> list[PatientClaim]:
    """KMK III.C.8.a: a puskesmas contracted with BPJS claims PRB medicines apart from the
    capitation fund. Dispensing from the facility's PRB store in the month; a dispensing
    line later reversed is not claimed. A depot's dispensing is claimed by its apotek."""
    start, end = month_start(month), month_end(month)
    rows = list(
        StockCardLine.objects.filter(
            store__facility_id=facility_id,
            store__kind=Store.Kind.PRB,
            movement=Movement.DISPENSE,
            date__gte=start,
            date__lte=end,
            patient__isnull=False,
            reversed_by__isnull=True,
        )
        .values("patient_id", "medicine_id")
        .annotate(units=Sum("quantity_out"))
        .order_by()
    )
    patients = Patient.objects.in_bulk({r["patient_id"] for r in rows})
    medicines = Medicine.objects.in_bulk({r["medicine_id"] for r in rows})
    by_patient: dict[int, PatientClaim] = {}
    for row in rows:
        claim = by_patient.setdefault(row["patient_id"], PatientClaim(patients[row["patient_id"]]))
        medicine = medicines[row["medicine_id"]]
        claim.lines.append(
            ClaimLine(medicine=medicine, quantity=row["units"], unit_price=medicine.price)
        )
    result = sorted(by_patient.values(), key=lambda c: (c.patient.name, c.patient.pk))
    for claim in result:
        claim.lines.sort(key=lambda line: str(line.medicine))
    return result


# ---------------------------------------------------------------------------
# District aggregates for the dinas kesehatan (dashboards, alerts)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilityMedicineStock:
    facility_id: int
    facility_name: str
    medicine_id: int
    medicine_name: str
    quantity: int
    usable_quantity: int
    nearest_expiry: dt.date | None


def stock_levels_for_regency(
    regency: Any, *, as_of: dt.date | None = None, medicines: Iterable[int] | None = None
) -> list[FacilityMedicineStock]:
    """Units of each medicine per facility of the regency, over its PRB store and depots.

    One row per facility × medicine that has ever had a balance there; ``usable_quantity``
    leaves out the lots expired on ``as_of``. For a past ``as_of`` the units are those held at
    the end of that day: each lot's balance less its stock-card movements dated after it.
    No patient data: this is what dinkes may see.
    """
    today = timezone.localdate()
    as_of = as_of or today
    balances = StockBalance.objects.filter(
        store__facility__regency=regency, store__kind__in=Store.DISPENSING
    )
    if medicines is not None:
        balances = balances.filter(medicine_id__in=list(medicines))
    held: Any = F("quantity")
    if as_of < today:
        later = (
            StockCardLine.objects.filter(
                store_id=OuterRef("store_id"), lot_id=OuterRef("lot_id"), date__gt=as_of
            )
            .values("store_id", "lot_id")
            .annotate(net=Sum(F("quantity_in") - F("quantity_out")))
            .values("net")
        )
        balances = balances.annotate(
            held=F("quantity") - Coalesce(Subquery(later, output_field=IntegerField()), Value(0))
        )
        held = F("held")
    rows = (
        balances.values(
            "store__facility_id",
            "store__facility__name",
            "medicine_id",
            "medicine__name",
            "medicine__strength",
        )
        .annotate(
            total=Sum(held),
            usable=Sum(
                Case(
                    When(lot__expiry_date__gt=as_of, then=held),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            ),
            nearest_expiry=Min(
                Case(
                    When(
                        GreaterThan(held, 0),
                        lot__expiry_date__gt=as_of,
                        then=F("lot__expiry_date"),
                    )
                )
            ),
        )
        .order_by("store__facility__name", "medicine__name", "medicine__strength")
    )
    return [
        FacilityMedicineStock(
            facility_id=row["store__facility_id"],
            facility_name=row["store__facility__name"],
            medicine_id=row["medicine_id"],
            medicine_name=f"{row['medicine__name']} {row['medicine__strength']}".strip(),
            quantity=row["total"],
            usable_quantity=row["usable"],
            nearest_expiry=row["nearest_expiry"],
        )
        for row in rows
    ]


def stock_outs_for_regency(
    regency: Any, *, as_of: dt.date | None = None, tracer_only: bool = True
) -> list[tuple[Any, Medicine]]:
    """(facility, medicine) pairs with no usable stock, for every puskesmas of the regency
    and every active (tracer) medicine: the gaps of the availability indicator."""
    active = Medicine.objects.active()
    if tracer_only:
        active = active.filter(is_tracer=True)
    medicines = list(active.order_by("name", "strength"))
    facilities = list(
        Facility.objects.filter(
            regency=regency, kind=Facility.Kind.PUSKESMAS, is_active=True
        ).order_by("name")
    )
    stocked = {
        (row.facility_id, row.medicine_id)
        for row in stock_levels_for_regency(
            regency, as_of=as_of, medicines=[m.pk for m in medicines]
        )
        if row.usable_quantity > 0
    }
    return [(f, m) for f in facilities for m in medicines if (f.pk, m.pk) not in stocked]


def expiring_lots_for_regency(
    regency: Any, *, within_days: int = 90, as_of: dt.date | None = None
) -> QuerySet[StockBalance]:
    """Balances in the regency's dispensing stores whose lot expires within ``within_days``
    (already expired included): candidates for redistribution or destruction."""
    as_of = as_of or timezone.localdate()
    return (
        StockBalance.objects.filter(
            store__facility__regency=regency,
            store__kind__in=Store.DISPENSING,
            quantity__gt=0,
            lot__expiry_date__lte=as_of + dt.timedelta(days=within_days),
        )
        .select_related("store__facility", "lot", "medicine")
        .order_by("lot__expiry_date", "store__facility__name")
    )


@dataclass(frozen=True)
class LedgerDifference:
    """A lot in a store whose recorded figures disagree with its stock card."""

    store_id: int
    facility_id: int
    lot_id: int
    medicine_id: int
    balance: int  # StockBalance.quantity (0 when the row is missing)
    card_total: int  # the sum of the card's lines
    wrong_lines: int  # lines whose balance_after is not the card's running sum
    first_wrong_line_id: int | None  # the first of them in card order


LEDGER_DIFFERENCES_SQL = """
WITH card AS (
    SELECT l.id, l.store_id, l.lot_id, l.balance_after,
           sum(l.quantity_in - l.quantity_out) OVER (
               PARTITION BY l.store_id, l.lot_id ORDER BY l.id
           ) AS running
    FROM pharmacy_stockcardline l
),
per_lot AS (
    SELECT store_id, lot_id,
           sum(CASE WHEN balance_after <> running THEN 1 ELSE 0 END) AS wrong_lines,
           min(id) FILTER (WHERE balance_after <> running) AS first_wrong_line_id
    FROM card GROUP BY store_id, lot_id
),
totals AS (
    SELECT store_id, lot_id, sum(quantity_in - quantity_out) AS card_total
    FROM pharmacy_stockcardline GROUP BY store_id, lot_id
)
SELECT s.id, s.facility_id, lo.id, lo.medicine_id,
       COALESCE(b.quantity, 0), COALESCE(t.card_total, 0),
       COALESCE(p.wrong_lines, 0), p.first_wrong_line_id
FROM totals t
JOIN per_lot p ON (p.store_id, p.lot_id) = (t.store_id, t.lot_id)
FULL OUTER JOIN pharmacy_stockbalance b ON (b.store_id, b.lot_id) = (t.store_id, t.lot_id)
JOIN pharmacy_store s ON s.id = COALESCE(t.store_id, b.store_id)
JOIN pharmacy_lot lo ON lo.id = COALESCE(t.lot_id, b.lot_id)
WHERE COALESCE(b.quantity, 0) <> COALESCE(t.card_total, 0) OR COALESCE(p.wrong_lines, 0) > 0
ORDER BY s.facility_id, s.id, lo.id
"""


def stock_ledger_differences() -> list[LedgerDifference]:
    """Recompute every balance from the stock card (KMK III.C.6) and list what disagrees.

    Two checks per store and lot: the balance row equals the sum of the card's lines, and
    each line's ``balance_after`` equals the running sum in card order (the order lines
    were written, ``id``). Services keep both true under row locks and the database refuses
    any UPDATE of a card line; a difference means someone wrote around them.
    """
    with connection.cursor() as cursor:
        cursor.execute(LEDGER_DIFFERENCES_SQL)
        return [LedgerDifference(*row) for row in cursor.fetchall()]


def home_tiles(*, user: User) -> list[Tile]:
    """The prescriptions waiting to be dispensed, for the pharmacy staff."""
    if user.facility_id is None or not policy.can(user, Capability.DISPENSE):
        return []
    waiting = worklist(user=user, status=Prescription.Status.WAITING).count()
    return [Tile(_("Prescriptions to dispense"), waiting, reverse("pharmacy:home"))]


# ---------------------------------------------------------------------------
# Medicines unavailable (KMK III.B.x.d: "obat tidak dapat disediakan")
# ---------------------------------------------------------------------------


def usable_units_by_medicine(*, facility_id: int, as_of: dt.date) -> dict[int, int] | None:
    """Units per medicine the puskesmas can hand out on ``as_of``.

    Counts its active dispensing stores: the PRB store and the partner apotek PRB's
    depot kept at the puskesmas (III.C.8.b.2); a store taken out of use counts for
    nothing, and neither do expired lots. None when the puskesmas keeps no active
    dispensing store (it works with an apotek PRB outside): its stock is not known here.
    """
    stores = Store.objects.filter(
        facility_id=facility_id, kind__in=Store.DISPENSING, is_active=True
    )
    if not stores.exists():
        return None
    rows = (
        StockBalance.objects.filter(store__in=stores, quantity__gt=0, lot__expiry_date__gt=as_of)
        .values("medicine_id")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    return {row["medicine_id"]: row["units"] for row in rows}


def regimen_monthly_quantity(line: dict[str, Any]) -> int:
    """One month of a regimen line (at least one unit)."""
    quantity = line.get("quantity")
    return max(quantity, 1) if isinstance(quantity, int) else 1


def regimen_lines_unavailable(regimen: Any, usable: dict[int, int]) -> list[dict[str, Any]]:
    """The regimen lines ``usable`` stock cannot cover for one month."""
    if not isinstance(regimen, list):
        return []
    return [
        line
        for line in regimen
        if isinstance(line, dict)
        and isinstance(line.get("medicine"), int)
        and usable.get(line["medicine"], 0) < regimen_monthly_quantity(line)
    ]


def medicines_unavailable(*, facility_id: int, regimen: Any, as_of: dt.date) -> bool | None:
    """Whether a medicine of ``regimen`` cannot be given for a month at the puskesmas.

    None when the puskesmas's stock is not known here (no active dispensing store).
    """
    usable = usable_units_by_medicine(facility_id=facility_id, as_of=as_of)
    if usable is None:
        return None
    return bool(regimen_lines_unavailable(regimen, usable))
