"""Reads for the SATUSEHAT pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from accounts.policy import Capability
from interop.models import OutboxState
from patients.reads import AccessHelper
from satusehat.models import SatusehatOutbox, SatusehatSettings

# The access helper for outbox rows: 403 without the outbox, 404 outside the scope,
# then 403 without ``write`` when given.
outbox_row_for_user = AccessHelper(
    SatusehatOutbox, read=Capability.SEE_SATUSEHAT_OUTBOX, patient=None
)


def outbox_list(*, user: Any, state: str = "") -> QuerySet[SatusehatOutbox]:
    rows = SatusehatOutbox.objects.visible_to(user).select_related(
        "patient", "visit", "referral", "card_line", "facility"
    )
    if state in OutboxState.values:
        rows = rows.filter(state=state)
    return rows.order_by("-created_at", "-id")


def outbox_counts(*, user: Any) -> dict[str, int]:
    counts = {state: 0 for state in OutboxState.values}
    for row in (
        SatusehatOutbox.objects.visible_to(user).values("state").annotate(n=Count("id")).order_by()
    ):
        counts[row["state"]] = row["n"]
    return counts


def facility_settings(user: Any) -> SatusehatSettings | None:
    facility = getattr(user, "facility", None)
    if facility is None:
        return None
    return SatusehatSettings.objects.filter(facility_id=facility.home_puskesmas_id).first()


def visit_sync_state(visit: Any) -> SatusehatOutbox | None:
    return SatusehatOutbox.objects.filter(visit=visit, kind=SatusehatOutbox.Kind.VISIT).first()
