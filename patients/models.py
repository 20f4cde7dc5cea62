import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.audit import refuse_truncate, tracked
from accounts.scoping import staff_scope
from common.models import foreign_key, staff_fk
from facilities.models import Facility
from patients.validators import (
    validate_birth_date,
    validate_bpjs_number,
    validate_nik_format,
    validate_nik_matches,
)


class PatientQuerySet(models.QuerySet["Patient"]):
    def visible_to(self, user: object) -> "PatientQuerySet":
        """The one place that decides which patient records a user may open (STYLE.md 3).

        Facility staff see the patients registered at their puskesmas; Pustu
        staff the patients assigned to their Pustu; dinas kesehatan none (it
        works on aggregates); superusers all.
        """
        return staff_scope(self, user, facility_field="fktp", pustu_field="pustu")

    def search(self, query: str) -> "PatientQuerySet":
        query = query.strip()
        if not query:
            return self
        if query.isdigit():
            return self.filter(Q(nik__startswith=query) | Q(bpjs_number__startswith=query))
        return self.filter(name__icontains=query)


@tracked()
class Patient(models.Model):
    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    nik = models.CharField(
        _("NIK"),
        max_length=16,
        unique=True,
        validators=[validate_nik_format],
        error_messages={"unique": _("A patient with this NIK is already registered.")},
    )
    bpjs_number = models.CharField(
        _("BPJS card number"),
        max_length=13,
        unique=True,
        validators=[validate_bpjs_number],
        error_messages={"unique": _("A patient with this BPJS card number is already registered.")},
    )
    # The patient's SATUSEHAT number, looked up by NIK when PRB first sends their record.
    ihs_number = models.CharField(_("SATUSEHAT IHS number"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), validators=[validate_birth_date])
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    reminder_consent = models.BooleanField(
        _("consents to reminders"),
        default=False,
        help_text=_("The patient agreed to receive control reminders by SMS or WhatsApp."),
    )
    fktp = foreign_key(Facility, "registered_patients", verbose_name=_("registering FKTP"))
    pustu = foreign_key(Facility, "pustu_patients", verbose_name=_("Pustu"), optional=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [
            models.CheckConstraint(
                name="patient_nik_16_digits", condition=Q(nik__regex=r"^\d{16}$")
            ),
            models.CheckConstraint(
                name="patient_bpjs_13_digits", condition=Q(bpjs_number__regex=r"^\d{13}$")
            ),
            models.CheckConstraint(name="patient_sex_valid", condition=Q(sex__in=["M", "F"])),
        ]
        indexes = [
            models.Index(fields=["fktp", "name"]),
            models.Index(fields=["pustu", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.nik and self.birth_date and self.sex and len(self.nik) == 16:
            try:
                validate_nik_matches(nik=self.nik, sex=self.sex, birth_date=self.birth_date)
            except ValidationError as exc:
                errors.setdefault("nik", []).extend(exc.messages)
        if self.fktp_id and self.fktp.kind not in Facility.PRIMARY_CARE:
            errors.setdefault("fktp", []).append(_("The registering facility must be an FKTP."))
        if self.pustu is not None and (
            self.pustu.kind != Facility.Kind.PUSTU or self.pustu.parent_id != self.fktp_id
        ):
            errors.setdefault("pustu", []).append(
                _("The Pustu must belong to the patient's puskesmas.")
            )
        if errors:
            raise ValidationError(errors)


@pgtrigger.register(
    # A read once logged stays logged: no rewriting, no emptying the table.
    pgtrigger.Protect(name="access_log_no_update", operation=pgtrigger.Update),
    refuse_truncate("access_log_no_truncate"),
)
class PatientAccessLog(models.Model):
    """Every opening of a patient record (STYLE.md 7: reads are audited too)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Opened the record")
        API_VIEW = "api_view", _("Read through the API")
        EXPORT = "export", _("Exported or printed")

    patient = foreign_key(Patient, "access_logs", on_delete=models.CASCADE)
    user = staff_fk()
    facility = foreign_key(Facility, "+", optional=True)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.VIEW)
    path = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_action_display()} · {self.patient}"


# The largest page any list shows (the API's PAGE_SIZE is 50, pages 25-30).
LIST_ACCESS_MAX_PATIENTS = 100


@pgtrigger.register(
    pgtrigger.Protect(name="list_access_no_update", operation=pgtrigger.Update),
    pgtrigger.Protect(name="list_access_no_delete", operation=pgtrigger.Delete),
    refuse_truncate("list_access_no_truncate"),
)
class PatientListAccess(models.Model):
    """One list page, search result or API page that showed patients: who saw which.

    Written by ``patients.reads`` for every response whose paginator or list selector
    noted patients, one row per response (bounded: never more ids than ``MAX_PATIENTS``,
    the largest page). "Who saw patient X" is one query over the GIN index:
    ``PatientListAccess.objects.filter(patient_ids__contains=[x])``.
    """

    MAX_PATIENTS = LIST_ACCESS_MAX_PATIENTS

    user = staff_fk()
    facility = foreign_key(Facility, "+", optional=True)
    action = models.CharField(
        max_length=10, choices=PatientAccessLog.Action.choices, default=PatientAccessLog.Action.VIEW
    )
    path = models.CharField(max_length=255, blank=True)
    # Ids, not foreign keys: a list read stays on record as it was shown.
    patient_ids = ArrayField(models.BigIntegerField())
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [GinIndex(fields=["patient_ids"], name="list_access_patient_ids")]
        constraints = [
            models.CheckConstraint(
                name="list_access_bounded",
                # array_length() of an empty array is NULL: the emptiness test is its own.
                condition=~Q(patient_ids=[]) & Q(patient_ids__len__lte=LIST_ACCESS_MAX_PATIENTS),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_action_display()} · {len(self.patient_ids)}"
