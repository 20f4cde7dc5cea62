from typing import Any

from celery import shared_task

from interop.services import outbox_deliver
from tests.support.outbox_app.models import BEHAVIOUR, ExampleOutbox

SENT: list[str] = []


def _send(row: ExampleOutbox) -> str:
    behaviour: Any = BEHAVIOUR.get(row.payload)
    if isinstance(behaviour, BaseException):
        raise behaviour
    SENT.append(row.payload)
    return f"remote-{row.payload}"


@shared_task
def example_deliver(outbox_id: int) -> None:
    outbox_deliver(ExampleOutbox, outbox_id, _send)
