from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.audit import tracked
from facilities.models import Facility
from patients.models import Patient
from patients.programs import Program


class MedicineQuerySet(models.QuerySet["Medicine"]):
    def active(self) -> "MedicineQuerySet":
        return self.filter(is_active=True)


@tracked()
class Medicine(models.Model):
    """An entry of the PRB formulary (Fornas PRB list)."""

    class Ven(models.TextChoices):
        VITAL = "V", _("Vital")
        ESSENTIAL = "E", _("Essential")
        NON_ESSENTIAL = "N", _("Non-essential")

    class RuleGroup(models.TextChoices):
        """Medicines the KMK restricts at primary care."""

        NONE = "", _("No special rule")
        ANTI_SEIZURE = (
            "anti_seizure",
            _("Anti-seizure medicine (III.B.6: no change without the DPJP)"),
        )
        BASAL_INSULIN = "basal_insulin", _("Basal insulin (II.B.1.a: at most 20 IU/day at FKTP)")

    name = models.CharField(_("generic name"), max_length=120)
    strength = models.CharField(_("strength"), max_length=60, blank=True)
    form = models.CharField(_("dosage form"), max_length=60)
    unit = models.CharField(_("unit"), max_length=30, default="tablet")
    bpjs_code = models.CharField(_("BPJS PRB drug code"), max_length=30, blank=True)
    kfa_code = models.CharField(_("KFA code"), max_length=30, blank=True)
    max_quantity_per_month = models.PositiveIntegerField(
        _("maximum quantity per month"), null=True, blank=True
    )
    price = models.DecimalField(_("unit price (Rp)"), max_digits=12, decimal_places=2, default=0)
    ven = models.CharField(_("VEN class"), max_length=1, choices=Ven.choices, default=Ven.ESSENTIAL)
    programs = ArrayField(
        models.CharField(max_length=20, choices=Program.choices),
        default=list,
        blank=True,
        verbose_name=_("PRB programmes"),
    )
    rule_group = models.CharField(
        _("KMK rule"), max_length=20, choices=RuleGroup.choices, default="", blank=True
    )
    is_tracer = models.BooleanField(
        _("tracer medicine"),
        default=False,
        help_text=_("Counted in the district's medicine availability indicator."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = MedicineQuerySet.as_manager()

    class Meta:
        ordering = ["name", "strength"]
        verbose_name = _("PRB medicine")
        verbose_name_plural = _("PRB formulary")
        constraints = [
            models.UniqueConstraint(fields=["name", "strength", "form"], name="medicine_unique"),
            models.CheckConstraint(name="medicine_price_not_negative", condition=Q(price__gte=0)),
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (self.name, self.strength, self.form) if part)


class PrescriptionQuerySet(models.QuerySet["Prescription"]):
    def visible_to(self, user: object) -> "PrescriptionQuerySet":
        """Pharmacy documents belong to the facility that dispenses them."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if getattr(user, "is_superuser", False):
            return self.all()
        if not user.is_facility_staff:  # type: ignore[attr-defined]
            return self.none()
        return self.filter(facility_id=user.facility.home_puskesmas_id)  # type: ignore[attr-defined]


@tracked()
class Prescription(models.Model):
    """A month's PRB prescription: the pharmacy's dispensing request."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        PARTLY = "partly", _("Partly dispensed")
        DISPENSED = "dispensed", _("Dispensed")
        CANCELLED = "cancelled", _("Cancelled")

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="prescriptions", verbose_name=_("facility")
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="prescriptions", verbose_name=_("patient")
    )
    prescribed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prescribed_on = models.DateField(_("prescription date"))
    months = models.PositiveSmallIntegerField(_("months covered"), default=1)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-prescribed_on", "-id"]
        verbose_name = _("prescription")
        verbose_name_plural = _("prescriptions")
        indexes = [models.Index(fields=["facility", "status", "prescribed_on"])]

    def __str__(self) -> str:
        return f"{self.patient} · {self.prescribed_on:%d/%m/%Y}"


@tracked()
class PrescriptionLine(models.Model):
    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="lines")
    medicine = models.ForeignKey(Medicine, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    signa = models.CharField(_("signa"), max_length=60, blank=True)
    dispensed_quantity = models.PositiveIntegerField(_("dispensed"), default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="prescription_line_quantity_positive", condition=Q(quantity__gt=0)
            ),
            models.CheckConstraint(
                name="prescription_line_not_over_dispensed",
                condition=Q(dispensed_quantity__lte=F("quantity")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medicine} × {self.quantity}"

    @property
    def owed_quantity(self) -> int:
        return self.quantity - self.dispensed_quantity
