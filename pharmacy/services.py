import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from patients.models import Patient
from pharmacy.models import Medicine, Prescription, PrescriptionLine


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
