from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxItem(models.Model):
    """One thing to send to a national system (see the ``interop`` package docstring).

    Concrete outboxes add what they send (a foreign key to the PRB record) and set
    ``deliver_task`` to the dotted name of the Celery task that takes a row id. The row's
    facility is whose credentials send it (STYLE.md 14: the database says who).
    """

    deliver_task: ClassVar[str] = ""

    # By name: interop imports nothing of the project.
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("facility"),
    )

    state = models.CharField(
        _("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.WAITING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    remote_id = models.CharField(_("remote id"), max_length=100, blank=True)
    # One row per thing to send: a second enqueue of the same thing finds the first row.
    idempotency_key = models.CharField(_("idempotency key"), max_length=150, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        # Concrete outboxes add ``outbox_due_index``: the beat job's query.
        abstract = True

    @property
    def is_waiting(self) -> bool:
        return self.state == OutboxState.WAITING

    @property
    def is_sent(self) -> bool:
        return self.state == OutboxState.SENT

    @property
    def is_failed(self) -> bool:
        return self.state == OutboxState.FAILED


def outbox_due_index(name: str) -> models.Index:
    """The index of the beat job's query (waiting rows that are due), one per concrete outbox."""
    return models.Index(fields=["state", "next_attempt_at"], name=name)
