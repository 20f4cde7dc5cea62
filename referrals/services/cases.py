"""A case's status and its assigned pustu."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from facilities.models import Facility
from patients.services import patient_update
from referrals.models import (
    CaseStatus,
    PrbCase,
)
from referrals.services.engine import local_today
from satusehat.outbox import satusehat_episode_queue

# Statuses a user may set by hand; re-referral and return from hospital have their own services.
MANUAL_TRANSITIONS: dict[CaseStatus, set[CaseStatus]] = {
    CaseStatus.ACTIVE: {
        CaseStatus.MOVED,
        CaseStatus.DIED,
        CaseStatus.DROPPED_OUT,
        CaseStatus.FINISHED,
    },
    CaseStatus.BACK_FROM_HOSPITAL: {
        CaseStatus.MOVED,
        CaseStatus.DIED,
        CaseStatus.DROPPED_OUT,
        CaseStatus.FINISHED,
    },
    CaseStatus.RE_REFERRED: {CaseStatus.MOVED, CaseStatus.DIED, CaseStatus.FINISHED},
    CaseStatus.DROPPED_OUT: {
        CaseStatus.ACTIVE,
        CaseStatus.MOVED,
        CaseStatus.DIED,
        CaseStatus.FINISHED,
    },
}


def case_status_change(
    *, actor: User, case: PrbCase, status: str, note: str = "", on: dt.date | None = None
) -> PrbCase:
    allowed = MANUAL_TRANSITIONS.get(CaseStatus(case.status), set())
    if status not in CaseStatus.values or CaseStatus(status) not in allowed:
        raise ValidationError(
            {
                "status": [
                    _("A case with status %(current)s cannot be set to %(new)s here.")
                    % {
                        "current": case.get_status_display(),
                        "new": dict(CaseStatus.choices).get(status, status),
                    }
                ]
            }
        )
    case.status = CaseStatus(status)
    case.status_note = note.strip()
    case.status_changed_on = on or local_today()
    with transaction.atomic():
        case.full_clean()
        case.save(update_fields=["status", "status_note", "status_changed_on", "updated_at"])
        satusehat_episode_queue(case)
    return case


# ---------------------------------------------------------------- Pustu, home visits, contacts


def case_assign_pustu(*, actor: User, case: PrbCase, pustu: Facility | None) -> PrbCase:
    """Share the patient with the Pustu where they live (BAB III.A, Pustu 1)."""
    patient_update(actor=actor, patient=case.patient, pustu=pustu)
    return case
