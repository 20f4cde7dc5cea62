"""The small call PRB's services make when something SATUSEHAT must know happens.

``satusehat_outbox_queue`` writes an outbox row in the caller's transaction (so the
event and its row commit together) and asks Celery to send it once the transaction
commits. It never raises because of SATUSEHAT: a facility without SATUSEHAT queues
nothing, and a broker that is down only delays the row until the beat job
(``interop.tasks.outbox_dispatch_due``) picks it up — clinical work is never blocked.
This module imports no feature app, so pharmacy and referrals may call it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.db import transaction

from interop.models import OutboxState
from interop.services import outbox_enqueue
from satusehat.models import SatusehatOutbox, SatusehatSettings

logger = logging.getLogger("prb.satusehat")


def _enqueue(pk: int) -> None:
    try:
        outbox_enqueue(SatusehatOutbox, pk)
    except Exception:  # the broker is down: the beat job sends the row later
        logger.warning("SATUSEHAT outbox row %s not enqueued; the beat job will send it", pk)


def satusehat_outbox_queue(
    *,
    kind: str,
    facility_id: int,
    patient_id: int,
    case_id: int | None = None,
    visit_id: int | None = None,
    referral_id: int | None = None,
    card_line_id: int | None = None,
) -> SatusehatOutbox | None:
    """Queue one PRB event for SATUSEHAT; ``None`` when the facility does not send."""
    if not SatusehatSettings.objects.filter(facility_id=facility_id, is_enabled=True).exists():
        return None
    if kind == SatusehatOutbox.Kind.EPISODE:
        waiting = SatusehatOutbox.objects.filter(
            kind=kind, case_id=case_id, state=OutboxState.WAITING, attempts=0
        ).first()
        if waiting is not None:  # not tried yet: it will send the episode as it is then
            return waiting
        key = f"episode:{case_id}:{uuid.uuid4().hex[:12]}"
    else:
        key = f"{kind}:{visit_id or referral_id or card_line_id}"
    row, created = SatusehatOutbox.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "kind": kind,
            "facility_id": facility_id,
            "patient_id": patient_id,
            "case_id": case_id,
            "visit_id": visit_id,
            "referral_id": referral_id,
            "card_line_id": card_line_id,
        },
    )
    if created:
        transaction.on_commit(partial(_enqueue, row.pk), robust=True)
    return row


def satusehat_dispenses_queue(
    *, facility_id: int, patient_id: int, card_line_ids: Sequence[int]
) -> list[SatusehatOutbox]:
    """Queue the dispense of each new card line: one check and one insert for them all.

    Dispensing is the pharmacy's hot path; its query count must not grow with the lines.
    The card lines are new in the caller's transaction, so none is queued yet.
    """
    if not card_line_ids:
        return []
    if not SatusehatSettings.objects.filter(facility_id=facility_id, is_enabled=True).exists():
        return []
    rows = SatusehatOutbox.objects.bulk_create(
        SatusehatOutbox(
            kind=SatusehatOutbox.Kind.DISPENSE,
            idempotency_key=f"{SatusehatOutbox.Kind.DISPENSE.value}:{pk}",
            facility_id=facility_id,
            patient_id=patient_id,
            card_line_id=pk,
        )
        for pk in card_line_ids
    )
    for row in rows:
        transaction.on_commit(partial(_enqueue, row.pk), robust=True)
    return rows


def satusehat_case_event_queue(
    case: Any, *, kind: str, visit_id: int | None = None, referral_id: int | None = None
) -> SatusehatOutbox | None:
    """Queue an event of a PRB case (a visit, a re-referral, the episode): its facility and
    patient are the case's."""
    return satusehat_outbox_queue(
        kind=kind,
        facility_id=case.facility_id,
        patient_id=case.patient_id,
        case_id=case.pk,
        visit_id=visit_id,
        referral_id=referral_id,
    )


def satusehat_episode_queue(case: Any) -> SatusehatOutbox | None:
    """The programme's EpisodeOfCare opens, pauses or closes with the PRB case."""
    return satusehat_case_event_queue(case, kind=SatusehatOutbox.Kind.EPISODE)
