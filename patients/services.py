import datetime as dt
from typing import Any, Protocol

from django.db import transaction

from accounts.models import User
from facilities.models import Facility
from patients.models import Patient, PatientAccessLog

EDITABLE_FIELDS = (
    "nik",
    "bpjs_number",
    "name",
    "sex",
    "birth_date",
    "address",
    "phone",
    "reminder_consent",
    "pustu",
)


def patient_create(
    *,
    actor: User,
    nik: str,
    bpjs_number: str,
    name: str,
    sex: str,
    birth_date: dt.date,
    fktp: Facility | None = None,
    pustu: Facility | None = None,
    address: str = "",
    phone: str = "",
    reminder_consent: bool = False,
) -> Patient:
    """Register a patient at the actor's puskesmas (or the given FKTP for admins)."""
    if fktp is None:
        fktp = actor.facility
    patient = Patient(
        nik=nik,
        bpjs_number=bpjs_number,
        name=name.strip(),
        sex=sex,
        birth_date=birth_date,
        fktp=fktp,
        pustu=pustu,
        address=address,
        phone=phone,
        reminder_consent=reminder_consent,
    )
    with transaction.atomic():
        patient.full_clean()
        patient.save()
    return patient


def patient_update(*, actor: User, patient: Patient, **changes: Any) -> Patient:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"patient_update() got unexpected fields: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(patient, field, value)
    with transaction.atomic():
        patient.full_clean()
        patient.save(update_fields=[*changes, "updated_at"])
    return patient


def patient_record_access(
    *, user: Any, patient: Patient, action: str = PatientAccessLog.Action.VIEW, path: str = ""
) -> PatientAccessLog:
    return PatientAccessLog.objects.create(
        patient=patient, user=user, facility_id=user.facility_id, action=action, path=path[:255]
    )


class _Read(Protocol):
    """A page or API request: who reads, and where."""

    user: Any
    path: str


def patient_record_read(
    request: _Read, patient: Patient, *, action: str = PatientAccessLog.Action.VIEW
) -> PatientAccessLog:
    """The audit row of a page, print or API answer that shows the patient's record."""
    return patient_record_access(
        user=request.user, patient=patient, action=action, path=request.path
    )
