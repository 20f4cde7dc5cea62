"""Patient reminders before the control date."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alerts.gateways import reminder_gateway
from alerts.models import Reminder
from alerts.sweeps.raiser import SweepResult, chunks, date_text, in_care, logger
from facilities.models import Facility

# Patient reminders go out from two days before the control date.
REMINDER_DAYS_BEFORE = 2
REMINDER_BATCH = 100


# ---------------------------------------------------------------- patient reminders


def reminders_send(*, facility_id: int, as_of: dt.date) -> SweepResult:
    """Remind consenting patients of their control, at most once per control date.

    Rows are claimed before the gateway is called: the unique (patient, due
    date) constraint lets one run claim a reminder, and a run interrupted after
    the claim leaves it ``pending`` instead of sending twice. A reminder the
    gateway reported as failed is tried again on a later run before its date.
    """
    from patients.models import Patient

    result = SweepResult()
    gateway = reminder_gateway()
    claim = uuid.uuid4()
    due = (
        in_care(facility_id)
        .filter(
            next_control_date__gte=as_of,
            next_control_date__lte=as_of + dt.timedelta(days=REMINDER_DAYS_BEFORE),
        )
        .values_list("patient_id", "next_control_date")
        .order_by()
        .distinct()
    )
    facility_name = Facility.objects.filter(pk=facility_id).values_list("name", flat=True).first()
    with translation.override(settings.LANGUAGE_CODE):
        for chunk in chunks(due):
            consenting = set(
                Patient.objects.filter(
                    pk__in=[patient_id for patient_id, _due in chunk], reminder_consent=True
                )
                .exclude(phone="")
                .values_list("pk", flat=True)
            )
            Reminder.objects.bulk_create(
                [
                    Reminder(
                        patient_id=patient_id,
                        due_date=due_date,
                        channel=gateway.channel,
                        status=Reminder.Status.PENDING,
                        message="",
                        claim=claim,
                    )
                    for patient_id, due_date in chunk
                    if patient_id in consenting
                ],
                ignore_conflicts=True,
            )
        # Failed deliveries of controls still ahead are tried again, claimed the same way.
        Reminder.objects.filter(
            status=Reminder.Status.FAILED,
            due_date__gte=as_of,
            patient__in=in_care(facility_id).values("patient_id"),
        ).update(status=Reminder.Status.PENDING, claim=claim)
        claimed = list(
            Reminder.objects.filter(claim=claim, status=Reminder.Status.PENDING).order_by(
                "due_date", "pk"
            )
        )
        contacts = {
            pk: (name, phone)
            for pk, name, phone in Patient.objects.filter(pk__in=[r.patient_id for r in claimed])
            .order_by()
            .values_list("pk", "name", "phone")
        }
        done: list[Reminder] = []
        for reminder in claimed:
            message = _(
                "Dear %(name)s, your PRB control at %(facility)s is on %(date)s."
                " Please bring your BPJS card and your remaining medicines."
            ) % {
                "name": contacts[reminder.patient_id][0],
                "facility": facility_name,
                "date": date_text(reminder.due_date),
            }
            try:
                delivery = gateway.send(phone=contacts[reminder.patient_id][1], message=message)
            except Exception as error:  # a gateway outage must not stop the other reminders
                logger.exception("reminder %s not sent", reminder.pk)
                ok, detail = False, str(error)
            else:
                ok, detail = delivery.ok, delivery.detail
            reminder.status = Reminder.Status.SENT if ok else Reminder.Status.FAILED
            reminder.message, reminder.detail = message, detail[:255]
            reminder.channel, reminder.sent_at = gateway.channel, timezone.now()
            done.append(reminder)
            if ok:
                result.sent += 1
            else:
                result.failed += 1
            if len(done) >= REMINDER_BATCH:
                _record_deliveries(done)
        _record_deliveries(done)
    return result


def _record_deliveries(done: list[Reminder]) -> None:
    """Write the outcome of sent reminders (a crash before this leaves them ``pending``:
    never sent again)."""
    if done:
        Reminder.objects.bulk_update(
            done, ["status", "message", "detail", "channel", "sent_at"], batch_size=REMINDER_BATCH
        )
        done.clear()
