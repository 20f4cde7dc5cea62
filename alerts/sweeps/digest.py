"""The daily digest of a puskesmas's PRB work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from alerts import selectors
from alerts.models import Alert, Reminder
from alerts.services import (
    PUSTU_ROLES,
    AlertDraft,
    alerts_email_staff,
    alerts_raise,
)
from alerts.sweeps.raiser import SweepResult
from facilities.models import Facility
from referrals.models import IN_CARE_STATUSES, PrbCase

ALL_STAFF_ROLES = ["dokter", "perawat", "farmasi", "admin"]


# ---------------------------------------------------------------- weekly digest


def _digest_lines(cases: Any, *, as_of: dt.date) -> list[str]:
    counts = selectors.on_worklist(cases, as_of=as_of).aggregate(
        **{
            b.code: Count("pk", filter=selectors.bucket_filter(b.code, as_of))
            for b in selectors.BUCKETS
        }
    )
    upcoming = cases.filter(
        status__in=IN_CARE_STATUSES,
        next_control_date__gt=as_of,
        next_control_date__lte=as_of + dt.timedelta(days=7),
    ).count()
    lines = [_("Controls due in the next 7 days: %(n)s") % {"n": upcoming}]
    lines += [f"{bucket.label}: {counts[bucket.code]}" for bucket in selectors.BUCKETS]
    return lines


def _digest(
    facility_id: int, roles: list[str], *, key: str, title: str, lines: list[str]
) -> AlertDraft:
    """The week's digest alert of one facility (the puskesmas or one of its Pustu)."""
    return AlertDraft(
        facility_id=facility_id,
        kind=Alert.Kind.WEEKLY_DIGEST,
        key=key,
        title=title,
        roles=roles,
        body="\n".join(lines),
        link=reverse("alerts:worklist"),
        severity=Alert.Severity.INFO,
    )


def digest_raise(*, facility_id: int, as_of: dt.date) -> SweepResult:
    """The weekly digest of a puskesmas and of each of its Pustu (one per ISO week)."""
    result = SweepResult()
    year, week, _weekday = as_of.isocalendar()
    key = f"digest:{year}-W{week:02d}"
    drafts = []
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Weekly summary, week %(week)s of %(year)s") % {"week": week, "year": year}
        cases = PrbCase.objects.filter(facility_id=facility_id)
        lines = _digest_lines(cases, as_of=as_of)
        open_alerts = (
            Alert.objects.unresolved()
            .filter(facility_id=facility_id)
            .exclude(kind=Alert.Kind.WEEKLY_DIGEST)
            .values("kind")
            .annotate(n=Count("pk"))
            .order_by("kind")
        )
        kinds = dict(Alert.Kind.choices)
        lines += [
            _("Open notifications — %(kind)s: %(n)s") % {"kind": kinds[row["kind"]], "n": row["n"]}
            for row in open_alerts
        ]
        sent = Reminder.objects.filter(
            status=Reminder.Status.SENT,
            sent_at__date__gt=as_of - dt.timedelta(days=7),
            patient__in=cases.values("patient_id"),
        ).count()
        lines.append(_("Patient reminders sent in the last 7 days: %(n)s") % {"n": sent})
        drafts.append(_digest(facility_id, ALL_STAFF_ROLES, key=key, title=title, lines=lines))
        for pustu_id in Facility.objects.filter(
            parent_id=facility_id, kind=Facility.Kind.PUSTU
        ).values_list("pk", flat=True):
            pustu_lines = _digest_lines(cases.filter(patient__pustu_id=pustu_id), as_of=as_of)
            drafts.append(_digest(pustu_id, PUSTU_ROLES, key=key, title=title, lines=pustu_lines))
        created = alerts_raise(drafts=drafts)
    result.raised = len(created)
    for alert in created:
        alerts_email_staff(facility_id=alert.facility_id, alerts=[alert])
    return result
