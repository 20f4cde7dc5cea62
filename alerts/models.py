from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts.audit import tracked
from common.models import foreign_key, staff_fk
from facilities.models import Facility
from patients.models import Patient


class AlertQuerySet(models.QuerySet["Alert"]):
    def visible_to(self, user: object) -> "AlertQuerySet":
        """Alerts of the user's own facility addressed to the user's role."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if getattr(user, "is_superuser", False):
            return self.all()
        if not user.is_facility_staff:  # type: ignore[attr-defined]
            return self.none()
        return self.filter(
            facility_id=user.facility_id,  # type: ignore[attr-defined]
            roles__contains=[policy.role_of(user)],
        )

    def unresolved(self) -> "AlertQuerySet":
        return self.filter(resolved_at__isnull=True)

    def with_read_state(self, user: Any) -> "AlertQuerySet":
        reads = AlertRead.objects.filter(alert=OuterRef("pk"), user=user)
        return self.annotate(is_read=Exists(reads))

    def unread_by(self, user: Any) -> "AlertQuerySet":
        return self.exclude(Exists(AlertRead.objects.filter(alert=OuterRef("pk"), user=user)))


class Alert(models.Model):
    """Something the team must act on; created by the daily sweeps, once per `key`."""

    class Kind(models.TextChoices):
        CONTROL_OVERDUE = "control_overdue", _("Control visit overdue")
        LOST_TO_FOLLOW_UP = "lost_to_follow_up", _("Lost to follow-up")
        RE_REFERRAL = "re_referral", _("Re-referral criterion triggered")
        STOCK_LOW = "stock_low", _("Stock below minimum")
        LOT_EXPIRING = "lot_expiring", _("Lot expiring within 90 days")
        LOT_EXPIRED = "lot_expired", _("Lot expired")
        STOCK_OUT_FOR_DUE_PATIENT = "stock_out_due", _("Medicine out of stock for a patient due")
        SLE_HOSPITAL_REVIEW = "sle_review", _("SLE hospital review due")
        WEEKLY_DIGEST = "weekly_digest", _("Weekly digest")
        LEDGER_MISMATCH = "ledger_mismatch", _("Stock card disagrees with the stock balance")

    class Severity(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")
        URGENT = "urgent", _("Urgent")

    facility = foreign_key(Facility, "alerts", on_delete=models.CASCADE)
    roles = ArrayField(models.CharField(max_length=10), verbose_name=_("for roles"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    # What makes the alert unique: a sweep run twice finds the same key and adds nothing.
    key = models.CharField(max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    link = models.CharField(_("link"), max_length=255, blank=True)
    patient = foreign_key(Patient, "alerts", optional=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "kind", "key"], name="alert_once_per_key")
        ]
        indexes = [
            models.Index(fields=["facility", "-created_at"]),
            models.Index(
                fields=["facility", "kind"],
                name="alert_open_idx",
                condition=Q(resolved_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AlertRead(models.Model):
    alert = foreign_key(Alert, "reads", on_delete=models.CASCADE)
    user = staff_fk(on_delete=models.CASCADE)
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "user"], name="alert_read_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.alert}"


class Reminder(models.Model):
    """A control reminder to a consenting patient: at most one per due date.

    The row is claimed (``pending``) before the gateway is called, so a run
    interrupted between the claim and the send never sends a second message:
    an interrupted reminder stays ``pending`` rather than risk a duplicate.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    patient = foreign_key(Patient, "reminders", on_delete=models.CASCADE)
    due_date = models.DateField(_("control date"))
    channel = models.CharField(_("channel"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    message = models.TextField(_("message"))
    detail = models.CharField(max_length=255, blank=True)
    # The run that claimed the row: it alone calls the gateway for it.
    claim = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "due_date"], name="reminder_once_per_due_date"
            )
        ]
        indexes = [
            models.Index(
                fields=["claim"], name="reminder_pending_claim_idx", condition=Q(status="pending")
            ),
            models.Index(
                fields=["due_date"], name="reminder_failed_idx", condition=Q(status="failed")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} · {self.due_date}"


class RemovalReason(models.TextChoices):
    DIED = "died", _("Died")
    MOVED = "moved", _("Moved away")
    AT_HOSPITAL = "at_hospital", _("Being treated at the hospital")
    ELSEWHERE = "elsewhere", _("Controls at another facility")
    REFUSED = "refused", _("Refuses further control")
    OTHER = "other", _("Other reason")


@tracked()
class WorklistRemoval(models.Model):
    """A case taken off the control worklist, with the reason, for one due date.

    The removal holds while the case's next control date is the one it was
    removed for: a new visit or an agreed date gives a new due date, and the
    case comes back on the list if that one is missed too.
    """

    Reason = RemovalReason

    case = foreign_key("referrals.PrbCase", "worklist_removals", on_delete=models.CASCADE)
    due_date = models.DateField(_("control date"))
    reason = models.CharField(_("reason"), max_length=12, choices=RemovalReason.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    removed_by = staff_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("worklist removal")
        verbose_name_plural = _("worklist removals")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "due_date"], name="worklist_removal_once_per_due_date"
            ),
            models.CheckConstraint(
                name="worklist_removal_other_has_note",
                condition=~Q(reason="other") | ~Q(note=""),
                violation_error_message=_("Explain the reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.due_date} · {self.reason}"
