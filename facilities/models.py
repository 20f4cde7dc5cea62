from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import foreign_key


class Province(models.Model):
    # Kemendagri region code, 2 digits (the first two digits of a NIK).
    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    """A kabupaten or kota: the scope of a dinas kesehatan."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Regency")
        KOTA = "kota", _("City")

    province = foreign_key(Province, "regencies")
    # Kemendagri code, 4 digits: province + regency (the first four digits of a NIK).
    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.KABUPATEN)

    class Meta:
        ordering = ["name"]
        verbose_name = _("regency")
        verbose_name_plural = _("regencies")

    def __str__(self) -> str:
        return self.name


class Facility(models.Model):
    class Kind(models.TextChoices):
        PUSKESMAS = "puskesmas", _("Puskesmas")
        PUSTU = "pustu", _("Pustu (auxiliary puskesmas)")
        KLINIK_PRATAMA = "klinik_pratama", _("Primary clinic")
        DOKTER_PRAKTIK = "dokter_praktik", _("Private practice doctor")
        RUMAH_SAKIT = "rumah_sakit", _("Hospital (FKRTL)")
        APOTEK_PRB = "apotek_prb", _("PRB pharmacy")
        INSTALASI_FARMASI = "instalasi_farmasi", _("District pharmacy warehouse (IFK)")

    # Kinds that enrol PRB patients (FKTP, KMK BAB II.A).
    PRIMARY_CARE = (Kind.PUSKESMAS, Kind.KLINIK_PRATAMA, Kind.DOKTER_PRAKTIK)

    regency = foreign_key(Regency, "facilities")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    kemenkes_code = models.CharField(_("Kemenkes code"), max_length=20, unique=True)
    bpjs_code = models.CharField(_("BPJS code"), max_length=20, blank=True)
    parent = foreign_key(
        "self",
        "children",
        verbose_name=_("parent puskesmas"),
        help_text=_("The puskesmas a Pustu belongs to."),
        optional=True,
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Printed on the letterhead of the facility's letters, cards and reports.
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.CheckConstraint(
                name="facility_pustu_has_parent",
                condition=(models.Q(kind="pustu", parent__isnull=False) | ~models.Q(kind="pustu")),
            ),
            models.CheckConstraint(
                name="facility_parent_only_for_pustu",
                condition=(models.Q(kind="pustu") | models.Q(parent__isnull=True)),
            ),
        ]
        indexes = [models.Index(fields=["regency", "kind"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.PUSTU:
            if self.parent is None or self.parent.kind != self.Kind.PUSKESMAS:
                raise ValidationError({"parent": _("A Pustu must belong to a puskesmas.")})
            if self.parent.regency_id != self.regency_id:
                raise ValidationError(
                    {"parent": _("A Pustu must be in the same regency as its puskesmas.")}
                )

    @property
    def home_puskesmas_id(self) -> int:
        """The facility whose patients this facility's staff work with."""
        return self.parent_id if self.kind == self.Kind.PUSTU and self.parent_id else self.pk


class FacilitySequence(models.Model):
    """The last number handed out of one per-facility document series (re-referral letters
    per year, destruction reports per month...): taken under this row's lock, never as
    ``count() + 1``, so two documents of one facility can never get the same number."""

    facility = foreign_key(Facility, "+")
    kind = models.CharField(_("kind"), max_length=30)
    # The numbering period the series restarts with: "2026" or "2026-03".
    period = models.CharField(_("period"), max_length=7)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("facility number sequence")
        verbose_name_plural = _("facility number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "kind", "period"], name="facility_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period}: {self.last}"
