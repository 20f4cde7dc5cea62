"""The sweeps by name, and the puskesmas each one visits."""

from __future__ import annotations

from django.db.models import Q

from alerts.sweeps.digest import digest_raise
from alerts.sweeps.overdue import alerts_sweep_overdue
from alerts.sweeps.reminders import reminders_send
from alerts.sweeps.rereferral import alerts_sweep_rereferral
from alerts.sweeps.sle_review import alerts_sweep_sle_review
from alerts.sweeps.stock import alerts_sweep_stock
from referrals.models import IN_CARE_STATUSES, PrbCase

# ---------------------------------------------------------------- which facilities


SWEEPS = {
    "overdue": alerts_sweep_overdue,
    "rereferral": alerts_sweep_rereferral,
    "stock": alerts_sweep_stock,
    "sle_review": alerts_sweep_sle_review,
    "reminders": reminders_send,
    "digest": digest_raise,
}


def sweep_facility_ids(sweep: str) -> list[int]:
    """The puskesmas a sweep visits: those with cases in care (and, for stock, a PRB store)."""
    from pharmacy.models import Store

    ids = set(
        PrbCase.objects.filter(status__in=IN_CARE_STATUSES)
        .values_list("facility_id", flat=True)
        .distinct()
        .order_by()
    )
    if sweep in ("stock", "digest"):
        ids |= set(
            Store.objects.filter(kind__in=Store.DISPENSING, is_active=True)
            .values_list("facility_id", flat=True)
            .distinct()
            .order_by()
        )
    if sweep == "digest":
        ids |= set(
            PrbCase.objects.filter(~Q(status__in=IN_CARE_STATUSES))
            .values_list("facility_id", flat=True)
            .distinct()
            .order_by()
        )
    return sorted(ids)
