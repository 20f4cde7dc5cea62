"""Back-referral letters, PRB cases and their care (KMK 1645/2024 BAB II–III).

Who sees what is decided in one place per model, ``visible_to(user)``:
facility staff see their puskesmas's letters and cases, Pustu staff the cases
of the patients assigned to their Pustu, a hospital account the letters it sent,
dinas kesehatan no patient rows (it works on aggregates).
"""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts.audit import tracked
from accounts.scoping import staff_scope
from common.models import staff_fk
from common.text import LONG_TEXT, NOTE_TEXT
from facilities.models import Facility
from patients.models import Patient
from patients.programs import Program
from pharmacy.models import Medicine, Prescription

_M = TypeVar("_M", bound=models.Model)


def _staff_scope(queryset: Any, user: Any, *, patient: str) -> Any:
    """Facility staff: rows of their puskesmas; Pustu staff: rows of their Pustu's patients."""
    return staff_scope(queryset, user, pustu_field=f"{patient}__pustu")


class CaseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RE_REFERRED = "re_referred", _("Re-referred")
    BACK_FROM_HOSPITAL = "back_from_hospital", _("Back from hospital")
    MOVED = "moved", _("Moved")
    DIED = "died", _("Died")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    FINISHED = "finished", _("Finished")


# A patient has at most one open case per programme; these statuses are open.
OPEN_STATUSES = (CaseStatus.ACTIVE, CaseStatus.RE_REFERRED, CaseStatus.BACK_FROM_HOSPITAL)
# Statuses in which the puskesmas runs control visits.
IN_CARE_STATUSES = (CaseStatus.ACTIVE, CaseStatus.BACK_FROM_HOSPITAL)


class PrbCaseQuerySet(models.QuerySet["PrbCase"]):
    def visible_to(self, user: Any) -> PrbCaseQuerySet:
        return _staff_scope(self, user, patient="patient")

    def open(self) -> PrbCaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


@tracked()
class PrbCase(models.Model):
    """A patient enrolled in one PRB programme at a puskesmas."""

    Status = CaseStatus

    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="prb_cases", verbose_name=_("patient")
    )
    program = models.CharField(_("programme"), max_length=20, choices=Program.choices)
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="prb_cases", verbose_name=_("puskesmas")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.ACTIVE
    )
    enrolled_on = models.DateField(_("enrolled on"))
    next_control_date = models.DateField(_("next control"), null=True, blank=True)
    next_hospital_review = models.DateField(_("next hospital review"), null=True, blank=True)
    # Facts at back-referral: the re-referral criteria compare with them (III.B.x.d).
    baseline_facts = models.JSONField(_("baseline facts"), default=dict, blank=True)
    baseline_on = models.DateField(_("baseline date"))
    # [{"medicine": id, "name": str, "strength": str, "signa": str, "quantity": int}]
    current_regimen = models.JSONField(_("current regimen"), default=list, blank=True)
    override_reason = models.TextField(
        _("override reason"),
        blank=True,
        max_length=NOTE_TEXT,
        help_text=_("Why the referral was accepted although incomplete or not eligible."),
    )
    status_note = models.TextField(_("status note"), blank=True, max_length=NOTE_TEXT)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PrbCaseQuerySet.as_manager()

    class Meta:
        ordering = ["next_control_date", "id"]
        verbose_name = _("PRB case")
        verbose_name_plural = _("PRB cases")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "program"],
                condition=Q(status__in=OPEN_STATUSES),
                name="prb_case_one_open_per_program",
                violation_error_message=_(
                    "The patient already has an open PRB case for this programme."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["facility", "status", "next_control_date"]),
            models.Index(fields=["patient", "program"]),
        ]

    def __str__(self) -> str:
        return f"{self.patient} · {self.get_program_display()}"

    @property
    def in_care(self) -> bool:
        return self.status in IN_CARE_STATUSES


class LetterQuerySet(models.QuerySet["BackReferralLetter"]):
    def visible_to(self, user: Any) -> LetterQuerySet:
        """Receiving puskesmas staff, Pustu staff for their patients, and the sending hospital."""
        if (
            getattr(user, "is_authenticated", False)
            and not user.is_superuser
            and user.is_facility_staff
            and not policy.works_at_pustu(user)
        ):
            return self.filter(Q(facility_id=user.facility_id) | Q(hospital_id=user.facility_id))
        return _staff_scope(self, user, patient="patient")


@tracked()
class BackReferralLetter(models.Model):
    """A Surat Rujuk Balik (SRB) received from a hospital's DPJP (KMK II.A)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned to the hospital")

    class Outcome(models.TextChoices):
        ELIGIBLE = "eligible", _("Eligible")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")
        INCOMPLETE = "incomplete", _("Incomplete")

    class Source(models.TextChoices):
        FORM = "form", _("Entered at the puskesmas")
        API = "api", _("Sent by the hospital system")

    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        related_name="received_letters",
        verbose_name=_("receiving FKTP"),
    )
    hospital = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        related_name="sent_letters",
        limit_choices_to={"kind": Facility.Kind.RUMAH_SAKIT},
        verbose_name=_("hospital (FKRTL)"),
    )
    dpjp_name = models.CharField(_("DPJP"), max_length=150)
    srb_number = models.CharField(
        _("SRB number"),
        max_length=40,
        unique=True,
        error_messages={"unique": _("A back-referral letter with this SRB number already exists.")},
    )
    sep_number = models.CharField(_("SEP number"), max_length=40, blank=True)
    letter_date = models.DateField(_("letter date"))
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        related_name="back_referral_letters",
        verbose_name=_("patient"),
    )
    program = models.CharField(_("programme"), max_length=20, choices=Program.choices)
    icd10 = models.CharField(_("ICD-10 diagnosis"), max_length=10)
    # [{"icd10": "E78.5", "controlled_months": 4}] — the engine's general.comorbidities
    comorbidities = models.JSONField(_("comorbidities"), default=list, blank=True)
    clinical_resume = models.TextField(_("clinical resume"), blank=True, max_length=LONG_TEXT)
    management_plan = models.TextField(_("management plan"), blank=True, max_length=LONG_TEXT)
    next_hospital_review = models.DateField(_("next hospital review"), null=True, blank=True)
    facts = models.JSONField(_("clinical facts"), default=dict, blank=True)
    general = models.JSONField(_("general criteria (KEEMPAT)"), default=dict, blank=True)
    evaluation = models.JSONField(_("criteria evaluation"), default=dict, blank=True)
    outcome = models.CharField(_("criteria outcome"), max_length=12, choices=Outcome.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    return_reasons = models.TextField(_("reasons for returning"), blank=True, max_length=NOTE_TEXT)
    override_reason = models.TextField(_("override reason"), blank=True, max_length=NOTE_TEXT)
    source = models.CharField(_("source"), max_length=4, choices=Source.choices)
    # Hash of the letter's content: the same SRB sent again is recognised (API idempotency).
    fingerprint = models.CharField(max_length=64, editable=False)
    case = models.ForeignKey(
        PrbCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("PRB case"),
    )
    received_by = staff_fk()
    decided_by = staff_fk(optional=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("back-referral letter")
        verbose_name_plural = _("back-referral letters")
        constraints = [
            models.CheckConstraint(
                name="letter_returned_has_reasons",
                condition=~Q(status="returned") | ~Q(return_reasons=""),
            ),
        ]
        indexes = [models.Index(fields=["facility", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"SRB {self.srb_number}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.hospital_id and self.hospital.kind != Facility.Kind.RUMAH_SAKIT:
            errors["hospital"] = [_("The sender must be a hospital (FKRTL).")]
        if self.facility_id and self.facility.kind not in Facility.PRIMARY_CARE:
            errors["facility"] = [_("The receiving facility must be an FKTP.")]
        if errors:
            raise ValidationError(errors)

    @property
    def criteria(self) -> list[dict[str, Any]]:
        return self.evaluation.get("criteria", [])


@tracked()
class LetterMedicine(models.Model):
    """A medicine line of the letter: what the hospital prescribes per month."""

    letter = models.ForeignKey(
        BackReferralLetter, on_delete=models.CASCADE, related_name="medicines"
    )
    medicine = models.ForeignKey(
        Medicine, on_delete=models.PROTECT, related_name="+", verbose_name=_("medicine")
    )
    strength = models.CharField(_("strength"), max_length=60, blank=True)
    signa = models.CharField(_("signa"), max_length=60)
    quantity_per_month = models.PositiveIntegerField(_("quantity per month"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="letter_medicine_quantity_positive", condition=Q(quantity_per_month__gt=0)
            )
        ]

    def __str__(self) -> str:
        return f"{self.medicine} {self.signa} × {self.quantity_per_month}"


@tracked()
class CarePlan(models.Model):
    """The monitoring plan written at enrolment or at a return from hospital (BAB III.A.1)."""

    class Place(models.TextChoices):
        PUSKESMAS = "puskesmas", _("Puskesmas")
        PUSTU = "pustu", _("Pustu")
        HOME = "rumah", _("Home visit")

    case = models.ForeignKey(PrbCase, on_delete=models.CASCADE, related_name="care_plans")
    started_on = models.DateField(_("start"))
    control_interval_days = models.PositiveSmallIntegerField(_("control every (days)"), default=30)
    place = models.CharField(
        _("place of control"), max_length=10, choices=Place.choices, default=Place.PUSKESMAS
    )
    targets = models.TextField(_("targets"), blank=True, max_length=NOTE_TEXT)
    created_by = staff_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="care_plan_interval_range",
                condition=Q(control_interval_days__gte=14, control_interval_days__lte=31),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.started_on}"


@tracked()
class MonitoringItem(models.Model):
    """One scheduled examination of the care plan (III.B.x.a), ticked when done."""

    care_plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="monitoring")
    code = models.CharField(max_length=30)
    label = models.CharField(_("examination"), max_length=200)
    clause = models.CharField(_("KMK clause"), max_length=30)
    due_on = models.DateField(_("due"))
    facts = models.JSONField(default=list, blank=True)  # facts that complete it at a visit
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_visit = models.ForeignKey(
        "ControlVisit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "code", "id"]
        indexes = [models.Index(fields=["care_plan", "done_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.label} · {self.due_on}"


@tracked()
class SelfManagementItem(models.Model):
    """A self-management point (III.B.x.c) the team teaches and ticks."""

    care_plan = models.ForeignKey(
        CarePlan, on_delete=models.CASCADE, related_name="self_management"
    )
    code = models.CharField(max_length=30)
    text = models.CharField(_("advice"), max_length=200)
    clause = models.CharField(_("KMK clause"), max_length=30)
    taught_on = models.DateField(_("taught on"), null=True, blank=True)
    taught_by = staff_fk(optional=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["care_plan", "code"], name="self_management_unique")
        ]

    def __str__(self) -> str:
        return self.text


class CaseRecordQuerySet(models.QuerySet[_M]):
    """The records of a PRB case (visits, re-referrals, contacts …): seen where the case is."""

    def visible_to(self, user: Any) -> Self:
        return staff_scope(
            self, user, facility_field="case__facility", pustu_field="case__patient__pustu"
        )


class Adherence(models.TextChoices):
    GOOD = "good", _("Takes the medicines as prescribed")
    PARTIAL = "partial", _("Sometimes misses doses")
    POOR = "poor", _("Often misses or stopped")


@tracked()
class ControlVisit(models.Model):
    """The monthly control visit (III.B.x.a.1) with the re-referral check (III.B.x.d)."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Continue at the puskesmas")
        RE_REFER = "re_refer", _("Re-referral criteria triggered")

    Adherence = Adherence

    case = models.ForeignKey(PrbCase, on_delete=models.PROTECT, related_name="visits")
    visit_date = models.DateField(_("visit date"))
    facts = models.JSONField(_("measurements"), default=dict, blank=True)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    height_cm = models.DecimalField(
        _("height (cm)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    symptoms = models.TextField(_("complaints and symptoms"), blank=True, max_length=LONG_TEXT)
    adherence = models.CharField(_("adherence"), max_length=10, choices=Adherence.choices)
    side_effects = models.TextField(_("side effects"), blank=True, max_length=LONG_TEXT)
    prescription = models.ForeignKey(
        Prescription,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prescription"),
    )
    dpjp_approval = models.CharField(
        _("DPJP agreement"),
        max_length=200,
        blank=True,
        help_text=_("Who at the hospital agreed to a change of an anti-seizure medicine."),
    )
    warnings = models.JSONField(default=list, blank=True)
    next_control_date = models.DateField(_("next control"))
    evaluation = models.JSONField(_("re-referral evaluation"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    recorded_by = staff_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet["ControlVisit"].as_manager()

    class Meta:
        ordering = ["-visit_date", "-id"]
        verbose_name = _("control visit")
        verbose_name_plural = _("control visits")
        constraints = [
            models.CheckConstraint(
                name="visit_next_control_after_visit",
                condition=Q(next_control_date__gt=F("visit_date")),
                violation_error_message=_("The next control must be after the visit."),
            ),
            # One visit a day per case: a second submission would also make a second
            # prescription in the pharmacy's queue.
            models.UniqueConstraint(
                fields=["case", "visit_date"],
                name="visit_one_per_case_day",
                violation_error_message=_(
                    "A control visit on this date is already recorded for this case."
                ),
            ),
        ]
        indexes = [models.Index(fields=["case", "-visit_date"])]

    def __str__(self) -> str:
        return f"{self.case} · {self.visit_date}"

    @property
    def bmi(self) -> float | None:
        if self.weight_kg and self.height_cm:
            meters = float(self.height_cm) / 100
            return round(float(self.weight_kg) / (meters * meters), 1)
        return None

    @property
    def triggered(self) -> list[dict[str, Any]]:
        return [c for c in self.evaluation.get("criteria", []) if c["outcome"] == "triggered"]


@tracked()
class ReReferral(models.Model):
    """Rujuk ulang: the patient goes back to the hospital (III.B.x.d)."""

    case = models.ForeignKey(PrbCase, on_delete=models.PROTECT, related_name="re_referrals")
    hospital = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Facility.Kind.RUMAH_SAKIT},
        verbose_name=_("destination hospital"),
    )
    referred_on = models.DateField(_("referral date"))
    letter_number = models.CharField(_("letter number"), max_length=60, unique=True)
    clause_ids = models.JSONField(_("triggered criteria"), default=list, blank=True)
    doctor_reason = models.TextField(_("doctor's reason"), blank=True, max_length=NOTE_TEXT)
    visit = models.ForeignKey(
        ControlVisit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evaluation = models.JSONField(default=dict, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    return_letter = models.ForeignKey(
        BackReferralLetter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = staff_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet["ReReferral"].as_manager()

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("re-referral")
        verbose_name_plural = _("re-referrals")
        constraints = [
            models.CheckConstraint(
                name="rereferral_has_a_reason",
                condition=~Q(clause_ids=[]) | ~Q(doctor_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.letter_number


@tracked()
class HomeVisit(models.Model):
    """A home visit by Pustu staff or a kader (BAB III.A, Pustu 2–3)."""

    class VisitorRole(models.TextChoices):
        PUSTU = "pustu", _("Pustu staff")
        KADER = "kader", _("Kader")
        NURSE = "perawat", _("Nurse / midwife")

    case = models.ForeignKey(PrbCase, on_delete=models.PROTECT, related_name="home_visits")
    visited_on = models.DateField(_("visit date"))
    visitor_role = models.CharField(_("visited by"), max_length=10, choices=VisitorRole.choices)
    visitor_name = models.CharField(_("visitor's name"), max_length=150)
    findings = models.TextField(_("findings"), max_length=LONG_TEXT)
    follow_up = models.TextField(_("follow-up"), blank=True, max_length=LONG_TEXT)
    recorded_by = staff_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet["HomeVisit"].as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")

    def __str__(self) -> str:
        return f"{self.case} · {self.visited_on}"


@tracked()
class ContactAttempt(models.Model):
    """A call or message to a patient about a control visit.

    Simple on purpose: the control worklist (``alerts``) reads ``case``,
    ``attempted_at``, ``outcome`` and ``agreed_date``. The outcomes are those of
    Simple.org's overdue list: "agreed to visit" keeps the patient off the
    worklist for 7 days (and, with an agreed date, moves ``next_control_date``
    to it), "remind later" for 30 days, "removed" for the control date with a
    reason. "Moved", "died" and "back at the hospital" are kept for the
    attempts recorded before the removal reasons took their place.
    """

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")
        VISIT = "visit", _("In person")
        # KMK III.B.8.a.1.c: remote patients followed through teleconsultation.
        TELECONSULTATION = "teleconsultation", _("Teleconsultation with the hospital")

    class Outcome(models.TextChoices):
        AGREED = "agreed", _("Agreed to visit")
        REMIND_LATER = "remind_later", _("Remind later")
        UNREACHABLE = "unreachable", _("Unreachable")
        REMOVED = "removed", _("Removed from the worklist")
        MOVED = "moved", _("Moved away")
        DIED = "died", _("Died")
        AT_HOSPITAL = "at_hospital", _("Back at the hospital")

    case = models.ForeignKey(PrbCase, on_delete=models.CASCADE, related_name="contact_attempts")
    attempted_at = models.DateTimeField(_("time"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices)
    agreed_date = models.DateField(_("agreed control date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    by = staff_fk()

    objects = CaseRecordQuerySet["ContactAttempt"].as_manager()

    class Meta:
        ordering = ["-attempted_at", "-id"]
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        constraints = [
            models.CheckConstraint(
                name="contact_only_agreed_has_date",
                condition=Q(outcome="agreed") | Q(agreed_date__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["case", "-attempted_at"])]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_outcome_display()}"


@tracked()
class FacilityReadiness(models.Model):
    """The facility's own checklist of the resource standards of III.B.x.b for a programme."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="prb_readiness")
    program = models.CharField(_("programme"), max_length=20, choices=Program.choices)
    available = models.JSONField(_("available"), default=list, blank=True)  # item codes
    note = models.CharField(_("network arrangements"), max_length=255, blank=True)
    updated_by = staff_fk()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["facility", "program"]
        verbose_name = _("facility readiness")
        verbose_name_plural = _("facility readiness")
        constraints = [
            models.UniqueConstraint(fields=["facility", "program"], name="readiness_unique")
        ]

    def __str__(self) -> str:
        return f"{self.facility} · {self.program}"


@tracked()
class ReadinessGap(models.Model):
    """A resource standard (III.B.x.b) the puskesmas lacked when it accepted the case,
    and how the patient gets it: through a network facility or from a date (BAB III.A:
    "wajib membangun jejaring dengan fasilitas pelayanan kesehatan lainnya")."""

    case = models.ForeignKey(PrbCase, on_delete=models.CASCADE, related_name="readiness_gaps")
    letter = models.ForeignKey(
        BackReferralLetter, on_delete=models.PROTECT, related_name="readiness_gaps"
    )
    code = models.CharField(max_length=30)
    item = models.CharField(_("resource"), max_length=200)
    clause = models.CharField(_("KMK clause"), max_length=30)
    network_facility = models.CharField(
        _("through the network facility"), max_length=150, blank=True
    )
    available_on = models.DateField(_("available at the puskesmas by"), null=True, blank=True)
    recorded_by = staff_fk()
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CaseRecordQuerySet["ReadinessGap"].as_manager()

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("readiness gap plan")
        verbose_name_plural = _("readiness gap plans")
        constraints = [
            models.CheckConstraint(
                name="readiness_gap_has_a_plan",
                condition=~Q(network_facility="") | Q(available_on__isnull=False),
            ),
            models.UniqueConstraint(fields=["letter", "code"], name="readiness_gap_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.item}"
