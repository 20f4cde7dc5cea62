"""The overdue-control sweep: missed control dates and lost to follow-up."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from alerts import selectors
from alerts.models import Alert
from alerts.services import CLINICAL_ROLES
from alerts.sweeps.raiser import (
    Links,
    Raiser,
    SweepResult,
    date_text,
    in_care,
    patient_chunks,
    program_label,
)

# ---------------------------------------------------------------- control overdue


def alerts_sweep_overdue(*, facility_id: int, as_of: dt.date) -> SweepResult:
    """One alert per case and missed control date; a separate one once lost to follow-up.

    Buckets as on the worklist (``alerts.selectors.BUCKETS``): overdue from the
    day after the control date, lost to follow-up after 90 days. A case taken
    off the list for this date, or closed (died, moved…), gets none and its
    open alert is resolved; so is the alert of a case that came for its visit.
    """
    kinds = [Alert.Kind.CONTROL_OVERDUE, Alert.Kind.LOST_TO_FOLLOW_UP]
    raiser = Raiser(facility_id=facility_id, kinds=kinds)
    links = Links()
    cases = (
        selectors.on_worklist(in_care(facility_id), as_of=as_of)
        .filter(next_control_date__lt=as_of)
        .values_list("pk", "next_control_date", "program", "patient_id")
        .order_by()  # no ORDER BY: a cursor would pick a fast-start scan of every case
    )
    with translation.override(settings.LANGUAGE_CODE):
        for chunk, patients in patient_chunks(cases, patient_at=3):
            for pk, due, program, patient_id in chunk:
                assert due is not None  # filtered on next_control_date
                name, _sex, _birth, pustu_id, _updated = patients[patient_id]
                days = (as_of - due).days
                lost = days > selectors.LOST_AFTER_DAYS
                values = {"name": name, "program": program_label(program), "date": date_text(due)}
                if lost:
                    kind, key = Alert.Kind.LOST_TO_FOLLOW_UP, f"case:{pk}:lost:{due.isoformat()}"
                    title = _("Lost to follow-up: %(name)s (%(program)s), control was due %(date)s")
                    severity = Alert.Severity.URGENT
                else:
                    kind, key = Alert.Kind.CONTROL_OVERDUE, f"case:{pk}:due:{due.isoformat()}"
                    title = _("Control overdue: %(name)s (%(program)s), due %(date)s")
                    severity = Alert.Severity.WARNING
                raiser.add(
                    kind=kind,
                    key=key,
                    title=title % values,
                    roles=CLINICAL_ROLES,
                    pustu_id=pustu_id,
                    patient_id=patient_id,
                    link=links.case(pk),
                    severity=severity,
                    body=_("Call the patient and record the contact on the control worklist."),
                )
            raiser.flush()
        return raiser.finish()
