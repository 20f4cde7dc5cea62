from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import facility_fk, foreign_key
from facilities.models import Regency
from patients.validators import validate_nik_format


class User(AbstractUser):
    class Role(models.TextChoices):
        DOKTER = "dokter", _("Doctor")
        PERAWAT = "perawat", _("Nurse / midwife")
        PUSTU = "pustu", _("Pustu staff")
        FARMASI = "farmasi", _("Pharmacy staff")
        DINKES = "dinkes", _("District health office")
        ADMIN = "admin", _("Facility administrator")

    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    facility = facility_fk("staff", optional=True)
    # Civil servant number (NIP, 18 digits) under the signature of printed letters.
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^\d{18}$", _("A NIP has 18 digits."))],
    )
    regency = foreign_key(
        Regency,
        "officers",
        verbose_name=_("regency"),
        help_text=_("The district a dinas kesehatan officer oversees."),
        optional=True,
    )

    # A health worker's NIK: SATUSEHAT knows practitioners by it (Practitioner search).
    nik = models.CharField(
        _("NIK"),
        max_length=16,
        blank=True,
        validators=[validate_nik_format],
        help_text=_("16 digits; needed to send this person's work to SATUSEHAT."),
    )
    ihs_number = models.CharField(_("SATUSEHAT IHS number"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_dinkes_has_regency",
                condition=~models.Q(role="dinkes") | models.Q(regency__isnull=False),
            ),
        ]

    @property
    def is_dinkes(self) -> bool:
        return self.role == self.Role.DINKES

    @property
    def is_facility_staff(self) -> bool:
        return self.facility_id is not None and self.role != self.Role.DINKES

    @property
    def is_facility_admin(self) -> bool:
        return self.is_superuser or (self.role == self.Role.ADMIN and self.facility_id is not None)

    @property
    def can_see_patient_names(self) -> bool:
        """Dinas kesehatan works on aggregates: it never opens a patient record."""
        return self.is_superuser or self.is_facility_staff
