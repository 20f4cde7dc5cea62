"""Thin Celery tasks of the BPJS integration (STYLE.md 8): ids in, a service called."""

from celery import shared_task

from bpjs import services


@shared_task(acks_late=True)
def pcare_visit_deliver(outbox_id: int) -> None:
    """Send one control visit to PCare (the outbox row is claimed first: idempotent)."""
    services.pcare_visit_deliver(outbox_id=outbox_id)


@shared_task(acks_late=True)
def pcare_visits_collect() -> int:
    """Beat job: queue the control visits PCare has not received."""
    return services.pcare_visits_collect()
