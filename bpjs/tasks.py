"""Thin Celery tasks of the BPJS integration (STYLE.md 8): ids in, a service called."""

from celery import shared_task

from bpjs import services
from interop.errors import InteropError


@shared_task(acks_late=True)
def pcare_visit_deliver(outbox_id: int) -> None:
    """Send one control visit to PCare (the outbox row is claimed first: idempotent)."""
    services.pcare_visit_deliver(outbox_id=outbox_id)


@shared_task(acks_late=True)
def pcare_visits_collect() -> int:
    """Beat job: queue the control visits PCare has not received."""
    return services.pcare_visits_collect()


@shared_task(acks_late=True)
def apotek_claim_deliver(outbox_id: int) -> None:
    """Send one dispensed prescription to Apotek Online (claimed first: idempotent)."""
    services.apotek_claim_deliver(outbox_id=outbox_id)


@shared_task(acks_late=True)
def reference_data_load() -> dict[str, object]:
    """Monthly beat job: BPJS's PRB medicine and diagnosis lists (the mapping is kept).

    BPJS unreachable or not configured is reported, not raised: the lists stay as they were
    and next month's run tries again.
    """
    try:
        return dict(services.reference_data_load())
    except InteropError as exc:
        return {"error": exc.message}
