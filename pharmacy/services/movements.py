"""Stock movements other than dispensing: receipt, transfer, return, write-off, stock opname and reversal of a card line."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from pharmacy.models import (
    Lot,
    Medicine,
    Prescription,
    PrescriptionLine,
    StockBalance,
    StockCardLine,
    StockOpname,
    StockOpnameLine,
    Store,
)
from pharmacy.services.ledger import Move, check_store, lock_balances, post_moves, require_positive
from pharmacy.services.prescriptions import prescription_status


@dataclass(frozen=True)
class ReceiptLineInput:
    medicine: Medicine
    batch: str
    expiry_date: dt.date
    quantity: int


def stock_receive(
    *,
    actor: User,
    store: Store,
    received_on: dt.date,
    lines: Sequence[ReceiptLineInput],
    source: str = Lot.Source.DISTRIBUTOR,
    supplier: str = "",
    reference: str = "",
) -> list[StockCardLine]:
    """Receive lots from the IFK, a distributor or an apotek PRB; all lines or nothing."""
    check_store(store, dispensing=True)
    if not lines:
        raise ValidationError({"lines": [_("A receipt needs at least one medicine.")]})
    if source not in Lot.Source.values:
        raise ValidationError({"source": [_("Unknown source.")]})
    errors: list[str] = []
    for line in lines:
        if not line.batch.strip():
            errors.append(
                _("%(medicine)s: the batch number is required.") % {"medicine": line.medicine}
            )
        if line.expiry_date <= received_on:
            errors.append(
                _("%(medicine)s batch %(batch)s has already expired.")
                % {"medicine": line.medicine, "batch": line.batch}
            )
        if not line.medicine.is_active:
            errors.append(
                _("%(medicine)s is no longer in the PRB formulary.") % {"medicine": line.medicine}
            )
        try:
            require_positive(line.quantity)
        except ValidationError:
            errors.append(
                _("%(medicine)s: the quantity must be at least 1.") % {"medicine": line.medicine}
            )
    if errors:
        raise ValidationError({"lines": errors})
    with transaction.atomic():
        moves = []
        for line in lines:
            lot, _created = Lot.objects.get_or_create(
                medicine=line.medicine,
                batch=line.batch.strip(),
                expiry_date=line.expiry_date,
                defaults={"source": source},
            )
            moves.append(
                Move(
                    store=store,
                    lot=lot,
                    change=line.quantity,
                    movement=StockCardLine.Movement.RECEIPT,
                    reference=reference,
                    counterparty=supplier or str(Lot.Source(source).label),
                )
            )
        return post_moves(actor=actor, on=received_on, moves=moves)


def stock_receive_entered(
    *,
    actor: User,
    store: Store,
    entered: Mapping[str, Any],
    lines: Iterable[Mapping[str, Any]],
) -> list[StockCardLine]:
    """A receipt as the receipt page's form and the API's serializer give it: both name
    its fields like ``stock_receive`` (``received_on``, ``source``, ``supplier``,
    ``reference``) and each line like ``ReceiptLineInput``."""
    return stock_receive(
        actor=actor,
        store=store,
        received_on=entered["received_on"],
        source=entered["source"],
        supplier=entered["supplier"],
        reference=entered["reference"],
        lines=[ReceiptLineInput(**line) for line in lines],
    )


def _quarantine_store_for(facility_id: int) -> Store:
    store, _created = Store.objects.get_or_create(
        facility_id=facility_id,
        kind=Store.Kind.QUARANTINE,
        defaults={"name": _("Expired and damaged medicines")},
    )
    return store


@dataclass(frozen=True)
class LotQuantity:
    lot: Lot
    quantity: int


def _lot_moves(
    *,
    store: Store,
    lines: Sequence[LotQuantity],
    sign: int,
    movement: str,
    reference: str = "",
    counterparty: str = "",
    note: str = "",
) -> list[Move]:
    if not lines:
        raise ValidationError({"lines": [_("Choose at least one lot.")]})
    for line in lines:
        require_positive(line.quantity)
    return [
        Move(
            store=store,
            lot=line.lot,
            change=sign * line.quantity,
            movement=movement,
            reference=reference,
            counterparty=counterparty,
            note=note,
        )
        for line in lines
    ]


def stock_transfer(
    *,
    actor: User,
    source: Store,
    destination: Store,
    transferred_on: dt.date,
    lines: Sequence[LotQuantity],
    reference: str = "",
) -> list[StockCardLine]:
    """Move lots to another store: to a facility short of a medicine (KMK III.C.5)."""
    if source.pk == destination.pk:
        raise ValidationError({"destination": [_("Choose another store.")]})
    check_store(source)
    check_store(destination)
    if Store.Kind.QUARANTINE in (source.kind, destination.kind):
        raise ValidationError(
            {"destination": [_("Expired and damaged stock is not transferred; destroy it.")]}
        )
    with transaction.atomic():
        moves = _lot_moves(
            store=source,
            lines=lines,
            sign=-1,
            movement=StockCardLine.Movement.TRANSFER_OUT,
            reference=reference,
            counterparty=str(destination),
        ) + _lot_moves(
            store=destination,
            lines=lines,
            sign=1,
            movement=StockCardLine.Movement.TRANSFER_IN,
            reference=reference,
            counterparty=str(source),
        )
        return post_moves(actor=actor, on=transferred_on, moves=moves)


def stock_return(
    *,
    actor: User,
    store: Store,
    returned_on: dt.date,
    lines: Sequence[LotQuantity],
    supplier: str,
    reason: str,
    reference: str = "",
) -> list[StockCardLine]:
    """Return lots to the IFK, distributor or apotek they came from."""
    check_store(store)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the return.")]})
    with transaction.atomic():
        return post_moves(
            actor=actor,
            on=returned_on,
            moves=_lot_moves(
                store=store,
                lines=lines,
                sign=-1,
                movement=StockCardLine.Movement.RETURN,
                reference=reference,
                counterparty=supplier,
                note=reason,
            ),
        )


def stock_write_off(
    *,
    actor: User,
    store: Store,
    on: dt.date,
    lines: Sequence[LotQuantity],
    kind: str,
    note: str = "",
) -> list[StockCardLine]:
    """Take expired or damaged units out of usable stock into the facility's quarantine.

    They stay counted (on the quarantine card) until a Berita Acara Pemusnahan destroys
    them (KMK III.C.7).
    """
    if kind not in (StockCardLine.Movement.EXPIRED, StockCardLine.Movement.DAMAGED):
        raise ValidationError({"kind": [_("Choose expired or damaged.")]})
    check_store(store, dispensing=True)
    if kind == StockCardLine.Movement.EXPIRED:
        not_expired = [line.lot for line in lines if line.lot.expiry_date > on]
        if not_expired:
            raise ValidationError(
                {
                    "lines": [
                        _("Batch %(batch)s has not expired yet (%(date)s).")
                        % {"batch": lot.batch, "date": f"{lot.expiry_date:%d/%m/%Y}"}
                        for lot in not_expired
                    ]
                }
            )
    if kind == StockCardLine.Movement.DAMAGED and not note.strip():
        raise ValidationError({"note": [_("Describe the damage.")]})
    with transaction.atomic():
        quarantine = _quarantine_store_for(store.facility_id)
        moves = _lot_moves(
            store=store,
            lines=lines,
            sign=-1,
            movement=kind,
            counterparty=quarantine.name,
            note=note,
        ) + _lot_moves(
            store=quarantine, lines=lines, sign=1, movement=kind, counterparty=store.name, note=note
        )
        return post_moves(actor=actor, on=on, moves=moves)


@dataclass(frozen=True)
class OpnameCountInput:
    lot: Lot
    counted_quantity: int
    reason: str = ""


def stock_opname_record(
    *,
    actor: User,
    store: Store,
    counted_on: dt.date,
    counts: Sequence[OpnameCountInput],
    reference: str = "",
) -> StockOpname:
    """Record a stock count; each difference from the card needs a reason and is written
    to the card as an adjustment dated the count day."""
    check_store(store)
    if not counts:
        raise ValidationError({"counts": [_("Count at least one lot.")]})
    with transaction.atomic():
        StockBalance.objects.bulk_create(
            [StockBalance(store=store, lot=c.lot, medicine_id=c.lot.medicine_id) for c in counts],
            ignore_conflicts=True,
        )
        balances = lock_balances((store.pk, c.lot.pk) for c in counts)
        later = dict(
            StockCardLine.objects.filter(store=store, date__gt=counted_on)
            .values("lot_id")
            .annotate(net_change=Sum(F("quantity_in") - F("quantity_out")))
            .values_list("lot_id", "net_change")
        )
        errors = []
        recorded = {}
        for count in counts:
            if count.counted_quantity < 0:
                errors.append(
                    _("Batch %(batch)s: the count cannot be negative.") % {"batch": count.lot.batch}
                )
            system = balances[(store.pk, count.lot.pk)].quantity - later.get(count.lot.pk, 0)
            recorded[count.lot.pk] = system
            if system != count.counted_quantity and not count.reason.strip():
                errors.append(
                    _("Batch %(batch)s: recorded %(system)s, counted %(counted)s; give the reason.")
                    % {
                        "batch": count.lot.batch,
                        "system": system,
                        "counted": count.counted_quantity,
                    }
                )
        if errors:
            raise ValidationError({"counts": errors})
        opname = StockOpname(
            store=store, counted_on=counted_on, reference=reference or "-", counted_by=actor
        )
        opname.full_clean()
        opname.save()
        if not reference:
            opname.reference = f"SO/{store.facility.kemenkes_code}/{counted_on:%Y%m%d}/{opname.pk}"
            opname.save(update_fields=["reference"])
        StockOpnameLine.objects.bulk_create(
            [
                StockOpnameLine(
                    opname=opname,
                    lot=c.lot,
                    system_quantity=recorded[c.lot.pk],
                    counted_quantity=c.counted_quantity,
                    reason=c.reason.strip(),
                )
                for c in counts
            ]
        )
        moves = [
            Move(
                store=store,
                lot=c.lot,
                change=c.counted_quantity - recorded[c.lot.pk],
                movement=StockCardLine.Movement.OPNAME,
                reference=opname.reference,
                note=c.reason.strip(),
            )
            for c in counts
            if c.counted_quantity != recorded[c.lot.pk]
        ]
        if moves:
            post_moves(actor=actor, on=counted_on, moves=moves)
    return opname


REVERSIBLE = (
    StockCardLine.Movement.RECEIPT,
    StockCardLine.Movement.DISPENSE,
    StockCardLine.Movement.OPNAME,
    StockCardLine.Movement.RETURN,
)


def stock_card_line_reverse(
    *, actor: User, line: StockCardLine, reason: str, reversed_on: dt.date | None = None
) -> StockCardLine:
    """Correct a mistaken line by a reversing line (the card is never edited, III.C.6).

    Reversing a dispensing line puts the units back as owed on the prescription.
    """
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the correction.")]})
    if line.movement not in REVERSIBLE:
        raise ValidationError(
            _("This kind of line cannot be reversed; record the opposite movement.")
        )
    reversed_on = max(reversed_on or timezone.localdate(), line.date)
    with transaction.atomic():
        prescription = None
        prescription_line_id = line.prescription_line_id
        if prescription_line_id:
            prescription = Prescription.objects.select_for_update(of=("self",)).get(
                lines__id=prescription_line_id
            )
        if StockCardLine.objects.filter(reverses=line).exists():
            raise ValidationError(_("This line has already been reversed."))
        written = post_moves(
            actor=actor,
            on=reversed_on,
            moves=[
                Move(
                    store=line.store,
                    lot=line.lot,
                    change=-line.change,
                    movement=StockCardLine.Movement.REVERSAL,
                    reference=line.reference,
                    counterparty=line.counterparty,
                    note=reason.strip(),
                    patient_id=line.patient_id,
                    prescription_line_id=line.prescription_line_id,
                    reverses_id=line.pk,
                )
            ],
        )[0]
        if prescription is not None and prescription_line_id:
            prescribed = PrescriptionLine.objects.get(pk=prescription_line_id)
            prescribed.dispensed_quantity -= line.quantity_out
            prescribed.save(update_fields=["dispensed_quantity"])
            prescription.status = prescription_status(list(prescription.lines.all()))
            prescription.save(update_fields=["status"])
    return written
