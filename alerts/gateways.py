"""Where patient reminders go: a pluggable gateway chosen by the PRB_REMINDER_GATEWAY setting.

The default logs the message (no SMS is sent). An SMS or WhatsApp provider
plugs in as a class with the same `send` method.
"""

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("prb.reminders")


@dataclass(frozen=True)
class Delivery:
    ok: bool
    detail: str = ""


class ReminderGateway(Protocol):
    channel: str

    def send(self, *, phone: str, message: str) -> Delivery: ...


class LogGateway:
    channel = "log"

    def send(self, *, phone: str, message: str) -> Delivery:
        logger.info("reminder to %s: %s", phone, message)
        return Delivery(ok=True, detail="logged")


def reminder_gateway() -> ReminderGateway:
    return import_string(settings.PRB_REMINDER_GATEWAY)()  # type: ignore[no-any-return]
