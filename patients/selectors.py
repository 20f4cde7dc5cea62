from typing import Any

from django.apps import apps
from django.db.models import F, QuerySet, Value

from accounts.models import User
from accounts.policy import Capability
from patients.models import Patient, PatientAccessLog, PatientListAccess
from patients.reads import AccessHelper

# The access helper for patient records: 404 outside the user's scope (STYLE.md 3);
# like every access helper it logs the read (``patients.reads.AccessHelper``).
patient_for_user = AccessHelper(
    Patient, read=Capability.SEE_PATIENTS, related=("fktp", "pustu"), patient="pk"
)


def patient_list(*, user: Any, query: str = "") -> QuerySet[Patient]:
    return (
        Patient.objects.visible_to(user)
        .search(query)
        .select_related("fktp", "pustu")
        .order_by("name", "id")
    )


def patient_access_logs(*, patient: Patient) -> QuerySet[Any]:
    """Every read of the patient, newest first: the record opened and the lists that showed it.

    Rows are dicts (at, action, path, user, facility, listed); list reads are found through
    the GIN index on ``PatientListAccess.patient_ids``.
    """
    fields = {
        "user": F("user__username"),
        "facility": F("facility__name"),
    }
    records = (
        PatientAccessLog.objects.filter(patient=patient)
        .values("at", "action", "path")
        .annotate(**fields, listed=Value(False))
    )
    lists = (
        PatientListAccess.objects.filter(patient_ids__contains=[patient.pk])
        .values("at", "action", "path")
        .annotate(**fields, listed=Value(True))
    )
    return records.union(lists, all=True).order_by("-at")


def patient_change_events(*, patient: Patient) -> list[dict[str, Any]]:
    """Inserts, updates and deletes of the patient row, with who made them."""
    event_model = apps.get_model("patients", "PatientEvent")
    events = list(
        event_model.objects.filter(pgh_obj_id=patient.pk)
        .select_related("pgh_context")
        .order_by("-pgh_created_at", "-pgh_id")
    )
    user_ids = {(e.pgh_context.metadata or {}).get("user") for e in events if e.pgh_context_id} - {
        None
    }
    users = User.objects.in_bulk(user_ids)
    rows = []
    for event in events:
        metadata = event.pgh_context.metadata if event.pgh_context_id else {}
        rows.append(
            {
                "at": event.pgh_created_at,
                "label": event.pgh_label,
                "user": users.get(metadata.get("user")),
                "facility_id": metadata.get("facility"),
                "url": metadata.get("url", ""),
            }
        )
    return rows
