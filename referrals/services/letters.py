"""Back-referral letters (SRB): receive, return and accept (KMK BAB III.A).

Errors are ``ValidationError`` dicts. Keys are the input's field names
("srb_number", "nik", "visit_date", "lines") or, for the criteria engine's
request checks, the engine's own paths ("facts.hba1c_percent"), which the
forms map onto their fields and the API returns as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from facilities.models import Facility
from lib import workdays
from patients.models import Patient
from patients.services import patient_create
from pharmacy.models import Medicine
from referrals import kmk
from referrals.models import (
    BackReferralLetter,
    LetterMedicine,
    PrbCase,
    ReadinessGap,
    ReReferral,
)
from referrals.selectors import Readiness, facility_readiness
from referrals.services.care_plans import care_plan_create
from referrals.services.engine import back_referral_evaluate, local_today
from satusehat.outbox import satusehat_episode_queue

# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ReadinessGapInput:
    """How a resource the puskesmas lacks is provided: a network facility or a date."""

    network_facility: str = ""
    available_on: dt.date | None = None


@dataclass(frozen=True)
class PatientInput:
    nik: str
    bpjs_number: str
    name: str
    sex: str
    birth_date: dt.date
    address: str = ""
    phone: str = ""

    @classmethod
    def of(cls, patient: Patient) -> PatientInput:
        """The identity a letter carries for a patient PRB already knows."""
        return cls(
            nik=patient.nik,
            bpjs_number=patient.bpjs_number,
            name=patient.name,
            sex=patient.sex,
            birth_date=patient.birth_date,
        )


@dataclass(frozen=True)
class LetterMedicineInput:
    medicine: Medicine
    signa: str
    quantity_per_month: int
    strength: str = ""


# ---------------------------------------------------------------- letters


def _patient_for_letter(*, actor: User, facility: Facility, data: PatientInput) -> Patient:
    """Find the patient by NIK or BPJS number, or register them: never a duplicate."""
    by_nik = Patient.objects.filter(nik=data.nik).first()
    by_bpjs = Patient.objects.filter(bpjs_number=data.bpjs_number).first()
    if by_nik and by_bpjs and by_nik.pk != by_bpjs.pk:
        raise ValidationError(
            {"bpjs_number": [_("This BPJS number belongs to a different patient than the NIK.")]}
        )
    patient = by_nik or by_bpjs
    if patient is None:
        return patient_create(actor=actor, fktp=facility, **asdict(data))
    if patient.fktp_id != facility.pk:
        raise ValidationError(
            {
                "nik": [
                    _(
                        "This patient is registered at another FKTP; the registration must be "
                        "moved before the referral can be received here."
                    )
                ]
            }
        )
    if patient.nik != data.nik:
        raise ValidationError(
            {"nik": [_("The patient with this BPJS number has a different NIK.")]}
        )
    if patient.bpjs_number != data.bpjs_number:
        raise ValidationError(
            {"bpjs_number": [_("The patient with this NIK has a different BPJS number.")]}
        )
    return patient


def _letter_general(
    attestations: Mapping[str, bool | None] | None, comorbidities: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """The letter's general criteria (II.A): the attestations given, and the comorbidities."""
    general: dict[str, Any] = {k: v for k, v in (attestations or {}).items() if v is not None}
    general["comorbidities"] = [dict(item) for item in comorbidities]
    return general


@dataclass(frozen=True, kw_only=True)
class LetterContent:
    """What a letter says that makes it the same letter: the fields of its fingerprint."""

    facility: Facility
    hospital: Facility
    srb_number: str
    letter_date: dt.date
    patient: PatientInput
    program: str
    icd10: str
    sep_number: str = ""
    attestations: Mapping[str, bool | None] | None = None
    comorbidities: Sequence[dict[str, Any]] = ()
    facts: Mapping[str, Any] | None = None
    medicines: Sequence[LetterMedicineInput] = ()


@dataclass(frozen=True, kw_only=True)
class LetterInput(LetterContent):
    """A whole letter as received: its content, and what may differ when it is sent again."""

    dpjp_name: str
    clinical_resume: str = ""
    management_plan: str = ""
    next_hospital_review: dt.date | None = None
    source: str = BackReferralLetter.Source.FORM


def letter_fingerprint(content: LetterContent) -> str:
    """A stable hash of a letter's content, to recognise the same SRB sent twice.

    Built here only, for the form and for the hospital systems' API alike; the
    DPJP's name, the resume and the plan are not part of it.
    """

    def default(value: Any) -> Any:
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, Medicine):
            return value.pk
        if isinstance(value, Facility):
            return value.pk
        raise TypeError(type(value))

    fields = {
        "facility": content.facility,
        "hospital": content.hospital,
        "srb_number": content.srb_number,
        "sep_number": content.sep_number,
        "letter_date": content.letter_date,
        "nik": content.patient.nik,
        "bpjs_number": content.patient.bpjs_number,
        "program": content.program,
        "icd10": content.icd10,
        "general": _letter_general(content.attestations, content.comorbidities),
        "facts": dict(content.facts or {}),
        "medicines": sorted(
            [line.medicine.pk, line.signa, line.quantity_per_month, line.strength]
            for line in content.medicines
        ),
    }
    text = json.dumps(fields, sort_keys=True, default=default, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def letter_build(
    *, actor: User, letter: LetterInput
) -> tuple[BackReferralLetter, list[LetterMedicine]]:
    """Check a letter and evaluate its criteria, without a query: the unsaved letter (its
    patient not yet set) and medicine lines, or a ``ValidationError`` dict."""
    facts = dict(letter.facts or {})
    general = _letter_general(letter.attestations, letter.comorbidities)
    errors: dict[str, list[str]] = {}
    if letter.letter_date > local_today():
        errors["letter_date"] = [_("The letter date cannot be in the future.")]
    if letter.next_hospital_review and letter.next_hospital_review < letter.letter_date:
        errors["next_hospital_review"] = [_("The hospital review must be after the letter date.")]
    for line in letter.medicines:
        if letter.program not in line.medicine.programs and line.medicine.programs:
            errors.setdefault("medicines", []).append(
                _("%(medicine)s is not in the formulary for this programme.")
                % {"medicine": line.medicine}
            )
    try:
        evaluation = back_referral_evaluate(
            program=letter.program,
            sex=letter.patient.sex,
            birth_date=letter.patient.birth_date,
            general=general,
            facts=facts,
        )
    except ValidationError as exc:
        evaluation = {}
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    built = BackReferralLetter(
        facility=letter.facility,
        hospital=letter.hospital,
        dpjp_name=letter.dpjp_name.strip(),
        srb_number=letter.srb_number.strip(),
        sep_number=letter.sep_number.strip(),
        letter_date=letter.letter_date,
        program=letter.program,
        icd10=letter.icd10.strip().upper(),
        comorbidities=general["comorbidities"],
        clinical_resume=letter.clinical_resume,
        management_plan=letter.management_plan,
        next_hospital_review=letter.next_hospital_review,
        facts=facts,
        general=general,
        evaluation=evaluation,
        outcome=evaluation["outcome"],
        source=letter.source,
        fingerprint=letter_fingerprint(letter),
        received_by=actor,
    )
    letter_lines = [
        LetterMedicine(
            letter=built,
            medicine=line.medicine,
            strength=line.strength or line.medicine.strength,
            signa=line.signa,
            quantity_per_month=line.quantity_per_month,
        )
        for line in letter.medicines
    ]
    return built, letter_lines


def letter_receive(*, actor: User, letter: LetterInput) -> BackReferralLetter:
    """Record a back-referral letter with its criteria evaluation; patient found or registered.

    All or nothing: a bad NIK, a fact out of range or a duplicate SRB number
    leaves no patient, letter or medicine line behind.
    """
    errors: dict[str, list[str]] = {}
    if BackReferralLetter.objects.filter(srb_number=letter.srb_number).exists():
        errors["srb_number"] = [_("A back-referral letter with this SRB number already exists.")]
    try:
        built, letter_lines = letter_build(actor=actor, letter=letter)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
        raise ValidationError(errors) from exc
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        built.patient = _patient_for_letter(
            actor=actor, facility=letter.facility, data=letter.patient
        )
        built.full_clean()
        try:
            with transaction.atomic():
                built.save()
        except IntegrityError as exc:  # a concurrent request took the SRB number
            raise ValidationError(
                {"srb_number": [_("A back-referral letter with this SRB number already exists.")]}
            ) from exc
        for letter_line in letter_lines:
            letter_line.letter = built
            letter_line.full_clean(exclude=["letter"])
        LetterMedicine.objects.bulk_create(letter_lines)
    return built


def letter_receive_idempotent(
    *, actor: User, letter: LetterInput
) -> tuple[BackReferralLetter, bool]:
    """``letter_receive`` for hospital systems: the same SRB sent again returns the first letter.

    Returns ``(letter, created)``. The same SRB number with different content is an error.
    """
    existing = BackReferralLetter.objects.filter(srb_number=letter.srb_number).first()
    if existing is None:
        return letter_receive(actor=actor, letter=letter), True
    if existing.fingerprint != letter_fingerprint(letter):
        raise ValidationError(
            {
                "srb_number": [
                    _("A different back-referral letter with this SRB number was already received.")
                ]
            }
        )
    return existing, False


def letter_return(*, actor: User, letter: BackReferralLetter, reasons: str) -> BackReferralLetter:
    """Send the referral back to the hospital with the reasons (KMK II.A)."""
    if letter.status != BackReferralLetter.Status.RECEIVED:
        raise ValidationError(_("This letter has already been decided."))
    if not reasons.strip():
        raise ValidationError({"return_reasons": [_("Give the reasons for returning.")]})
    letter.status = BackReferralLetter.Status.RETURNED
    letter.return_reasons = reasons.strip()
    letter.decided_by = actor
    letter.decided_at = timezone.now()
    with transaction.atomic():
        letter.full_clean()
        letter.save(update_fields=["status", "return_reasons", "decided_by", "decided_at"])
    return letter


def regimen_from_lines(lines: Iterable[LetterMedicine]) -> list[dict[str, Any]]:
    """The case's regimen as the letter's medicine lines give it (their medicine loaded)."""
    return [
        {
            "medicine": line.medicine_id,
            "name": str(line.medicine),
            "strength": line.strength,
            "signa": line.signa,
            "quantity": line.quantity_per_month,
        }
        for line in lines
    ]


def _readiness_gaps(
    *,
    letter: BackReferralLetter,
    plan: Mapping[str, ReadinessGapInput],
    on: dt.date,
    readiness: Readiness,
) -> list[ReadinessGap]:
    """The unsaved gap rows for the missing readiness items; errors per item field."""
    errors: dict[str, list[str]] = {}
    gaps = []
    for code, text, available in readiness.items:
        if available:
            continue
        entry = plan.get(code) or ReadinessGapInput()
        network = entry.network_facility.strip()
        if not network and entry.available_on is None:
            errors[f"gap_{code}_network"] = [
                _(
                    "The puskesmas lacks “%(item)s” (KMK %(clause)s): name the network facility "
                    "that provides it or the date it will be available (BAB III.A)."
                )
                % {"item": text, "clause": readiness.clause}
            ]
            continue
        if entry.available_on is not None and entry.available_on < on:
            errors[f"gap_{code}_date"] = [_("The date cannot be before the acceptance.")]
            continue
        gaps.append(
            ReadinessGap(
                code=code,
                item=text,
                clause=readiness.clause,
                network_facility=network,
                available_on=entry.available_on,
            )
        )
    if errors:
        raise ValidationError(errors)
    return gaps


def letter_accept_check(
    *,
    letter: BackReferralLetter,
    override_reason: str,
    control_interval_days: int,
    on: dt.date,
    readiness_plan: Mapping[str, ReadinessGapInput],
    readiness: Readiness,
) -> list[ReadinessGap]:
    """Whether the letter can be accepted, without a query: the unsaved readiness gap rows,
    or a ``ValidationError``. ``readiness`` is the puskesmas's checklist for the programme."""
    if letter.status != BackReferralLetter.Status.RECEIVED:
        raise ValidationError(_("This letter has already been decided."))
    if letter.outcome != BackReferralLetter.Outcome.ELIGIBLE and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": [
                    _("The referral is %(outcome)s: accepting it needs a reason.")
                    % {"outcome": letter.get_outcome_display().lower()}
                ]
            }
        )
    minimum = kmk.SHORTEST_INTERVAL_DAYS.get(letter.program, kmk.CONTROL_INTERVAL_DAYS)
    if not minimum <= control_interval_days <= 31:
        raise ValidationError(
            {
                "control_interval_days": [
                    _("The control interval must be between %(low)s and 31 days.")
                    % {"low": minimum}
                ]
            }
        )
    return _readiness_gaps(letter=letter, plan=readiness_plan, on=on, readiness=readiness)


def letter_accept_apply(
    *,
    actor: User,
    letter: BackReferralLetter,
    regimen: list[dict[str, Any]],
    on: dt.date,
    control_interval_days: int,
    override_reason: str,
    gaps: Sequence[ReadinessGap],
    open_case: PrbCase | None = None,
) -> PrbCase:
    """The case the accepted letter enrols (or resumes), with its first control date, and
    the letter and gap rows pointing at it; nothing saved."""
    override_reason = override_reason.strip()
    case = open_case or PrbCase(
        patient=letter.patient, program=letter.program, facility=letter.facility, enrolled_on=on
    )
    case.status = PrbCase.Status.BACK_FROM_HOSPITAL if open_case else PrbCase.Status.ACTIVE
    case.status_changed_on = on
    case.baseline_facts = letter.facts
    case.baseline_on = on
    case.current_regimen = regimen
    case.next_control_date = workdays.next_control_day(on, control_interval_days)
    case.next_hospital_review = letter.next_hospital_review
    if override_reason:
        case.override_reason = override_reason
    for gap in gaps:
        gap.case = case
        gap.letter = letter
        gap.recorded_by = actor
    letter.status = BackReferralLetter.Status.ACCEPTED
    letter.override_reason = override_reason
    letter.case = case
    letter.decided_by = actor
    letter.decided_at = timezone.now()
    return case


def letter_accept(
    *,
    actor: User,
    letter: BackReferralLetter,
    override_reason: str = "",
    control_interval_days: int = kmk.CONTROL_INTERVAL_DAYS,
    on: dt.date | None = None,
    readiness_plan: Mapping[str, ReadinessGapInput] | None = None,
) -> PrbCase:
    """Enrol the patient: a PRB case, its care plan and the first control date.

    A referral that is not eligible or incomplete is accepted only with the
    doctor's override reason, kept on the letter and the case. A letter for a
    patient re-referred in the same programme resumes that case with the new
    letter's facts as baseline (status "kembali dari RS").

    BAB III.A: the puskesmas must have the programme's resources (III.B.x.b) or
    provide them through its network. Every item its readiness checklist lacks
    (all of them when no checklist was recorded) needs a plan in
    ``readiness_plan`` (item code → network facility or date), kept with the case.
    """
    on = on or local_today()
    gaps = letter_accept_check(
        letter=letter,
        override_reason=override_reason,
        control_interval_days=control_interval_days,
        on=on,
        readiness_plan=readiness_plan or {},
        readiness=facility_readiness(facility_id=letter.facility_id, program=letter.program),
    )
    with transaction.atomic():
        open_case = (
            PrbCase.objects.select_for_update()
            .filter(patient=letter.patient, program=letter.program)
            .open()
            .first()
        )
        if open_case and open_case.status != PrbCase.Status.RE_REFERRED:
            raise ValidationError(_("The patient already has an open PRB case for this programme."))
        case = letter_accept_apply(
            actor=actor,
            letter=letter,
            regimen=regimen_from_lines(letter.medicines.select_related("medicine")),
            on=on,
            control_interval_days=control_interval_days,
            override_reason=override_reason,
            gaps=gaps,
            open_case=open_case,
        )
        case.full_clean()
        case.save()
        if open_case:
            ReReferral.objects.filter(case=case, returned_on__isnull=True).update(
                returned_on=on, return_letter=letter
            )
        care_plan_create(actor=actor, case=case, start=on, interval=control_interval_days)
        letter.case = case  # the case is saved now: take its id
        for gap in gaps:
            gap.case = case
            gap.full_clean()
        ReadinessGap.objects.bulk_create(gaps)
        letter.full_clean()
        letter.save(update_fields=["status", "override_reason", "case", "decided_by", "decided_at"])
        satusehat_episode_queue(case)
    return case
