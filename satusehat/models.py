"""SATUSEHAT settings that are data, not code (STYLE.md 14: the database says who)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from patients.programs import Program
from pharmacy.models import Medicine


class EpisodeOfCareType(models.Model):
    """The EpisodeOfCare type SATUSEHAT gets for a programme.

    Kemkes has not published codes for every PRB programme (the shared protocol notes mark
    them UNVERIFIED), so they are edited in the admin site, never written into code.
    """

    program = models.CharField(_("programme"), max_length=20, choices=Program.choices, unique=True)
    code = models.CharField(_("code"), max_length=40)
    display = models.CharField(_("display"), max_length=150)

    class Meta:
        ordering = ["program"]
        verbose_name = _("EpisodeOfCare type")
        verbose_name_plural = _("EpisodeOfCare types")

    def __str__(self) -> str:
        return f"{self.get_program_display()}: {self.code}"


class FormularyKfaCode(Medicine):
    """The formulary seen from SATUSEHAT: the KFA code of each item, edited in the admin site.

    A medicine without a KFA code is reported on the outbox page, never guessed.
    """

    class Meta:
        proxy = True
        verbose_name = _("KFA code of a formulary item")
        verbose_name_plural = _("KFA codes of the formulary")
