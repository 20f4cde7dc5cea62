"""Outbox processing: claim, send, record the outcome (the ``interop`` docstring tells how)."""

import datetime as dt
import logging
from collections.abc import Callable
from typing import TypeVar

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from interop.errors import InteropError, is_transient
from interop.models import OutboxItem, OutboxState

logger = logging.getLogger("prb.interop")

T = TypeVar("T", bound=OutboxItem)

OUTBOX_BACKOFF_BASE = dt.timedelta(minutes=1)
OUTBOX_BACKOFF_MAX = dt.timedelta(hours=6)
OUTBOX_MAX_ATTEMPTS = 15
# How long a claimed row stays with its worker before the beat job may hand it to another.
OUTBOX_LEASE = dt.timedelta(minutes=10)


def outbox_backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed try: 1, 2, 4 … minutes, at most 6 hours."""
    return min(OUTBOX_BACKOFF_BASE * (2 ** max(attempts - 1, 0)), OUTBOX_BACKOFF_MAX)


def outbox_claim(row_type: type[T], pk: int) -> T | None:
    """Take the row for this worker if it is waiting and due; ``None`` if someone else has it."""
    now = timezone.now()
    claimed = row_type._default_manager.filter(  # type: ignore[attr-defined]
        pk=pk, state=OutboxState.WAITING, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=now + OUTBOX_LEASE)
    if not claimed:
        return None
    return row_type._default_manager.get(pk=pk)  # type: ignore[attr-defined,no-any-return]


def outbox_deliver(row_type: type[T], pk: int, send: Callable[[T], str]) -> T | None:
    """Claim the row, call ``send(row)`` (returns the remote id), record what happened.

    ``send`` must itself be safe to repeat (store each remote number as soon as it is
    known and skip the steps already done): a worker may die after the remote side
    accepted and before the outcome is recorded.
    """
    row = outbox_claim(row_type, pk)
    if row is None:
        return None
    try:
        remote_id = send(row)
    except Exception as exc:
        outbox_record_failure(row=row, exc=exc)
    else:
        row.state = OutboxState.SENT
        row.sent_at = row.next_attempt_at = timezone.now()  # the lease ends
        row.remote_id = remote_id or row.remote_id
        row.last_error = ""
        row.save(update_fields=["state", "sent_at", "next_attempt_at", "remote_id", "last_error"])
    return row


def outbox_record_failure(*, row: OutboxItem, exc: BaseException) -> None:
    if is_transient(exc) and row.attempts < OUTBOX_MAX_ATTEMPTS:
        row.next_attempt_at = timezone.now() + outbox_backoff(row.attempts)
    else:
        row.state = OutboxState.FAILED
        row.next_attempt_at = timezone.now()  # the lease ends: a person may resend
    if isinstance(exc, InteropError):
        row.last_error = exc.message
    else:
        # A bug, not the remote side: people get a plain sentence, the log the traceback.
        logger.exception("outbox %s %s failed", row._meta.label, row.pk)
        row.last_error = _("Internal error while sending; the technical team has been told.")
    row.save(update_fields=["state", "next_attempt_at", "last_error"])


def outbox_retry(*, row: OutboxItem) -> bool:
    """Put a failed or waiting row at the front of the queue and enqueue it.

    Refused (False) for a sent row and for a row a worker is sending right now (claimed
    and its lease not over), so a resend never runs beside the send in flight.
    """
    now = timezone.now()
    with transaction.atomic():
        updated = (
            type(row)
            ._default_manager.filter(pk=row.pk)
            .exclude(state=OutboxState.SENT)
            .exclude(next_attempt_at=F("last_attempt_at") + OUTBOX_LEASE, next_attempt_at__gt=now)
            .update(state=OutboxState.WAITING, attempts=0, next_attempt_at=now)
        )
        if updated:
            outbox_enqueue(type(row), row.pk)
    row.refresh_from_db()
    return bool(updated)


def outbox_enqueue(row_type: type[OutboxItem], pk: int) -> None:
    """Run the row's task once the current transaction commits."""
    # The dotted path imports the task's module, so the web process needs no autodiscovery.
    import_string(row_type.deliver_task).delay_on_commit(pk)


def outbox_due_rows() -> list[tuple[type[OutboxItem], int]]:
    """(outbox type, row id) of every waiting row whose time has come, over all outboxes."""
    now = timezone.now()
    due: list[tuple[type[OutboxItem], int]] = []
    for model in apps.get_models():
        if issubclass(model, OutboxItem) and model.deliver_task:
            ids = model._default_manager.filter(
                state=OutboxState.WAITING, next_attempt_at__lte=now
            ).values_list("pk", flat=True)
            due.extend((model, pk) for pk in ids[:500])
    return due
