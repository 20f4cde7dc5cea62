"""SATUSEHAT: who the facility is there, what waits to be sent, and the ids it got back.

STYLE.md 14: settings say where (``SATUSEHAT_ROOT``), the database says who (per-facility
ids and credentials, the secret encrypted by ``interop.fields``).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import staff_scope
from common.models import foreign_key, patient_fk
from facilities.models import Facility
from interop.fields import EncryptedTextField
from interop.models import OutboxItem, outbox_due_index
from patients.programs import Program
from pharmacy.models import Medicine


def _default_root() -> str:
    return settings.SATUSEHAT_ROOT


class SatusehatSettings(models.Model):
    """A facility's registration at SATUSEHAT, entered by its administrator.

    Without a row, or with ``is_enabled`` off, nothing of the facility is queued.
    """

    facility = models.OneToOneField(
        Facility, on_delete=models.CASCADE, related_name="satusehat", verbose_name=_("facility")
    )
    is_enabled = models.BooleanField(
        _("send to SATUSEHAT"),
        default=False,
        help_text=_("Visits, prescriptions, dispenses and referrals are sent from now on."),
    )
    auth_root = models.URLField(
        _("auth root"),
        default=_default_root,
        help_text=_("The token is asked at {root}/oauth2/v1/accesstoken."),
    )
    fhir_root = models.URLField(
        _("FHIR root"), default=_default_root, help_text=_("Resources go to {root}/fhir-r4/v1.")
    )
    organization_id = models.CharField(
        _("Organization ID"),
        max_length=40,
        help_text=_("The facility's SATUSEHAT Organization id."),
    )
    location_id = models.CharField(
        _("Location ID (clinic)"),
        max_length=64,
        help_text=_("The SATUSEHAT Location where control visits take place."),
    )
    pharmacy_location_id = models.CharField(
        _("Location ID (pharmacy)"),
        max_length=64,
        blank=True,
        help_text=_("Where medicines are handed over; empty: the clinic's Location."),
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret = EncryptedTextField(_("client secret"))
    # The access token is shared by every worker until it expires (encrypted like the secret).
    access_token = EncryptedTextField(_("access token"), editable=False)
    token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("SATUSEHAT settings")
        verbose_name_plural = _("SATUSEHAT settings")

    def __str__(self) -> str:
        return str(self.facility)


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


class SatusehatOutboxQuerySet(models.QuerySet["SatusehatOutbox"]):
    def visible_to(self, user: object) -> "SatusehatOutboxQuerySet":
        """The rows of the user's puskesmas (Pustu staff: of their patients); dinkes none."""
        return staff_scope(self, user, pustu_field="patient__pustu")


def _event_source(to: str, related_name: str = "+") -> "models.ForeignKey[Any, Any]":
    """The PRB record an outbox event was raised for: optional, and the event goes with it."""
    return foreign_key(to, related_name, optional=True, on_delete=models.CASCADE)


class SatusehatOutbox(OutboxItem):
    """One PRB event whose resources go to SATUSEHAT, sent in dependency order.

    The ids SATUSEHAT returns are kept per resource (``SatusehatResource``) as soon as they
    are known, so a resend updates (PUT) what exists and never creates a duplicate.
    """

    class Kind(models.TextChoices):
        VISIT = "visit", _("Control visit")
        DISPENSE = "dispense", _("Medicine dispensed")
        REREFERRAL = "rereferral", _("Re-referral")
        EPISODE = "episode", _("PRB episode")

    deliver_task = "satusehat.tasks.satusehat_outbox_deliver"

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    patient = patient_fk()
    case = _event_source("referrals.PrbCase")
    visit = _event_source("referrals.ControlVisit", "satusehat_outbox")
    referral = _event_source("referrals.ReReferral")
    card_line = _event_source("pharmacy.StockCardLine")

    objects = SatusehatOutboxQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("SATUSEHAT item to send")
        verbose_name_plural = _("SATUSEHAT items to send")
        indexes = [
            outbox_due_index("satusehat_outbox_due"),
            models.Index(fields=["facility", "state", "-created_at"], name="satusehat_outbox_list"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.patient}"


class SatusehatResource(models.Model):
    """The SATUSEHAT id of one resource PRB built (its key is the identifier PRB gave it)."""

    facility = foreign_key(Facility, "+", on_delete=models.CASCADE)
    resource_type = models.CharField(max_length=40)
    key = models.CharField(max_length=80)
    remote_id = models.CharField(max_length=100)
    sent_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "resource_type", "key"], name="satusehat_resource_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_type}/{self.remote_id}"
