import datetime as dt
from typing import Any, Protocol

from django.db import transaction

from accounts.models import User
from facilities.models import Facility
from patients.models import Patient, PatientAccessLog, PatientListAccess
from patients.reads import PatientReads, is_collecting, note_record

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
    *, user: Any, patient: Patient, action: str | None = None, path: str = ""
) -> None:
    """Log a read of the patient's record, e.g. an export or a print.

    In a request it joins the request's reads (``patients.reads``: written once, with the
    access helpers' reads); outside one it is written at once.
    """
    if is_collecting():
        note_record(patient.pk, action=action)
        return
    PatientAccessLog.objects.create(
        patient=patient,
        user=user,
        facility_id=user.facility_id,
        action=action or PatientAccessLog.Action.VIEW,
        path=path[:255],
    )


class _Read(Protocol):
    """A page or API request: who reads, and where."""

    user: Any
    path: str


def patient_record_read(request: _Read, patient: Patient, *, action: str | None = None) -> None:
    """The audit row of a page, print or API answer that shows the patient's record."""
    patient_record_access(user=request.user, patient=patient, action=action, path=request.path)


def patient_reads_record(*, user: Any, shown: PatientReads, path: str) -> None:
    """Write what one response showed: a row per record read, one bounded row for lists.

    A patient whose record was read is not repeated in the list row. Lists longer than
    ``PatientListAccess.MAX_PATIENTS`` (a whole stock card) take several rows, still one INSERT.
    """
    default = PatientAccessLog.Action.API_VIEW if shown.api else PatientAccessLog.Action.VIEW
    path = path[:255]
    listed = [pk for pk in shown.listed if pk not in shown.records]
    size = PatientListAccess.MAX_PATIENTS
    # No savepoint: a log row is all or nothing with its request's other log row.
    with transaction.atomic(savepoint=False):
        if shown.records:
            PatientAccessLog.objects.bulk_create(
                PatientAccessLog(
                    patient_id=pk,
                    user=user,
                    facility_id=user.facility_id,
                    action=action or default,
                    path=path,
                )
                for pk, action in shown.records.items()
            )
        if listed:
            PatientListAccess.objects.bulk_create(
                PatientListAccess(
                    user=user,
                    facility_id=user.facility_id,
                    action=shown.list_action or default,
                    path=path,
                    patient_ids=listed[start : start + size],
                )
                for start in range(0, len(listed), size)
            )
