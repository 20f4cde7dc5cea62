from celery import shared_task

from interop.services import outbox_due_rows, outbox_enqueue


@shared_task(acks_late=True)
def outbox_dispatch_due() -> int:
    """Beat job: enqueue every outbox row that is due (new, backed off, or orphaned)."""
    rows = outbox_due_rows()
    for model, pk in rows:
        outbox_enqueue(model, pk)
    return len(rows)
