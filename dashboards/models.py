"""Pre-aggregated monthly facts of the district dashboards and the queue of months to redo.

``MonthlyFact`` holds one row per puskesmas × programme × month with the counts every
indicator is a ratio of (dashboards.indicators); the pages only read this table.
``DirtyMonth`` is filled by the database triggers of migrations 0002 and 0003 whenever a
case, visit, letter, re-referral, readiness checklist, stock-card line or a lot's expiry
date or medicine changes: the earliest month whose figures may have changed, per
puskesmas and programme. The Celery task
``facts_refresh_dirty`` recomputes from that month to the current one and empties the queue.
"""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility
from patients.programs import Program


class MonthlyFact(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+")
    program = models.CharField(_("programme"), max_length=20, choices=Program.choices)
    month = models.DateField(_("month"))  # first day of the month
    as_of = models.DateField(_("reference date"))  # month end, or the day computed in the month
    active = models.PositiveIntegerField(default=0)
    new_back_referrals = models.PositiveIntegerField(default=0)
    new_enrolments = models.PositiveIntegerField(default=0)
    retention_base = models.PositiveIntegerField(default=0)
    retained = models.PositiveIntegerField(default=0)
    ltfu = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    controlled = models.PositiveIntegerField(default=0)
    rereferrals = models.PositiveIntegerField(default=0)
    returns = models.PositiveIntegerField(default=0)
    tracer_total = models.PositiveIntegerField(default=0)
    tracer_in_stock = models.PositiveIntegerField(default=0)
    stockout_days = models.PositiveIntegerField(default=0)  # medicine-days
    expiring_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    readiness_items = models.PositiveIntegerField(default=0)
    readiness_available = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monthly dashboard fact")
        verbose_name_plural = _("monthly dashboard facts")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "program", "month"], name="monthly_fact_unique"
            ),
            models.CheckConstraint(
                name="monthly_fact_retained_le_base",
                condition=models.Q(retained__lte=models.F("retention_base")),
            ),
        ]
        indexes = [models.Index(fields=["month", "program", "facility"])]

    def __str__(self) -> str:
        return f"{self.facility_id} · {self.program} · {self.month:%Y-%m}"


class DirtyMonth(models.Model):
    """The earliest month to recompute for a puskesmas and programme (filled by triggers)."""

    facility_id = models.BigIntegerField()
    program = models.CharField(max_length=20)
    month = models.DateField()
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["facility_id", "program", "month"], name="dirty_month_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} · {self.program} · {self.month:%Y-%m}"
