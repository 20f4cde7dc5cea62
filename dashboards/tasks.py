"""Thin, idempotent Celery tasks over dashboards.services (beat schedule in prb/settings.py)."""

from celery import shared_task

from common.tasks import RETRY_TRANSIENT
from dashboards import services


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def facts_refresh_dirty() -> int:
    """Recompute the months the triggers queued; a second run finds the queue empty."""
    return services.facts_refresh_dirty()


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def facts_refresh_current() -> int:
    """Roll the current month on to today (and close last month on its last day)."""
    return services.facts_refresh_current()
