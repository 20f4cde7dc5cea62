"""Prescriptions: created by case management, dispensed from a PRB store."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from patients.models import Patient
from pharmacy.models import (
    Lot,
    Medicine,
    Prescription,
    PrescriptionLine,
    StockCardLine,
    Store,
)
from pharmacy.planning.fefo import fefo_order, fefo_take
from pharmacy.rules import prescriptions as rx
from pharmacy.services.ledger import (
    LockedBalance,
    Move,
    check_store,
    post_moves,
    prb_store_for,
    update_column,
)
from satusehat.outbox import satusehat_dispenses_queue


@dataclass(frozen=True)
class PrescriptionLineInput:
    medicine: Medicine
    quantity: int
    signa: str = ""


def prescription_drug(medicine: Medicine) -> rx.Drug:
    """A formulary row as the pure prescription rules see it."""
    return rx.Drug(
        key=medicine.pk,
        name=medicine.name,
        label=str(medicine),
        strength=medicine.strength,
        rule_group=medicine.rule_group,
        max_quantity_per_month=medicine.max_quantity_per_month,
        is_active=medicine.is_active,
    )


def prescription_rule_messages(problems: Iterable[rx.Problem]) -> list[str]:
    """The rules' messages in the user's language (msgids in ``pharmacy.rules``)."""
    return [_(problem.message) % problem.params for problem in problems]


def prescription_line_errors(*, medicine: Medicine, quantity: int, months: int = 1) -> list[str]:
    """Why a prescribed quantity is not allowed at FKTP (Fornas PRB maximum per month)."""
    line = rx.Line(prescription_drug(medicine), quantity)
    return prescription_rule_messages(rx.formulary_problems(line, months=months))


def prescription_create(
    *,
    actor: User,
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


@dataclass(frozen=True)
class DispenseResult:
    prescription: Prescription
    card_lines: list[StockCardLine]
    owed: dict[int, int]
    """Prescription line id → units still owed to the patient."""
    lines: list[PrescriptionLine]
    """The prescription's lines as they are after the dispense."""


def prescription_status(lines: Sequence[PrescriptionLine]) -> str:
    if all(line.owed_quantity == 0 for line in lines):
        return Prescription.Status.DISPENSED
    if any(line.dispensed_quantity > 0 for line in lines):
        return Prescription.Status.PARTLY
    return Prescription.Status.WAITING


# Dispensing is the pharmacy's hot path (a busy morning is hundreds of prescriptions): its
# reads are written once in SQL rather than compiled by the ORM on every call, and give the
# same model instances. Columns come from the models, so they cannot drift.


def _select(model: Any, alias: str) -> tuple[list[str], str]:
    fields = model._meta.concrete_fields
    return (
        [field.attname for field in fields],
        ", ".join(f'{alias}."{field.column}"' for field in fields),
    )


_PRESCRIPTION_FIELDS, _PRESCRIPTION_COLUMNS = _select(Prescription, "p")
_LOCK_PRESCRIPTION_SQL = f"""
SELECT {_PRESCRIPTION_COLUMNS}, pa.name
FROM pharmacy_prescription p JOIN patients_patient pa ON pa.id = p.patient_id
WHERE p.id = %s FOR UPDATE OF p
"""
_LINE_FIELDS, _LINE_COLUMNS = _select(PrescriptionLine, "l")
_LINES_SQL = f"""
SELECT {_LINE_COLUMNS} FROM pharmacy_prescriptionline l
WHERE l.prescription_id = %s ORDER BY l.id
"""
_LOT_FIELDS, _LOT_COLUMNS = _select(Lot, "lo")
# The usable balances of the prescribed medicines, locked in id order.
_AVAILABLE_SQL = f"""
SELECT b.id, b.store_id, b.lot_id, b.medicine_id, b.quantity, {_LOT_COLUMNS}
FROM pharmacy_stockbalance b JOIN pharmacy_lot lo ON lo.id = b.lot_id
WHERE b.store_id = %s AND b.medicine_id = ANY(%s) AND b.quantity > 0 AND lo.expiry_date > %s
ORDER BY b.id FOR UPDATE OF b
"""


@dataclass
class _Candidate:
    """A usable lot balance as FEFO sees it; ``quantity`` goes down as lines take it."""

    pk: int
    lot_id: int
    medicine_id: int
    quantity: int
    lot: Lot


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

    Locks the prescription, then every usable balance of its medicines (in id order), so
    concurrent dispenses never oversell; a fixed number of queries whatever the number of
    lines and lots.
    """
    dispensed_on = dispensed_on or timezone.localdate()
    quantities = quantities or {}
    lots = lots or {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_LOCK_PRESCRIPTION_SQL, [prescription.pk])
        row = cursor.fetchone()
        if row is None:
            raise Prescription.DoesNotExist("No such prescription.")
        prescription = Prescription.from_db(connection.alias, _PRESCRIPTION_FIELDS, row[:-1])
        patient_name = row[-1]
        if prescription.status in (Prescription.Status.CANCELLED, Prescription.Status.DISPENSED):
            raise ValidationError(
                _("This prescription is %(status)s; nothing to dispense.")
                % {"status": prescription.get_status_display().lower()}
            )
        store = store or prb_store_for(prescription.facility_id)
        if store.facility_id != prescription.facility_id:
            raise ValidationError({"store": [_("The store belongs to another facility.")]})
        check_store(store, dispensing=True)
        cursor.execute(_LINES_SQL, [prescription.pk])
        lines = [
            PrescriptionLine.from_db(connection.alias, _LINE_FIELDS, values)
            for values in cursor.fetchall()
        ]
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

        cursor.execute(
            _AVAILABLE_SQL,
            [store.pk, sorted({line.medicine_id for line in lines}), dispensed_on],
        )
        locked: dict[tuple[int, int], LockedBalance] = {}
        available = []
        for pk, store_id, lot_id, medicine_id, quantity, *lot_values in cursor.fetchall():
            locked[(store_id, lot_id)] = LockedBalance(pk, store_id, lot_id, medicine_id, quantity)
            lot = Lot.from_db(connection.alias, _LOT_FIELDS, lot_values)
            available.append(_Candidate(pk, lot_id, medicine_id, quantity, lot))
        available = fefo_order(available)
        reference = prescription.reference or f"R-{prescription.pk}"
        moves: list[Move] = []
        taken: dict[int, int] = {}
        for line in lines:
            chosen = lots.get(line.pk)
            for balance, take in fefo_take(
                available,
                medicine_id=line.medicine_id,
                need=wanted[line.pk],
                lot_id=chosen.pk if chosen is not None else None,
            ):
                taken[line.pk] = taken.get(line.pk, 0) + take
                moves.append(
                    Move(
                        store=store,
                        lot=balance.lot,
                        change=-take,
                        movement=StockCardLine.Movement.DISPENSE,
                        reference=reference,
                        counterparty=patient_name,
                        patient_id=prescription.patient_id,
                        prescription_line_id=line.pk,
                    )
                )
        if not moves:
            raise ValidationError(
                _("No usable stock in %(store)s for this prescription.") % {"store": store.name}
            )
        card_lines = post_moves(actor=actor, on=dispensed_on, moves=moves, locked=locked)
        for line in lines:
            line.dispensed_quantity += taken.get(line.pk, 0)
        update_column(
            "pharmacy_prescriptionline",
            "dispensed_quantity",
            {line.pk: line.dispensed_quantity for line in lines if taken.get(line.pk)},
        )
        prescription.status = prescription_status(lines)
        cursor.execute(
            "UPDATE pharmacy_prescription SET status = %s WHERE id = %s",
            [prescription.status, prescription.pk],
        )
        satusehat_dispenses_queue(
            facility_id=prescription.facility_id,
            patient_id=prescription.patient_id,
            card_line_ids=[card_line.pk for card_line in card_lines],
        )
    return DispenseResult(
        prescription=prescription,
        card_lines=card_lines,
        owed={line.pk: line.owed_quantity for line in lines},
        lines=lines,
    )
