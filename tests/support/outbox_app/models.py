"""A concrete outbox used only by the tests of the shared outbox (tests/interop)."""

from typing import Any

from django.db import models

from interop.fields import EncryptedTextField
from interop.models import OutboxItem

# What the fake "send" does per row, set by each test: a callable or an exception.
BEHAVIOUR: dict[str, Any] = {}


class ExampleOutbox(OutboxItem):
    deliver_task = "tests.support.outbox_app.tasks.example_deliver"

    payload = models.CharField(max_length=50)

    def __str__(self) -> str:
        return self.payload


class ExampleSecretHolder(models.Model):
    name = models.CharField(max_length=50)
    secret = EncryptedTextField()

    def __str__(self) -> str:
        return self.name
