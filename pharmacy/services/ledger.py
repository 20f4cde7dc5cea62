"""The stock ledger: every stock change is a set of moves posted as stock-card lines under row locks, so a balance never goes negative."""

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
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


@dataclass
class LockedBalance:
    """A (store, lot) balance row locked by the current transaction."""

    pk: int
    store_id: int
    lot_id: int
    medicine_id: int
    quantity: int


# The ledger's writes run on every dispense: they are written once in SQL here rather than
# compiled by the ORM on each call (which cost more CPU than everything else together).
# Every statement goes through Django's connection, so pghistory's context still applies.

_LOCK_SQL = """
SELECT id, store_id, lot_id, medicine_id, quantity FROM pharmacy_stockbalance
WHERE (store_id, lot_id) IN ({keys}) ORDER BY id FOR UPDATE
"""


def lock_balances(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], LockedBalance]:
    """Lock the balance rows of ``keys`` (store id, lot id) in one statement, in id order
    (so two transactions never wait on each other in opposite orders)."""
    ordered = sorted(set(keys))
    if not ordered:
        return {}
    sql = _LOCK_SQL.format(keys=", ".join(["(%s, %s)"] * len(ordered)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for key in ordered for value in key])
        rows = [LockedBalance(*row) for row in cursor.fetchall()]
    return {(row.store_id, row.lot_id): row for row in rows}


def update_column(table: str, column: str, values: Mapping[int, int]) -> None:
    """Set an integer ``column`` of the rows of ``table`` named by id, in one statement
    (``table`` and ``column`` are names written in the services, never input)."""
    if not values:
        return
    rows = ", ".join(["(%s, %s)"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {table} AS t SET "{column}" = v.value'
            f" FROM (VALUES {rows}) AS v(id, value) WHERE t.id = v.id",
            [value for pair in sorted(values.items()) for value in pair],
        )


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


_CARD_COLUMNS = [
    field.attname for field in StockCardLine._meta.concrete_fields if not field.primary_key
]
_INSERT_CARD_SQL = "INSERT INTO pharmacy_stockcardline ({columns}) VALUES {rows} RETURNING id"


def _insert_card_lines(lines: Sequence[StockCardLine]) -> None:
    """Insert the lines in one statement and give each its id (as ``bulk_create`` does)."""
    now = timezone.now()
    row = "(" + ", ".join(["%s"] * len(_CARD_COLUMNS)) + ")"
    params: list[Any] = []
    for line in lines:
        line.created_at = now
        params.extend(getattr(line, column) for column in _CARD_COLUMNS)
    sql = _INSERT_CARD_SQL.format(
        columns=", ".join(f'"{column}"' for column in _CARD_COLUMNS),
        rows=", ".join([row] * len(lines)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [pk for (pk,) in cursor.fetchall()]
    for line, pk in zip(lines, ids, strict=True):
        line.pk = pk
        line._state.adding = False
        line._state.db = connection.alias


def post_moves(
    *,
    actor: Any,
    on: dt.date,
    moves: Sequence[Move],
    locked: Mapping[tuple[int, int], LockedBalance] | None = None,
) -> list[StockCardLine]:
    """Write the moves to the stock card; call inside ``transaction.atomic``.

    ``locked``: the balance rows of the moves when the caller has already locked them in
    this transaction (dispensing does, to choose the lots); otherwise they are locked here.

    The card is kept in the order lines are written (a kartu stok is filled in line by
    line): each line's ``balance_after`` is the lot's balance at the moment it was written
    and is never changed afterwards; the movement's own date is a column of the line. A
    line dated before lines already on the card (a backdated entry) therefore changes
    nothing already written. It is still refused, with nothing written, if the card read
    by date would go below zero on its date or any later date (KMK III.C.6: the card
    must stay traceable and true; LPLPO and stock-out days read it by date).

    A fixed number of queries whatever the number of moves (the hot path of dispensing):
    one to open missing balance rows (receipts only), one to lock them (unless the caller
    did), one for the lines dated later, one insert of the card lines and one update of
    the balances.
    """
    if on > timezone.localdate():
        raise ValidationError({"date": [_("The date cannot be in the future.")]})
    if not moves:
        return []
    keys = {(m.store.pk, m.lot.pk) for m in moves}
    if locked is None:
        incoming = [m for m in moves if m.change > 0]
        if incoming:
            StockBalance.objects.bulk_create(
                [
                    StockBalance(store=m.store, lot=m.lot, medicine_id=m.lot.medicine_id)
                    for m in incoming
                ],
                ignore_conflicts=True,
            )
        locked = lock_balances(keys)
    later = _later_lines(keys, on)
    quantities = {key: row.quantity for key, row in locked.items() if key in keys}
    lines = []
    for move in moves:
        key = (move.store.pk, move.lot.pk)
        if key not in quantities:
            raise _stock_error(move, 0)
        quantity = quantities[key]
        after = later.get(key)
        # The balance on ``on`` as the card reads by date (this call's earlier moves included).
        balance_then = quantity - (after.net_change if after else 0)
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
        quantity = quantities[key] = quantity + move.change
        # Every value is computed here or comes from a locked or validated row; the
        # database checks the rest (in or out, never below zero).
        lines.append(
            StockCardLine(
                store=move.store,
                medicine_id=move.lot.medicine_id,
                lot=move.lot,
                date=on,
                movement=move.movement,
                quantity_in=max(move.change, 0),
                quantity_out=max(-move.change, 0),
                balance_after=quantity,
                reference=move.reference[:100],
                counterparty=move.counterparty[:150],
                note=move.note[:255],
                patient_id=move.patient_id,
                prescription_line_id=move.prescription_line_id,
                reverses_id=move.reverses_id,
                user=actor,
            )
        )
    _insert_card_lines(lines)
    update_column(
        "pharmacy_stockbalance",
        "quantity",
        {locked[key].pk: quantity for key, quantity in quantities.items()},
    )
    for key, quantity in quantities.items():
        locked[key].quantity = quantity
    return lines


def check_store(store: Store, *, dispensing: bool = False) -> None:
    if not store.is_active:
        raise ValidationError({"store": [_("This store is closed.")]})
    if dispensing and not store.dispenses:
        raise ValidationError({"store": [_("Medicines are not handed out from this store.")]})


def require_positive(quantity: int, field: str = "quantity") -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise ValidationError({field: [_("The quantity must be at least 1.")]})


_STORE_FIELDS = [field.attname for field in Store._meta.concrete_fields]
_PRB_STORE_SQL = "SELECT {} FROM pharmacy_store WHERE facility_id = %s AND kind = %s".format(
    ", ".join(f'"{field.column}"' for field in Store._meta.concrete_fields)
)


def prb_store_for(facility_id: int) -> Store:
    """The facility's PRB store, opened on first use."""
    from facilities.models import Facility

    with connection.cursor() as cursor:
        cursor.execute(_PRB_STORE_SQL, [facility_id, Store.Kind.PRB.value])
        row = cursor.fetchone()
    if row is not None:
        return Store.from_db(connection.alias, _STORE_FIELDS, row)
    facility = Facility.objects.get(pk=facility_id)
    store, _created = Store.objects.get_or_create(
        facility=facility,
        kind=Store.Kind.PRB,
        defaults={"name": _("PRB store")},
    )
    return store
