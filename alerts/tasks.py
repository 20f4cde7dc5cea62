"""Celery tasks of the daily and weekly sweeps: thin, idempotent, one facility per task.

``sweep_all`` (the beat job) fans out one ``sweep_facility`` task per
puskesmas; each runs one service of ``alerts.sweeps`` and is independent of the
others: a facility whose batch fails on a transient error (database, broker,
network: ``common.tasks``) is retried with backoff on its own and never stops
the rest; a programming error fails at once. Every task is ``acks_late`` with
reject-on-worker-lost (settings), so a worker killed mid-task gets its message
redelivered; running a sweep again is harmless (alert keys and reminder uniqueness).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import shared_task
from django.utils import timezone

from accounts.audit import audit_context
from alerts import ledger
from alerts.sweeps import registry
from common.tasks import RETRY_TRANSIENT

logger = logging.getLogger("prb.alerts")

TASK_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": 10 * 60,
    "time_limit": 11 * 60,
}


@shared_task(bind=True, **TASK_OPTIONS)
def sweep_all(self: Any, sweep: str, as_of: str | None = None) -> dict[str, Any]:
    """Queue ``sweep`` for every facility it concerns, on the queue this task came from."""
    if sweep not in registry.SWEEPS:
        raise ValueError(f"unknown sweep {sweep!r}")
    day = as_of or timezone.localdate().isoformat()
    queue = (self.request.delivery_info or {}).get("routing_key")
    queued, failed = 0, []
    for facility_id in registry.sweep_facility_ids(sweep):
        try:
            sweep_facility.apply_async(
                args=[facility_id, sweep, day], **({"queue": queue} if queue else {})
            )
        except Exception:
            # Without a broker the task runs here (eagerly): one facility's failure,
            # after its retries, is logged and the others still run.
            logger.exception("sweep %s failed for facility %s", sweep, facility_id)
            failed.append(facility_id)
        else:
            queued += 1
    return {"sweep": sweep, "as_of": day, "facilities": queued, "failed": failed}


@shared_task(bind=True, **{**RETRY_TRANSIENT, "max_retries": 4}, **TASK_OPTIONS)
def sweep_facility(self: Any, facility_id: int, sweep: str, as_of: str) -> dict[str, int]:
    """Run one sweep for one facility on the day the fan-out chose (a redelivery keeps it)."""
    with audit_context(user=None):
        result = registry.SWEEPS[sweep](facility_id=facility_id, as_of=dt.date.fromisoformat(as_of))
    return result.as_dict()


@shared_task(**RETRY_TRANSIENT, **TASK_OPTIONS)
def ledger_reconcile() -> dict[str, int]:
    """Nightly: recompute every balance from the stock card; alert on any difference."""
    return ledger.alerts_reconcile_ledger().as_dict()
