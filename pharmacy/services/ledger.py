"""The stock ledger: every stock change is a set of moves posted as stock-card lines under row locks, so a balance never goes negative."""

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pharmacy.models import (
    Lot,
    StockBalance,
    StockCardLine,
    Store,
)

# ---------------------------------------------------------------------------
# Stock movements (KMK 1645/2024 III.C.3-7)
#
# Every movement goes through `post_moves`, which locks the (store, lot) balance rows it
# touches in one statement ordered by id (so two transactions never wait on each other in
# opposite orders), writes one stock-card line per move carrying the balance it leaves and
# moves the balance. The database refuses a negative balance (CheckConstraint) and any
# UPDATE or DELETE of a card line (triggers), so the card and the balances cannot disagree.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    store: Store
    lot: Lot
    change: int
    movement: str
    reference: str = ""
    counterparty: str = ""
    note: str = ""
    patient_id: int | None = None
    prescription_line_id: int | None = None
    reverses_id: int | None = None


def lock_balances(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], StockBalance]:
    keys = sorted(set(keys))
    if not keys:
        return {}
    condition = Q()
    for store_id, lot_id in keys:
        condition |= Q(store_id=store_id, lot_id=lot_id)
    rows = StockBalance.objects.select_for_update().filter(condition).order_by("id")
    return {(row.store_id, row.lot_id): row for row in rows}


def _stock_error(move: Move, available: int) -> ValidationError:
    return ValidationError(
        _(
            "Not enough stock of %(medicine)s batch %(batch)s in %(store)s: %(available)s"
            " available, %(wanted)s requested."
        )
        % {
            "medicine": move.lot.medicine,
            "batch": move.lot.batch,
            "store": move.store.name,
            "available": available,
            "wanted": -move.change,
        }
    )


# Per (store, lot): the card lines dated after ``on``, their count, their net change and
# the lowest running change among them in date order (how far below the balance on
# ``on`` the stock went afterwards, as the card reads by date).
_LATER_LINES_SQL = """
SELECT store_id, lot_id, count(*), sum(change), min(running)
FROM (
    SELECT store_id, lot_id, quantity_in - quantity_out AS change,
           sum(quantity_in - quantity_out) OVER (
               PARTITION BY store_id, lot_id ORDER BY date, id
           ) AS running
    FROM pharmacy_stockcardline
    WHERE (store_id, lot_id) IN ({keys}) AND date > %s
) later
GROUP BY store_id, lot_id
"""


@dataclass(frozen=True)
class _Later:
    count: int
    net_change: int
    lowest_running: int


def _later_lines(keys: Collection[tuple[int, int]], on: dt.date) -> dict[tuple[int, int], _Later]:
    """Per (store, lot): what the card records dated after ``on`` (one query)."""
    if not keys:
        return {}
    sql = _LATER_LINES_SQL.format(keys=", ".join(["(%s, %s)"] * len(keys)))
    params: list[Any] = [value for key in sorted(keys) for value in key]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, on])
        return {
            (store_id, lot_id): _Later(count, net_change, lowest)
            for store_id, lot_id, count, net_change, lowest in cursor.fetchall()
        }


def post_moves(*, actor: Any, on: dt.date, moves: Sequence[Move]) -> list[StockCardLine]:
    """Write the moves to the stock card; call inside ``transaction.atomic``.

    The card is kept in the order lines are written (a kartu stok is filled in line by
    line): each line's ``balance_after`` is the lot's balance at the moment it was written
    and is never changed afterwards; the movement's own date is a column of the line. A
    line dated before lines already on the card (a backdated entry) therefore changes
    nothing already written. It is still refused, with nothing written, if the card read
    by date would go below zero on its date or any later date (KMK III.C.6: the card
    must stay traceable and true; LPLPO and stock-out days read it by date).

    A fixed number of queries whatever the number of moves (the hot path of dispensing):
    one to open missing balance rows (receipts only), one to lock them, one for the lines
    dated later, one insert of the card lines and one update of the balances.
    """
    if on > timezone.localdate():
        raise ValidationError({"date": [_("The date cannot be in the future.")]})
    incoming = [m for m in moves if m.change > 0]
    if incoming:
        StockBalance.objects.bulk_create(
            [
                StockBalance(store=m.store, lot=m.lot, medicine_id=m.lot.medicine_id)
                for m in incoming
            ],
            ignore_conflicts=True,
        )
    keys = {(m.store.pk, m.lot.pk) for m in moves}
    balances = lock_balances(keys)
    later = _later_lines(keys, on)
    lines = []
    for move in moves:
        key = (move.store.pk, move.lot.pk)
        balance = balances.get(key)
        if balance is None:
            raise _stock_error(move, 0)
        after = later.get(key)
        # The balance on ``on`` as the card reads by date (this call's earlier moves included).
        balance_then = balance.quantity - (after.net_change if after else 0)
        if balance_then + move.change < 0:
            raise _stock_error(move, balance_then)
        if after and balance_then + move.change + after.lowest_running < 0:
            raise ValidationError(
                _(
                    "A backdated entry on %(date)s is refused: the stock card of %(medicine)s"
                    " batch %(batch)s would go below zero after that date."
                )
                % {
                    "date": f"{on:%d/%m/%Y}",
                    "medicine": move.lot.medicine,
                    "batch": move.lot.batch,
                }
            )
        balance.quantity += move.change
        line = StockCardLine(
            store=move.store,
            medicine_id=move.lot.medicine_id,
            lot=move.lot,
            date=on,
            movement=move.movement,
            quantity_in=max(move.change, 0),
            quantity_out=max(-move.change, 0),
            balance_after=balance.quantity,
            reference=move.reference[:100],
            counterparty=move.counterparty[:150],
            note=move.note[:255],
            patient_id=move.patient_id,
            prescription_line_id=move.prescription_line_id,
            reverses_id=move.reverses_id,
            user=actor,
        )
        # Foreign keys come from locked or validated rows; skip their one-query-each checks.
        line.clean_fields(
            exclude=["store", "medicine", "lot", "patient", "prescription_line", "reverses", "user"]
        )
        lines.append(line)
    StockCardLine.objects.bulk_create(lines)
    StockBalance.objects.bulk_update([balances[key] for key in sorted(keys)], ["quantity"])
    return lines


def check_store(store: Store, *, dispensing: bool = False) -> None:
    if not store.is_active:
        raise ValidationError({"store": [_("This store is closed.")]})
    if dispensing and not store.dispenses:
        raise ValidationError({"store": [_("Medicines are not handed out from this store.")]})


def require_positive(quantity: int, field: str = "quantity") -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise ValidationError({field: [_("The quantity must be at least 1.")]})


def prb_store_for(facility_id: int) -> Store:
    """The facility's PRB store, opened on first use."""
    from facilities.models import Facility

    store = Store.objects.filter(facility_id=facility_id, kind=Store.Kind.PRB).first()
    if store is not None:
        return store
    facility = Facility.objects.get(pk=facility_id)
    store, _created = Store.objects.get_or_create(
        facility=facility,
        kind=Store.Kind.PRB,
        defaults={"name": _("PRB store")},
    )
    return store
