from celery import shared_task

from interop.services import outbox_deliver
from satusehat.models import SatusehatOutbox
from satusehat.sync import outbox_send


@shared_task(acks_late=True)
def satusehat_outbox_deliver(outbox_id: int) -> None:
    """Send one outbox row (idempotent: the row is claimed first, ids are kept per resource)."""
    outbox_deliver(SatusehatOutbox, outbox_id, outbox_send)
