from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import timezone

from alerts.models import Alert, AlertRead

CLINICAL_ROLES = ["dokter", "perawat", "admin"]
PUSTU_ROLES = ["pustu"]
PHARMACY_ROLES = ["farmasi", "admin"]


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


def alerts_raise(*, drafts: Iterable[AlertDraft]) -> list[Alert]:
    """Create the alerts that do not exist yet and return them.

    Idempotent: existing keys are skipped, and the unique (facility, kind, key)
    constraint turns a concurrent or redelivered run (a worker killed mid-sweep)
    into no-ops rather than duplicates.
    """
    drafts = list({(d.facility_id, d.kind, d.key[:200]): d for d in drafts}.values())
    if not drafts:
        return []
    existing: set[tuple[int, str, str]] = set()
    by_scope: dict[tuple[int, str], list[str]] = {}
    for d in drafts:
        by_scope.setdefault((d.facility_id, d.kind), []).append(d.key[:200])
    for (facility_id, kind), keys in by_scope.items():
        existing.update(
            (facility_id, kind, key)
            for key in Alert.objects.filter(
                facility_id=facility_id, kind=kind, key__in=keys
            ).values_list("key", flat=True)
        )
    rows = [
        Alert(
            facility_id=d.facility_id,
            kind=d.kind,
            key=d.key[:200],
            title=d.title[:200],
            roles=d.roles,
            body=d.body,
            link=d.link,
            patient_id=d.patient_id,
            severity=d.severity,
        )
        for d in drafts
        if (d.facility_id, d.kind, d.key[:200]) not in existing
    ]
    Alert.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return rows


def alerts_resolve(*, facility_id: int, kind: str, keep_keys: Iterable[str]) -> int:
    """Close a kind's open alerts whose condition no longer holds (not in `keep_keys`)."""
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
        mine = [a for a in alerts if user.role in a.roles]
        if mine:
            body = "\n".join(f"- {a.title}" for a in mine)
            messages.append(
                ("PRB: notifikasi baru", body, settings.DEFAULT_FROM_EMAIL, [user.email])
            )
    return send_mass_mail(messages, fail_silently=True)
