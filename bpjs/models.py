from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import foreign_key, staff_fk
from facilities.models import Facility
from interop.fields import EncryptedTextField
from interop.models import OutboxItem, outbox_due_index


class BpjsCredentials(models.Model):
    """A facility's BPJS web-service credentials, entered by its administrator.

    Secrets are encrypted (``interop.fields``) and never shown again; a facility
    without a row (or without a value) uses the ``BPJS_*`` environment settings.
    """

    facility = models.OneToOneField(
        Facility, on_delete=models.CASCADE, related_name="bpjs_credentials"
    )
    cons_id = models.CharField(_("consumer ID (cons id)"), max_length=50, blank=True)
    secret_key = EncryptedTextField(_("secret key"))
    vclaim_user_key = EncryptedTextField(_("VClaim user key"))
    pcare_user_key = EncryptedTextField(_("PCare user key"))
    apotek_user_key = EncryptedTextField(_("Apotek Online user key"))
    pcare_username = models.CharField(_("PCare username"), max_length=100, blank=True)
    pcare_password = EncryptedTextField(_("PCare password"))
    pcare_doctor_code = models.CharField(
        _("PCare doctor code"),
        max_length=20,
        blank=True,
        help_text=_("The doctor (kdDokter) PCare records the control visits under."),
    )
    pcare_sync_from = models.DateField(
        _("send control visits to PCare from"),
        null=True,
        blank=True,
        help_text=_("Control visits on or after this date are sent to PCare; empty: not sent."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = staff_fk(optional=True)

    class Meta:
        verbose_name = _("BPJS credentials")
        verbose_name_plural = _("BPJS credentials")

    def __str__(self) -> str:
        return str(self.facility)


class PCareVisitOutbox(OutboxItem):
    """A control visit to send to PCare: registration, visit, then its PRB medicines.

    The numbers PCare returns are stored as soon as they are known, so a resend skips
    the steps already done and never registers the patient twice.
    """

    deliver_task = "bpjs.tasks.pcare_visit_deliver"

    visit = models.OneToOneField(
        "referrals.ControlVisit", on_delete=models.CASCADE, related_name="pcare_outbox"
    )
    registration_number = models.CharField(_("PCare queue number"), max_length=30, blank=True)
    visit_number = models.CharField(_("PCare visit number"), max_length=30, blank=True)
    medicines_sent = models.JSONField(_("medicine lines sent"), default=list, blank=True)

    class Meta:
        verbose_name = _("PCare visit to send")
        verbose_name_plural = _("PCare visits to send")
        indexes = [
            outbox_due_index("bpjs_pcare_outbox_due"),
            models.Index(fields=["facility", "state"], name="bpjs_pcare_outbox_facility"),
        ]

    def __str__(self) -> str:
        return f"{self.visit} → PCare"


class BpjsMedicine(models.Model):
    """A generic PRB medicine code of BPJS (VClaim ``referensi/obatprb``), mapped to the formulary.

    The mapping is kept by the district pharmacist (dinas kesehatan); several BPJS codes
    may map to one formulary entry. Loading the list again keeps the mapping.
    """

    code = models.CharField(_("BPJS code"), max_length=30, unique=True)
    name = models.CharField(_("BPJS name"), max_length=200)
    medicine = foreign_key(
        "pharmacy.Medicine",
        "bpjs_codes",
        verbose_name=_("formulary medicine"),
        optional=True,
        on_delete=models.SET_NULL,
    )
    mapped_by = staff_fk(optional=True, on_delete=models.SET_NULL)
    mapped_at = models.DateTimeField(_("mapped at"), null=True, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("BPJS PRB medicine")
        verbose_name_plural = _("BPJS PRB medicines")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BpjsDiagnosis(models.Model):
    """A PRB diagnosis of BPJS (VClaim ``referensi/diagnosaprb``)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("BPJS PRB diagnosis")
        verbose_name_plural = _("BPJS PRB diagnoses")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ParticipantCheck(models.Model):
    """The last PCare participant check of a patient: card active, registered FKTP."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, related_name="bpjs_participant"
    )
    checked_at = models.DateTimeField(_("checked at"))
    is_active = models.BooleanField(_("card active"))
    status_text = models.CharField(_("BPJS status"), max_length=100, blank=True)
    provider_code = models.CharField(_("registered FKTP code"), max_length=20, blank=True)
    provider_name = models.CharField(_("registered FKTP"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("BPJS participant check")
        verbose_name_plural = _("BPJS participant checks")

    def __str__(self) -> str:
        return f"{self.patient} · {self.provider_code}"

    @property
    def registered_elsewhere(self) -> bool:
        """PCare names another FKTP than the one PRB registers the patient at."""
        own = self.patient.fktp.bpjs_code
        return bool(self.provider_code and own and self.provider_code != own)


class ApotekClaimOutbox(OutboxItem):
    """A dispensed PRB prescription to claim in Apotek Online: header, then its lines.

    ``sjp_number`` (Apotek Online's ``noApotik``) is stored as soon as the header is
    accepted; a resend sends only the lines not yet sent.
    """

    deliver_task = "bpjs.tasks.apotek_claim_deliver"

    prescription = models.OneToOneField(
        "pharmacy.Prescription", on_delete=models.PROTECT, related_name="apotek_claim"
    )
    month = models.DateField(_("claim month"))
    sjp_number = models.CharField(_("Apotek Online SJP number"), max_length=40, blank=True)
    bpjs_prescription_number = models.CharField(
        _("Apotek Online prescription number"), max_length=40, blank=True
    )
    lines_sent = models.JSONField(_("lines sent"), default=list, blank=True)
    submitted_by = staff_fk()

    class Meta:
        verbose_name = _("Apotek Online claim")
        verbose_name_plural = _("Apotek Online claims")
        indexes = [
            outbox_due_index("bpjs_apotek_outbox_due"),
            models.Index(fields=["facility", "month"], name="bpjs_apotek_outbox_month"),
        ]

    def __str__(self) -> str:
        return f"{self.prescription} → Apotek Online"
