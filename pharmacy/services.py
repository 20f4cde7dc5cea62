import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from patients.models import Patient
from pharmacy.models import (
    Destruction,
    DestructionLine,
    Lot,
    Medicine,
    MedicineVenOverride,
    Prescription,
    PrescriptionLine,
    StockBalance,
    StockCardLine,
    StockOpname,
    StockOpnameLine,
    Store,
)


@dataclass(frozen=True)
class PrescriptionLineInput:
    medicine: Medicine
    quantity: int
    signa: str = ""


def prescription_line_errors(*, medicine: Medicine, quantity: int, months: int = 1) -> list[str]:
    """Why a prescribed quantity is not allowed at FKTP (Fornas PRB maximum per month)."""
    errors = []
    if quantity <= 0:
        errors.append(_("The quantity must be at least 1."))
    limit = medicine.max_quantity_per_month
    if limit is not None and quantity > limit * months:
        errors.append(
            _("%(medicine)s: %(quantity)s exceeds the formulary maximum of %(limit)s per month.")
            % {"medicine": medicine, "quantity": quantity, "limit": limit}
        )
    if not medicine.is_active:
        errors.append(_("%(medicine)s is no longer in the PRB formulary.") % {"medicine": medicine})
    return errors


def prescription_create(
    *,
    actor: Any,
    patient: Patient,
    prescribed_on: dt.date,
    lines: Sequence[PrescriptionLineInput],
    months: int = 1,
    reference: str = "",
) -> Prescription:
    """Create the dispensing request for the patient's puskesmas; all lines or nothing."""
    if not lines:
        raise ValidationError({"lines": [_("A prescription needs at least one medicine.")]})
    errors = [
        message
        for line in lines
        for message in prescription_line_errors(
            medicine=line.medicine, quantity=line.quantity, months=months
        )
    ]
    if errors:
        raise ValidationError({"lines": errors})
    prescription = Prescription(
        facility=patient.fktp,
        patient=patient,
        prescribed_by=actor,
        prescribed_on=prescribed_on,
        months=months,
        reference=reference,
    )
    with transaction.atomic():
        prescription.full_clean()
        prescription.save()
        PrescriptionLine.objects.bulk_create(
            [
                PrescriptionLine(
                    prescription=prescription,
                    medicine=line.medicine,
                    quantity=line.quantity,
                    signa=line.signa,
                )
                for line in lines
            ]
        )
    return prescription


# ---------------------------------------------------------------------------
# Stock movements (KMK 1645/2024 III.C.3-7)
#
# Every movement goes through `_post_moves`, which locks the (store, lot) balance rows it
# touches in one statement ordered by id (so two transactions never wait on each other in
# opposite orders), writes one stock-card line per move and moves the balance. The database
# refuses a negative balance (CheckConstraint) and any edit of a card line other than the
# running balance (trigger), so the card and the balances cannot disagree.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Move:
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


def _lock_balances(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], StockBalance]:
    keys = sorted(set(keys))
    if not keys:
        return {}
    condition = Q()
    for store_id, lot_id in keys:
        condition |= Q(store_id=store_id, lot_id=lot_id)
    rows = StockBalance.objects.select_for_update().filter(condition).order_by("id")
    return {(row.store_id, row.lot_id): row for row in rows}


def _stock_error(move: _Move, available: int) -> ValidationError:
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


def _post_moves(*, actor: Any, on: dt.date, moves: Sequence[_Move]) -> list[StockCardLine]:
    """Write the moves to the stock card; call inside ``transaction.atomic``.

    A line dated before later lines of its card (a backdated entry) moves their running
    balances by its change, and is refused, with nothing written, if any of them would go
    below zero (KMK III.C.6: the card must stay traceable and true).
    """
    if on > timezone.localdate():
        raise ValidationError({"date": [_("The date cannot be in the future.")]})
    StockBalance.objects.bulk_create(
        [StockBalance(store=m.store, lot=m.lot, medicine_id=m.lot.medicine_id) for m in moves],
        ignore_conflicts=True,
    )
    balances = _lock_balances((m.store.pk, m.lot.pk) for m in moves)
    written = []
    for move in moves:
        balance = balances[(move.store.pk, move.lot.pk)]
        later = StockCardLine.objects.filter(
            store_id=move.store.pk, lot_id=move.lot.pk, date__gt=on
        ).aggregate(
            count=Count("id"),
            lowest=Min("balance_after"),
            change=Sum(F("quantity_in") - F("quantity_out")),
        )
        balance_then = balance.quantity - (later["change"] or 0)
        if balance_then + move.change < 0:
            raise _stock_error(move, balance_then)
        if later["count"]:
            if later["lowest"] + move.change < 0:
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
            StockCardLine.objects.filter(
                store_id=move.store.pk, lot_id=move.lot.pk, date__gt=on
            ).update(balance_after=F("balance_after") + move.change)
        line = StockCardLine(
            store=move.store,
            medicine_id=move.lot.medicine_id,
            lot=move.lot,
            date=on,
            movement=move.movement,
            quantity_in=max(move.change, 0),
            quantity_out=max(-move.change, 0),
            balance_after=balance_then + move.change,
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
        line.save()
        balance.quantity += move.change
        balance.save(update_fields=["quantity"])
        written.append(line)
    return written


def _check_store(store: Store, *, dispensing: bool = False) -> None:
    if not store.is_active:
        raise ValidationError({"store": [_("This store is closed.")]})
    if dispensing and not store.dispenses:
        raise ValidationError({"store": [_("Medicines are not handed out from this store.")]})


def _positive(quantity: int, field: str = "quantity") -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise ValidationError({field: [_("The quantity must be at least 1.")]})


@dataclass(frozen=True)
class ReceiptLineInput:
    medicine: Medicine
    batch: str
    expiry_date: dt.date
    quantity: int


def stock_receive(
    *,
    actor: Any,
    store: Store,
    received_on: dt.date,
    lines: Sequence[ReceiptLineInput],
    source: str = Lot.Source.DISTRIBUTOR,
    supplier: str = "",
    reference: str = "",
) -> list[StockCardLine]:
    """Receive lots from the IFK, a distributor or an apotek PRB; all lines or nothing."""
    _check_store(store, dispensing=True)
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
            _positive(line.quantity)
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
                _Move(
                    store=store,
                    lot=lot,
                    change=line.quantity,
                    movement=StockCardLine.Movement.RECEIPT,
                    reference=reference,
                    counterparty=supplier or str(Lot.Source(source).label),
                )
            )
        return _post_moves(actor=actor, on=received_on, moves=moves)


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


def _quarantine_store_for(facility_id: int) -> Store:
    store, _created = Store.objects.get_or_create(
        facility_id=facility_id,
        kind=Store.Kind.QUARANTINE,
        defaults={"name": _("Expired and damaged medicines")},
    )
    return store


@dataclass(frozen=True)
class DispenseResult:
    prescription: Prescription
    card_lines: list[StockCardLine]
    owed: dict[int, int]
    """Prescription line id → units still owed to the patient."""


def _prescription_status(lines: Sequence[PrescriptionLine]) -> str:
    if all(line.owed_quantity == 0 for line in lines):
        return Prescription.Status.DISPENSED
    if any(line.dispensed_quantity > 0 for line in lines):
        return Prescription.Status.PARTLY
    return Prescription.Status.WAITING


def stock_dispense(
    *,
    actor: Any,
    prescription: Prescription,
    store: Store | None = None,
    dispensed_on: dt.date | None = None,
    quantities: Mapping[int, int] | None = None,
    lots: Mapping[int, Lot] | None = None,
) -> DispenseResult:
    """Hand the month's PRB medicines to the patient against the prescription.

    Lots are taken first-expiry-first-out (FEFO) unless ``lots`` names one for a line;
    expired lots are never dispensed. ``quantities`` (line id → units) defaults to what is
    still owed. What the stock cannot cover stays owed on the prescription line and the
    prescription becomes partly dispensed; nothing at all to hand out is an error.
    """
    dispensed_on = dispensed_on or timezone.localdate()
    quantities = quantities or {}
    lots = lots or {}
    with transaction.atomic():
        prescription = (
            Prescription.objects.select_for_update(of=("self",))
            .select_related("patient")
            .get(pk=prescription.pk)
        )
        if prescription.status in (Prescription.Status.CANCELLED, Prescription.Status.DISPENSED):
            raise ValidationError(
                _("This prescription is %(status)s; nothing to dispense.")
                % {"status": prescription.get_status_display().lower()}
            )
        store = store or prb_store_for(prescription.facility_id)
        if store.facility_id != prescription.facility_id:
            raise ValidationError({"store": [_("The store belongs to another facility.")]})
        _check_store(store, dispensing=True)
        lines = list(prescription.lines.select_related("medicine"))
        wanted: dict[int, int] = {}
        errors = []
        for line in lines:
            quantity = quantities.get(line.pk, line.owed_quantity)
            if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
                errors.append(_("%(medicine)s: invalid quantity.") % {"medicine": line.medicine})
            elif quantity > line.owed_quantity:
                errors.append(
                    _("%(medicine)s: only %(owed)s still owed.")
                    % {"medicine": line.medicine, "owed": line.owed_quantity}
                )
            else:
                wanted[line.pk] = quantity
        if errors:
            raise ValidationError({"quantities": errors})

        available = list(
            StockBalance.objects.select_for_update(of=("self",))
            .filter(
                store=store,
                medicine_id__in={line.medicine_id for line in lines},
                quantity__gt=0,
                lot__expiry_date__gt=dispensed_on,
            )
            .select_related("lot", "lot__medicine")
            .order_by("id")
        )
        available.sort(key=lambda b: (b.lot.expiry_date, b.lot.batch, b.pk))
        reference = prescription.reference or f"R-{prescription.pk}"
        moves: list[_Move] = []
        taken: dict[int, int] = {}
        for line in lines:
            need = wanted[line.pk]
            chosen = lots.get(line.pk)
            for balance in available:
                if need == 0:
                    break
                if balance.medicine_id != line.medicine_id or balance.quantity == 0:
                    continue
                if chosen is not None and balance.lot_id != chosen.pk:
                    continue
                take = min(need, balance.quantity)
                balance.quantity -= take  # what the next line may still take
                need -= take
                taken[line.pk] = taken.get(line.pk, 0) + take
                moves.append(
                    _Move(
                        store=store,
                        lot=balance.lot,
                        change=-take,
                        movement=StockCardLine.Movement.DISPENSE,
                        reference=reference,
                        counterparty=prescription.patient.name,
                        patient_id=prescription.patient_id,
                        prescription_line_id=line.pk,
                    )
                )
        if not moves:
            raise ValidationError(
                _("No usable stock in %(store)s for this prescription.") % {"store": store.name}
            )
        card_lines = _post_moves(actor=actor, on=dispensed_on, moves=moves)
        for line in lines:
            if taken.get(line.pk):
                line.dispensed_quantity += taken[line.pk]
                line.save(update_fields=["dispensed_quantity"])
        prescription.status = _prescription_status(lines)
        prescription.save(update_fields=["status"])
    return DispenseResult(
        prescription=prescription,
        card_lines=card_lines,
        owed={line.pk: line.owed_quantity for line in lines},
    )


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
) -> list[_Move]:
    if not lines:
        raise ValidationError({"lines": [_("Choose at least one lot.")]})
    for line in lines:
        _positive(line.quantity)
    return [
        _Move(
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
    actor: Any,
    source: Store,
    destination: Store,
    transferred_on: dt.date,
    lines: Sequence[LotQuantity],
    reference: str = "",
) -> list[StockCardLine]:
    """Move lots to another store: to a facility short of a medicine (KMK III.C.5)."""
    if source.pk == destination.pk:
        raise ValidationError({"destination": [_("Choose another store.")]})
    _check_store(source)
    _check_store(destination)
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
        return _post_moves(actor=actor, on=transferred_on, moves=moves)


def stock_return(
    *,
    actor: Any,
    store: Store,
    returned_on: dt.date,
    lines: Sequence[LotQuantity],
    supplier: str,
    reason: str,
    reference: str = "",
) -> list[StockCardLine]:
    """Return lots to the IFK, distributor or apotek they came from."""
    _check_store(store)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the return.")]})
    with transaction.atomic():
        return _post_moves(
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
    actor: Any,
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
    _check_store(store, dispensing=True)
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
        return _post_moves(actor=actor, on=on, moves=moves)


@dataclass(frozen=True)
class OpnameCountInput:
    lot: Lot
    counted_quantity: int
    reason: str = ""


def stock_opname_record(
    *,
    actor: Any,
    store: Store,
    counted_on: dt.date,
    counts: Sequence[OpnameCountInput],
    reference: str = "",
) -> StockOpname:
    """Record a stock count; each difference from the card needs a reason and is written
    to the card as an adjustment dated the count day."""
    _check_store(store)
    if not counts:
        raise ValidationError({"counts": [_("Count at least one lot.")]})
    with transaction.atomic():
        StockBalance.objects.bulk_create(
            [StockBalance(store=store, lot=c.lot, medicine_id=c.lot.medicine_id) for c in counts],
            ignore_conflicts=True,
        )
        balances = _lock_balances((store.pk, c.lot.pk) for c in counts)
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
            _Move(
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
            _post_moves(actor=actor, on=counted_on, moves=moves)
    return opname


REVERSIBLE = (
    StockCardLine.Movement.RECEIPT,
    StockCardLine.Movement.DISPENSE,
    StockCardLine.Movement.OPNAME,
    StockCardLine.Movement.RETURN,
)


def stock_card_line_reverse(
    *, actor: Any, line: StockCardLine, reason: str, reversed_on: dt.date | None = None
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
        written = _post_moves(
            actor=actor,
            on=reversed_on,
            moves=[
                _Move(
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
            prescription.status = _prescription_status(list(prescription.lines.all()))
            prescription.save(update_fields=["status"])
    return written


@dataclass(frozen=True)
class DestructionLineInput:
    store: Store
    lot: Lot
    quantity: int
    reason: str = DestructionLine.Reason.EXPIRED


def destruction_create(
    *,
    actor: Any,
    facility: Any,
    destroyed_on: dt.date,
    method: str,
    place: str,
    witnesses: str,
    lines: Sequence[DestructionLineInput],
    note: str = "",
) -> Destruction:
    """Berita Acara Pemusnahan (KMK III.C.7 b-e), numbered per facility per month, and the
    write-off of the destroyed units through the stock card."""
    errors: dict[str, list[str]] = {}
    if len([w for w in witnesses.splitlines() if w.strip()]) < 2:
        errors["witnesses"] = [_("Name at least two witnesses, one per line.")]
    if not lines:
        errors["lines"] = [_("Choose at least one lot to destroy.")]
    for line in lines:
        if (
            isinstance(line.quantity, bool)
            or not isinstance(line.quantity, int)
            or line.quantity <= 0
        ):
            errors.setdefault("lines", []).append(_("The quantity must be at least 1."))
        if line.store.facility_id != facility.pk:
            errors.setdefault("lines", []).append(_("The store belongs to another facility."))
        if line.reason not in DestructionLine.Reason.values:
            errors.setdefault("lines", []).append(_("Unknown reason."))
        if line.reason == DestructionLine.Reason.EXPIRED and line.lot.expiry_date > destroyed_on:
            errors.setdefault("lines", []).append(
                _("Batch %(batch)s has not expired yet (%(date)s).")
                % {"batch": line.lot.batch, "date": f"{line.lot.expiry_date:%d/%m/%Y}"}
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Serialise numbering per facility: the month's next number is read and used under
        # the facility's row lock; the unique constraint backs it up.
        type(facility).objects.select_for_update().filter(pk=facility.pk).first()
        sequence = (
            Destruction.objects.filter(
                facility=facility, year=destroyed_on.year, month=destroyed_on.month
            ).aggregate(n=Max("sequence"))["n"]
            or 0
        ) + 1
        destruction = Destruction(
            facility=facility,
            number=f"BAP/{facility.kemenkes_code}/{destroyed_on:%Y}/{destroyed_on:%m}/{sequence}",
            year=destroyed_on.year,
            month=destroyed_on.month,
            sequence=sequence,
            destroyed_on=destroyed_on,
            method=method,
            place=place.strip(),
            witnesses="\n".join(w.strip() for w in witnesses.splitlines() if w.strip()),
            note=note,
            created_by=actor,
        )
        destruction.full_clean()
        destruction.save()
        DestructionLine.objects.bulk_create(
            [
                DestructionLine(
                    destruction=destruction,
                    store=line.store,
                    lot=line.lot,
                    quantity=line.quantity,
                    reason=line.reason,
                )
                for line in lines
            ]
        )
        _post_moves(
            actor=actor,
            on=destroyed_on,
            moves=[
                _Move(
                    store=line.store,
                    lot=line.lot,
                    change=-line.quantity,
                    movement=StockCardLine.Movement.DESTRUCTION,
                    reference=destruction.number,
                    counterparty=destruction.get_method_display(),
                    note=str(DestructionLine.Reason(line.reason).label),
                )
                for line in lines
            ],
        )
    return destruction


def ven_override_set(
    *, actor: Any, regency: Any, medicine: Medicine, ven: str
) -> MedicineVenOverride | None:
    """Set the district's VEN class for a medicine; the formulary's class removes the override."""
    if ven not in Medicine.Ven.values:
        raise ValidationError({"ven": [_("Choose V, E or N.")]})
    with transaction.atomic():
        if ven == medicine.ven:
            MedicineVenOverride.objects.filter(regency=regency, medicine=medicine).delete()
            return None
        override, _created = MedicineVenOverride.objects.update_or_create(
            regency=regency, medicine=medicine, defaults={"ven": ven, "updated_by": actor}
        )
    return override
