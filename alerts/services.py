import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from alerts.models import Alert, AlertRead, WorklistRemoval
from referrals.models import CaseStatus

# Who an alert is addressed to, by role (Alert.roles).
CLINICAL_ROLES = [policy.DOKTER, policy.PERAWAT, policy.ADMIN]
PUSTU_ROLES = [policy.PUSTU]
PHARMACY_ROLES = [policy.FARMASI, policy.ADMIN]


@dataclass(frozen=True)
class AlertDraft:
    facility_id: int
    kind: str
    key: str
    title: str
    roles: list[str]
    body: str = ""
    link: str = ""
    patient_id: int | None = None
    severity: str = Alert.Severity.WARNING
    extra: dict[str, Any] = field(default_factory=dict)


_RAISE_COLUMNS = (
    "facility_id",
    "roles",
    "kind",
    "severity",
    "key",
    "title",
    "body",
    "link",
    "patient_id",
    "created_at",
)


def alerts_raise(*, drafts: Iterable[AlertDraft]) -> list[Alert]:
    """Create the alerts that do not exist yet and return them.

    Idempotent: the unique (facility, kind, key) constraint with ``ON CONFLICT
    DO NOTHING`` skips existing keys, so a concurrent or redelivered run (a
    worker killed mid-sweep) adds nothing twice. The rows go through COPY into a
    temporary table and one ``INSERT … SELECT``: a sweep raises thousands at once.
    """
    unique = {(d.facility_id, d.kind, d.key[:200]): d for d in drafts}
    if not unique:
        return []
    now = timezone.now()
    columns = ", ".join(_RAISE_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        # Alerts are derived data a sweep rebuilds: no need to wait for the WAL flush.
        raw.execute("SET LOCAL synchronous_commit TO OFF")
        raw.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS alerts_raise_batch AS SELECT {columns}"
            " FROM alerts_alert WITH NO DATA"
        )
        raw.execute("TRUNCATE alerts_raise_batch")
        with raw.copy(f"COPY alerts_raise_batch ({columns}) FROM STDIN") as copy:
            for (facility_id, kind, key), d in unique.items():
                copy.write_row(
                    [
                        facility_id,
                        d.roles,
                        kind,
                        d.severity,
                        key,
                        d.title[:200],
                        d.body,
                        d.link[:255],
                        d.patient_id,
                        now,
                    ]
                )
        raw.execute(
            f"INSERT INTO alerts_alert ({columns}) SELECT {columns} FROM alerts_raise_batch"
            " ON CONFLICT (facility_id, kind, key) DO NOTHING RETURNING id, facility_id, kind, key"
        )
        created = raw.fetchall()
        raw.execute("TRUNCATE alerts_raise_batch")
    rows = []
    for pk, facility_id, kind, key in created:
        d = unique[(facility_id, kind, key)]
        rows.append(
            Alert(
                pk=pk,
                facility_id=facility_id,
                kind=kind,
                key=key,
                title=d.title[:200],
                roles=d.roles,
                body=d.body,
                link=d.link[:255],
                patient_id=d.patient_id,
                severity=d.severity,
                created_at=now,
            )
        )
    return rows


def alerts_resolve(*, facility_id: int, kind: str, keep_keys: Iterable[str]) -> int:
    """Close a kind's open alerts whose condition no longer holds (not in `keep_keys`)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return (
            Alert.objects.unresolved()
            .filter(facility_id=facility_id, kind=kind)
            .exclude(key__in=list(keep_keys))
            .update(resolved_at=timezone.now())
        )


def alert_mark_read(*, user: Any, alert: Alert) -> None:
    AlertRead.objects.get_or_create(alert=alert, user=user)


def alerts_mark_all_read(*, user: Any) -> int:
    unread = Alert.objects.visible_to(user).unread_by(user).values_list("pk", flat=True)
    created = AlertRead.objects.bulk_create(
        [AlertRead(alert_id=pk, user=user) for pk in unread], ignore_conflicts=True
    )
    return len(created)


def alerts_email_staff(*, facility_id: int, alerts: list[Alert]) -> int:
    """Email the facility's staff a summary of new alerts, when PRB_ALERT_EMAILS is on."""
    from accounts.models import User

    if not settings.PRB_ALERT_EMAILS or not alerts:
        return 0
    messages = []
    for user in User.objects.filter(facility_id=facility_id, is_active=True).exclude(email=""):
        mine = [a for a in alerts if policy.role_of(user) in a.roles]
        if mine:
            body = "\n".join(f"- {a.title}" for a in mine)
            messages.append(
                ("PRB: notifikasi baru", body, settings.DEFAULT_FROM_EMAIL, [user.email])
            )
    return send_mass_mail(messages, fail_silently=True)


# ---------------------------------------------------------------- the control worklist

# A contact attempt whose outcome ends care at this puskesmas changes the case
# through the case-management service; "back at the hospital" takes the case
# off the list for its current control date (the doctor then re-refers or waits
# for the hospital's new back-referral letter, III.B.x.d).
STATUS_FOR_REASON = {
    WorklistRemoval.Reason.DIED: CaseStatus.DIED,
    WorklistRemoval.Reason.MOVED: CaseStatus.MOVED,
}


def worklist_remove(
    *, actor: Any, case: Any, reason: str, note: str = "", on: dt.date | None = None
) -> WorklistRemoval:
    """Take a case off the worklist for its current control date; a reason is required.

    "Died" and "moved" also close the case (``referrals.services.case_status_change``),
    so it leaves every list for good.
    """
    from referrals.services.cases import case_status_change

    if case.next_control_date is None:
        raise ValidationError(_("The case has no control date."))
    removal = WorklistRemoval(
        case=case,
        due_date=case.next_control_date,
        reason=reason,
        note=note.strip(),
        removed_by=actor,
    )
    with transaction.atomic():
        removal.full_clean(validate_constraints=False)
        if WorklistRemoval.objects.filter(case=case, due_date=removal.due_date).exists():
            raise ValidationError(_("The patient is already off the list for this control date."))
        if removal.reason == WorklistRemoval.Reason.OTHER and not removal.note:
            raise ValidationError({"note": [_("Explain the reason.")]})
        removal.save()
        status = STATUS_FOR_REASON.get(WorklistRemoval.Reason(reason))
        if status and case.status != status:
            case_status_change(
                actor=actor,
                case=case,
                status=status,
                note=removal.note or str(removal.get_reason_display()),
                on=on,
            )
    return removal


def alerts_resolve_for_contact(*, case: Any) -> int:
    """Close the case's open overdue-control alerts: someone has called the patient.

    The sweep's keys are ``case:<pk>:due:<date>`` and ``case:<pk>:lost:<date>``, raised
    for the puskesmas and the patient's Pustu; a resolved key is not raised again for the
    same control date, so the notification centre stops showing it.
    """
    facility_ids = [case.facility_id, case.patient.pustu_id]
    return (
        Alert.objects.unresolved()
        .filter(
            facility_id__in=[pk for pk in facility_ids if pk],
            kind__in=[Alert.Kind.CONTROL_OVERDUE, Alert.Kind.LOST_TO_FOLLOW_UP],
            key__startswith=f"case:{case.pk}:",
        )
        .update(resolved_at=timezone.now())
    )


def worklist_contact_record(
    *,
    actor: Any,
    case: Any,
    channel: str,
    outcome: str,
    agreed_date: dt.date | None = None,
    reason: str = "",
    note: str = "",
) -> Any:
    """Record a contact attempt from the worklist, with its consequence for the case.

    The Simple.org outcomes: "agreed to visit" keeps the patient off the list for 7 days
    (an agreed date also moves the control date, in the referrals service), "remind
    later" for 30 (``alerts.selectors.HIDDEN_DAYS``), "removed" takes the case off the
    list for its control date with a removal reason ("died" and "moved" also close the
    case). Every contact closes the case's open overdue-control alert.
    """
    from referrals.models import ContactAttempt
    from referrals.services.visits import contact_attempt_record

    removed = outcome == ContactAttempt.Outcome.REMOVED
    if removed and reason not in WorklistRemoval.Reason.values:
        raise ValidationError({"reason": [_("Choose the reason for removal.")]})
    with transaction.atomic():
        attempt = contact_attempt_record(
            actor=actor,
            case=case,
            channel=channel,
            outcome=outcome,
            agreed_date=agreed_date,
            note=note,
        )
        if removed:
            worklist_remove(actor=actor, case=case, reason=reason, note=note)
        alerts_resolve_for_contact(case=case)
    return attempt


def worklist_export_audit(*, user: Any, patient_ids: Iterable[int], path: str) -> int:
    """An export of the worklist is a read of every patient on it (STYLE.md 7)."""
    from patients.models import PatientAccessLog

    rows = [
        PatientAccessLog(
            patient_id=pk,
            user=user,
            facility_id=user.facility_id,
            action=PatientAccessLog.Action.EXPORT,
            path=path[:255],
        )
        for pk in dict.fromkeys(patient_ids)
    ]
    return len(PatientAccessLog.objects.bulk_create(rows, batch_size=1000))
