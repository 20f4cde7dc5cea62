"""Writes of the referral workflow (STYLE.md 2): keyword-only, one transaction each.

Errors are ``ValidationError`` dicts. Keys are the input's field names
("srb_number", "nik", "visit_date", "lines") or, for the criteria engine's
request checks, the engine's own paths ("facts.hba1c_percent"), which the
forms map onto their fields and the API returns as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eligibility.rules import RequestError, evaluate
from facilities.models import Facility
from patients.models import Patient
from patients.services import patient_create, patient_update
from pharmacy.models import Medicine
from pharmacy.services import PrescriptionLineInput, prescription_create
from referrals import kmk
from referrals.models import (
    IN_CARE_STATUSES,
    BackReferralLetter,
    CarePlan,
    ContactAttempt,
    ControlVisit,
    FacilityReadiness,
    HomeVisit,
    LetterMedicine,
    MonitoringItem,
    PrbCase,
    ReReferral,
    SelfManagementItem,
)

# KMK II.B.1.a and III.B.1.d.3: basal insulin at primary care stays at or below 20 units a day.
BASAL_INSULIN_MAX_UNITS = 20


def local_today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class PatientInput:
    nik: str
    bpjs_number: str
    name: str
    sex: str
    birth_date: dt.date
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class LetterMedicineInput:
    medicine: Medicine
    signa: str
    quantity_per_month: int
    strength: str = ""


@dataclass(frozen=True)
class VisitLineInput:
    medicine: Medicine
    quantity: int
    signa: str
    daily_dose: float | None = None  # units/day, required for basal insulin


# ---------------------------------------------------------------- criteria engine


def _engine(request: dict[str, Any]) -> dict[str, Any]:
    try:
        return evaluate(request)
    except RequestError as exc:
        raise ValidationError(exc.errors) from exc


def back_referral_evaluate(
    *,
    program: str,
    sex: str | None,
    birth_date: dt.date | None,
    general: dict[str, Any],
    facts: dict[str, Any],
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """The engine's back-referral verdict (BAB II.B and Diktum KEEMPAT)."""
    patient = {}
    if sex:
        patient["sex"] = sex
    if birth_date:
        patient["birth_date"] = birth_date.isoformat()
    return _engine(
        {
            "mode": "back_referral",
            "program": program,
            "as_of": (as_of or local_today()).isoformat(),
            "patient": patient,
            "general": general,
            "facts": facts,
        }
    )


def _window_visits(case: PrbCase, as_of: dt.date, *, exclude: int | None = None) -> list[dict]:
    start = max(kmk.add_months(as_of, -3), case.baseline_on)
    visits = case.visits.filter(visit_date__gte=start, visit_date__lte=as_of)
    if exclude:
        visits = visits.exclude(pk=exclude)
    return [
        {"date": visit.visit_date.isoformat(), "facts": visit.facts}
        for visit in visits.order_by("visit_date", "id")
    ]


def re_referral_evaluate(
    *, case: PrbCase, as_of: dt.date, new_visit: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The re-referral criteria (III.B.x.d) over the case's last three months of visits."""
    visits = _window_visits(case, as_of)
    if new_visit is not None:
        visits.append(new_visit)
    return _engine(
        {
            "mode": "re_referral",
            "program": case.program,
            "as_of": as_of.isoformat(),
            "patient": {
                "sex": case.patient.sex,
                "birth_date": case.patient.birth_date.isoformat(),
            },
            "baseline": case.baseline_facts,
            "visits": visits,
        }
    )


# ---------------------------------------------------------------- letters


def _patient_for_letter(*, actor: Any, facility: Facility, data: PatientInput) -> Patient:
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


def letter_fingerprint(**content: Any) -> str:
    """A stable hash of a letter's content, to recognise the same SRB sent twice."""

    def default(value: Any) -> Any:
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, Medicine):
            return value.pk
        if isinstance(value, Facility):
            return value.pk
        raise TypeError(type(value))

    text = json.dumps(content, sort_keys=True, default=default, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def letter_receive(
    *,
    actor: Any,
    facility: Facility,
    hospital: Facility,
    dpjp_name: str,
    srb_number: str,
    letter_date: dt.date,
    patient: PatientInput,
    program: str,
    icd10: str,
    sep_number: str = "",
    comorbidities: Sequence[dict[str, Any]] = (),
    attestations: dict[str, bool] | None = None,
    clinical_resume: str = "",
    management_plan: str = "",
    next_hospital_review: dt.date | None = None,
    facts: dict[str, Any] | None = None,
    medicines: Sequence[LetterMedicineInput] = (),
    source: str = BackReferralLetter.Source.FORM,
) -> BackReferralLetter:
    """Record a back-referral letter with its criteria evaluation; patient found or registered.

    All or nothing: a bad NIK, a fact out of range or a duplicate SRB number
    leaves no patient, letter or medicine line behind.
    """
    facts = dict(facts or {})
    general: dict[str, Any] = {k: v for k, v in (attestations or {}).items() if v is not None}
    general["comorbidities"] = [dict(item) for item in comorbidities]
    errors: dict[str, list[str]] = {}
    if letter_date > local_today():
        errors["letter_date"] = [_("The letter date cannot be in the future.")]
    if next_hospital_review and next_hospital_review < letter_date:
        errors["next_hospital_review"] = [_("The hospital review must be after the letter date.")]
    if BackReferralLetter.objects.filter(srb_number=srb_number).exists():
        errors["srb_number"] = [_("A back-referral letter with this SRB number already exists.")]
    for line in medicines:
        if program not in line.medicine.programs and line.medicine.programs:
            errors.setdefault("medicines", []).append(
                _("%(medicine)s is not in the formulary for this programme.")
                % {"medicine": line.medicine}
            )
    try:
        evaluation = back_referral_evaluate(
            program=program,
            sex=patient.sex,
            birth_date=patient.birth_date,
            general=general,
            facts=facts,
        )
    except ValidationError as exc:
        evaluation = {}
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    fingerprint = letter_fingerprint(
        facility=facility,
        hospital=hospital,
        srb_number=srb_number,
        sep_number=sep_number,
        letter_date=letter_date,
        nik=patient.nik,
        bpjs_number=patient.bpjs_number,
        program=program,
        icd10=icd10,
        general=general,
        facts=facts,
        medicines=sorted(
            [line.medicine.pk, line.signa, line.quantity_per_month, line.strength]
            for line in medicines
        ),
    )
    with transaction.atomic():
        found = _patient_for_letter(actor=actor, facility=facility, data=patient)
        letter = BackReferralLetter(
            facility=facility,
            hospital=hospital,
            dpjp_name=dpjp_name.strip(),
            srb_number=srb_number.strip(),
            sep_number=sep_number.strip(),
            letter_date=letter_date,
            patient=found,
            program=program,
            icd10=icd10.strip().upper(),
            comorbidities=general["comorbidities"],
            clinical_resume=clinical_resume,
            management_plan=management_plan,
            next_hospital_review=next_hospital_review,
            facts=facts,
            general=general,
            evaluation=evaluation,
            outcome=evaluation["outcome"],
            source=source,
            fingerprint=fingerprint,
            received_by=actor,
        )
        letter.full_clean()
        try:
            with transaction.atomic():
                letter.save()
        except IntegrityError as exc:  # a concurrent request took the SRB number
            raise ValidationError(
                {"srb_number": [_("A back-referral letter with this SRB number already exists.")]}
            ) from exc
        letter_lines = [
            LetterMedicine(
                letter=letter,
                medicine=line.medicine,
                strength=line.strength or line.medicine.strength,
                signa=line.signa,
                quantity_per_month=line.quantity_per_month,
            )
            for line in medicines
        ]
        for letter_line in letter_lines:
            letter_line.full_clean(exclude=["letter"])
        LetterMedicine.objects.bulk_create(letter_lines)
    return letter


def letter_receive_idempotent(**kwargs: Any) -> tuple[BackReferralLetter, bool]:
    """``letter_receive`` for hospital systems: the same SRB sent again returns the first letter.

    Returns ``(letter, created)``. The same SRB number with different content is an error.
    """
    existing = BackReferralLetter.objects.filter(srb_number=kwargs["srb_number"]).first()
    if existing is None:
        return letter_receive(**kwargs), True
    patient: PatientInput = kwargs["patient"]
    general = {k: v for k, v in (kwargs.get("attestations") or {}).items() if v is not None}
    general["comorbidities"] = [dict(item) for item in kwargs.get("comorbidities", ())]
    same = existing.fingerprint == letter_fingerprint(
        facility=kwargs["facility"],
        hospital=kwargs["hospital"],
        srb_number=kwargs["srb_number"],
        sep_number=kwargs.get("sep_number", ""),
        letter_date=kwargs["letter_date"],
        nik=patient.nik,
        bpjs_number=patient.bpjs_number,
        program=kwargs["program"],
        icd10=kwargs["icd10"],
        general=general,
        facts=dict(kwargs.get("facts") or {}),
        medicines=sorted(
            [line.medicine.pk, line.signa, line.quantity_per_month, line.strength]
            for line in kwargs.get("medicines", ())
        ),
    )
    if not same:
        raise ValidationError(
            {
                "srb_number": [
                    _("A different back-referral letter with this SRB number was already received.")
                ]
            }
        )
    return existing, False


def letter_return(*, actor: Any, letter: BackReferralLetter, reasons: str) -> BackReferralLetter:
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


def _regimen_from_letter(letter: BackReferralLetter) -> list[dict[str, Any]]:
    return [
        {
            "medicine": line.medicine_id,
            "name": str(line.medicine),
            "strength": line.strength,
            "signa": line.signa,
            "quantity": line.quantity_per_month,
        }
        for line in letter.medicines.select_related("medicine")
    ]


def letter_accept(
    *,
    actor: Any,
    letter: BackReferralLetter,
    override_reason: str = "",
    control_interval_days: int = kmk.CONTROL_INTERVAL_DAYS,
    on: dt.date | None = None,
) -> PrbCase:
    """Enrol the patient: a PRB case, its care plan and the first control date.

    A referral that is not eligible or incomplete is accepted only with the
    doctor's override reason, kept on the letter and the case. A letter for a
    patient re-referred in the same programme resumes that case with the new
    letter's facts as baseline (status "kembali dari RS").
    """
    on = on or local_today()
    if letter.status != BackReferralLetter.Status.RECEIVED:
        raise ValidationError(_("This letter has already been decided."))
    override_reason = override_reason.strip()
    if letter.outcome != BackReferralLetter.Outcome.ELIGIBLE and not override_reason:
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
    with transaction.atomic():
        open_case = (
            PrbCase.objects.select_for_update()
            .filter(patient=letter.patient, program=letter.program)
            .open()
            .first()
        )
        if open_case and open_case.status != PrbCase.Status.RE_REFERRED:
            raise ValidationError(_("The patient already has an open PRB case for this programme."))
        case = open_case or PrbCase(
            patient=letter.patient, program=letter.program, facility=letter.facility, enrolled_on=on
        )
        case.status = PrbCase.Status.BACK_FROM_HOSPITAL if open_case else PrbCase.Status.ACTIVE
        case.status_changed_on = on
        case.baseline_facts = letter.facts
        case.baseline_on = on
        case.current_regimen = _regimen_from_letter(letter)
        case.next_control_date = on + dt.timedelta(days=control_interval_days)
        case.next_hospital_review = letter.next_hospital_review
        if override_reason:
            case.override_reason = override_reason
        case.full_clean()
        case.save()
        if open_case:
            ReReferral.objects.filter(case=case, returned_on__isnull=True).update(
                returned_on=on, return_letter=letter
            )
        _care_plan_create(actor=actor, case=case, start=on, interval=control_interval_days)
        letter.status = BackReferralLetter.Status.ACCEPTED
        letter.override_reason = override_reason
        letter.case = case
        letter.decided_by = actor
        letter.decided_at = timezone.now()
        letter.full_clean()
        letter.save(update_fields=["status", "override_reason", "case", "decided_by", "decided_at"])
    return case


def _care_plan_create(*, actor: Any, case: PrbCase, start: dt.date, interval: int) -> CarePlan:
    plan = CarePlan(
        case=case,
        started_on=start,
        control_interval_days=interval,
        targets=kmk.TARGETS[case.program],
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    MonitoringItem.objects.bulk_create(
        MonitoringItem(
            care_plan=plan,
            code=item.code,
            label=item.label,
            clause=item.clause,
            due_on=item.due_on,
            facts=list(item.facts),
        )
        for item in kmk.monitoring_schedule(case.program, start)
    )
    clause = kmk.self_management_clause(case.program)
    SelfManagementItem.objects.bulk_create(
        SelfManagementItem(care_plan=plan, code=code, text=text, clause=f"{clause}.{index}")
        for index, (code, text) in enumerate(kmk.SELF_MANAGEMENT[case.program], start=1)
    )
    return plan


def care_plan_update(
    *, actor: Any, plan: CarePlan, place: str, control_interval_days: int, targets: str
) -> CarePlan:
    """Where and how often the patient is controlled, and the agreed targets (BAB III.A.1–2).

    The next control date follows a shorter interval at once; a longer one applies
    from the next visit, so nobody's appointment slips silently.
    """
    plan.place = place
    plan.control_interval_days = control_interval_days
    plan.targets = targets.strip()
    with transaction.atomic():
        plan.full_clean()
        plan.save(update_fields=["place", "control_interval_days", "targets"])
        case = plan.case
        last_visit = case.visits.order_by("-visit_date", "-id").first()
        anchor = last_visit.visit_date if last_visit else case.enrolled_on
        sooner = anchor + dt.timedelta(days=control_interval_days)
        if case.in_care and case.next_control_date and sooner < case.next_control_date:
            case.next_control_date = sooner
            case.save(update_fields=["next_control_date", "updated_at"])
    return plan


# ---------------------------------------------------------------- control visits


def _signa_key(signa: str) -> str:
    return "".join(signa.lower().split())


def prescription_rules_check(
    *,
    case: PrbCase,
    lines: Sequence[VisitLineInput],
    facts: dict[str, Any],
    dpjp_approval: str = "",
) -> tuple[list[str], list[str]]:
    """The KMK's limits on a month's prescription at FKTP: (errors, warnings).

    - Anti-seizure medicines: no change of dose or form at FKTP without the
      hospital doctor (III.B.6.a.3.a); a change is a different medicine row
      (strength/form), a different signa, a new one or one left out.
    - Basal insulin: at most 20 units a day at primary care (II.B.1.a, III.B.1.d.3).
    """
    errors: list[str] = []
    warnings: list[str] = []
    anti_seizure = _anti_seizure_ids(case)
    current = {
        entry["medicine"]: _signa_key(entry.get("signa", ""))
        for entry in case.current_regimen
        if entry["medicine"] in anti_seizure
    }
    prescribed = {
        line.medicine.pk: _signa_key(line.signa)
        for line in lines
        if line.medicine.rule_group == Medicine.RuleGroup.ANTI_SEIZURE
    }
    if lines and current != prescribed:
        names = {entry["medicine"]: entry["name"] for entry in case.current_regimen}
        names.update({line.medicine.pk: str(line.medicine) for line in lines})
        changed = sorted(
            names[pk]
            for pk in set(current) | set(prescribed)
            if current.get(pk) != prescribed.get(pk)
        )
        if dpjp_approval.strip():
            warnings.append(
                _("Anti-seizure medicine changed with the DPJP's agreement: %(who)s.")
                % {"who": dpjp_approval.strip()}
            )
        else:
            errors.append(
                _(
                    "Anti-seizure medicine %(medicines)s: the dose or form may not be changed "
                    "at the puskesmas without the hospital doctor (DPJP) (KMK III.B.6.a.3.a). "
                    "Prescribe the current regimen or re-refer (III.B.6.d.3)."
                )
                % {"medicines": ", ".join(changed)}
            )
    for line in lines:
        if line.medicine.rule_group != Medicine.RuleGroup.BASAL_INSULIN:
            continue
        dose = line.daily_dose
        if dose is None:
            dose = facts.get("basal_insulin_units_per_day")
        if dose is None:
            errors.append(
                _("%(medicine)s: enter the daily dose in units (KMK II.B.1.a).")
                % {"medicine": line.medicine}
            )
        elif dose > BASAL_INSULIN_MAX_UNITS:
            errors.append(
                _(
                    "%(medicine)s: %(dose)s units/day is above the 20 units/day allowed at "
                    "primary care (KMK II.B.1.a, III.B.1.d.3); re-refer the patient to the "
                    "hospital."
                )
                % {"medicine": line.medicine, "dose": f"{dose:g}"}
            )
        elif dose == BASAL_INSULIN_MAX_UNITS:
            warnings.append(
                _(
                    "%(medicine)s: 20 units/day is the most primary care may give (KMK "
                    "III.B.1.d.3); any increase means re-referral."
                )
                % {"medicine": line.medicine}
            )
    return errors, warnings


def _anti_seizure_ids(case: PrbCase) -> set[int]:
    ids = [entry["medicine"] for entry in case.current_regimen]
    return set(
        Medicine.objects.filter(pk__in=ids, rule_group=Medicine.RuleGroup.ANTI_SEIZURE).values_list(
            "pk", flat=True
        )
    )


def case_medicines_unavailable(case: PrbCase) -> bool | None:
    """Hook for the "medicines not available" re-referral criterion (III.B.x.d).

    True when any medicine of the case's current regimen cannot be given for a
    whole month from the puskesmas's dispensing PRB stores (usable, unexpired
    units below the monthly quantity), read through ``pharmacy.selectors.
    stock_levels``. Where the puskesmas keeps no PRB store in the system yet,
    the fact the doctor entered at the latest visit decides (None = unknown).
    """
    from pharmacy.models import Store
    from pharmacy.selectors import stock_levels

    stores = list(Store.objects.filter(facility_id=case.facility_id, kind__in=Store.DISPENSING))
    if stores and case.current_regimen:
        usable: dict[int, int] = {}
        for store in stores:
            for row in stock_levels(store=store):
                usable[row.medicine.pk] = usable.get(row.medicine.pk, 0) + row.usable_quantity
        return any(
            usable.get(entry["medicine"], 0) < entry.get("quantity", 1)
            for entry in case.current_regimen
        )
    latest = case.visits.order_by("-visit_date", "-id").values_list("facts", flat=True).first()
    if latest is None:
        return None
    return latest.get("medicines_unavailable")


def _mark_monitoring_done(case: PrbCase, visit: ControlVisit) -> None:
    plan = case.care_plans.order_by("-started_on", "-id").first()
    if plan is None:
        return
    recorded = set(visit.facts)
    if visit.weight_kg is not None:
        recorded.add("weight_bmi")
    due = plan.monitoring.filter(
        done_on__isnull=True, due_on__lte=visit.visit_date + dt.timedelta(days=15)
    ).order_by("due_on", "id")
    done_codes: set[str] = set()
    for item in due:
        if item.code in done_codes:
            continue
        if recorded & set(item.facts) or (item.code == "weight_bmi" and "weight_bmi" in recorded):
            item.done_on = visit.visit_date
            item.done_visit = visit
            item.save(update_fields=["done_on", "done_visit"])
            done_codes.add(item.code)


def visit_record(
    *,
    actor: Any,
    case: PrbCase,
    visit_date: dt.date,
    adherence: str,
    facts: dict[str, Any] | None = None,
    next_control_date: dt.date | None = None,
    weight_kg: Any = None,
    height_cm: Any = None,
    symptoms: str = "",
    side_effects: str = "",
    lines: Sequence[VisitLineInput] = (),
    dpjp_approval: str = "",
) -> ControlVisit:
    """Record a control visit, its prescription and the re-referral verdict at once.

    The prescription becomes the pharmacy's dispensing request; the KMK limits
    and the formulary maximum are checked first, and nothing is saved if any
    check fails.
    """
    facts = dict(facts or {})
    errors: dict[str, list[str]] = {}
    if not case.in_care:
        raise ValidationError(
            _("Control visits are recorded only for cases in care (status %(status)s).")
            % {"status": case.get_status_display()}
        )
    if visit_date > local_today():
        errors["visit_date"] = [_("The visit date cannot be in the future.")]
    elif visit_date < case.baseline_on:
        errors["visit_date"] = [_("The visit date cannot be before the enrolment.")]
    plan = case.care_plans.order_by("-started_on", "-id").first()
    interval = plan.control_interval_days if plan else kmk.CONTROL_INTERVAL_DAYS
    next_control_date = next_control_date or visit_date + dt.timedelta(days=interval)
    if next_control_date <= visit_date:
        errors["next_control_date"] = [_("The next control must be after the visit.")]
    if "medicines_unavailable" not in facts and case_medicines_unavailable(case):
        facts["medicines_unavailable"] = True
    rule_errors, warnings = prescription_rules_check(
        case=case, lines=lines, facts=facts, dpjp_approval=dpjp_approval
    )
    if rule_errors:
        errors["lines"] = rule_errors
    evaluation: dict[str, Any] = {}
    if "visit_date" not in errors:
        try:
            evaluation = re_referral_evaluate(
                case=case,
                as_of=visit_date,
                new_visit={"date": visit_date.isoformat(), "facts": facts},
            )
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        prescription = None
        if lines:
            prescription = prescription_create(
                actor=actor,
                patient=case.patient,
                prescribed_on=visit_date,
                lines=[
                    PrescriptionLineInput(line.medicine, line.quantity, line.signa)
                    for line in lines
                ],
                reference=f"PRB {case.pk}",
            )
        visit = ControlVisit(
            case=case,
            visit_date=visit_date,
            facts=facts,
            weight_kg=weight_kg,
            height_cm=height_cm,
            symptoms=symptoms,
            adherence=adherence,
            side_effects=side_effects,
            prescription=prescription,
            dpjp_approval=dpjp_approval.strip(),
            warnings=warnings,
            next_control_date=next_control_date,
            evaluation=evaluation,
            outcome=evaluation["outcome"],
            recorded_by=actor,
        )
        visit.full_clean()
        visit.save()
        update = ["updated_at"]
        later = case.visits.filter(visit_date__gt=visit_date).exists()
        if not later:  # a late entry of an older visit does not move the schedule
            case.next_control_date = next_control_date
            update.append("next_control_date")
        if case.status == PrbCase.Status.BACK_FROM_HOSPITAL:
            case.status = PrbCase.Status.ACTIVE
            case.status_changed_on = visit_date
            update += ["status", "status_changed_on"]
        if lines:
            case.current_regimen = [
                {
                    "medicine": line.medicine.pk,
                    "name": str(line.medicine),
                    "strength": line.medicine.strength,
                    "signa": line.signa,
                    "quantity": line.quantity,
                }
                for line in lines
            ]
            update.append("current_regimen")
        case.save(update_fields=update)
        _mark_monitoring_done(case, visit)
    return visit


# ---------------------------------------------------------------- re-referral and status


def _rereferral_clause_ids(program: str) -> set[str]:
    from eligibility.rules import criteria_catalogue

    return {
        clause["id"]
        for clause in criteria_catalogue()
        if clause["mode"] == "re_referral" and clause["program"] == program
    }


def rereferral_create(
    *,
    actor: Any,
    case: PrbCase,
    hospital: Facility,
    referred_on: dt.date,
    clause_ids: Sequence[str] = (),
    doctor_reason: str = "",
    visit: ControlVisit | None = None,
) -> ReReferral:
    """Rujuk ulang: from triggered criteria and/or the doctor's reason; the case follows."""
    errors: dict[str, list[str]] = {}
    if not case.in_care:
        raise ValidationError(
            _("Only a case in care can be re-referred (status %(status)s).")
            % {"status": case.get_status_display()}
        )
    if hospital.kind != Facility.Kind.RUMAH_SAKIT:
        errors["hospital"] = [_("The destination must be a hospital (FKRTL).")]
    if referred_on > local_today():
        errors["referred_on"] = [_("The referral date cannot be in the future.")]
    unknown = set(clause_ids) - _rereferral_clause_ids(case.program)
    if unknown:
        errors["clause_ids"] = [
            _("Not a re-referral criterion of this programme: %(ids)s")
            % {"ids": ", ".join(sorted(unknown))}
        ]
    if not clause_ids and not doctor_reason.strip():
        errors["doctor_reason"] = [_("Choose a triggered criterion or give the doctor's reason.")]
    if errors:
        raise ValidationError(errors)
    source_visit = visit or case.visits.order_by("-visit_date", "-id").first()
    with transaction.atomic():
        case = PrbCase.objects.select_for_update().get(pk=case.pk)
        year_count = ReReferral.objects.filter(
            case__facility=case.facility, referred_on__year=referred_on.year
        ).count()
        referral = ReReferral(
            case=case,
            hospital=hospital,
            referred_on=referred_on,
            letter_number=(
                f"RU/{case.facility.kemenkes_code}/{referred_on.year}/{year_count + 1:04d}"
            ),
            clause_ids=list(clause_ids),
            doctor_reason=doctor_reason.strip(),
            visit=source_visit,
            evaluation=source_visit.evaluation if source_visit else {},
            created_by=actor,
        )
        referral.full_clean()
        referral.save()
        case.status = PrbCase.Status.RE_REFERRED
        case.status_changed_on = referred_on
        case.save(update_fields=["status", "status_changed_on", "updated_at"])
    return referral


# Statuses a user may set by hand; re-referral and return from hospital have their own services.
MANUAL_TRANSITIONS: dict[str, set[str]] = {
    PrbCase.Status.ACTIVE: {"pindah", "meninggal", "putus_berobat", "selesai"},
    PrbCase.Status.BACK_FROM_HOSPITAL: {"pindah", "meninggal", "putus_berobat", "selesai"},
    PrbCase.Status.RE_REFERRED: {"pindah", "meninggal", "selesai"},
    PrbCase.Status.DROPPED_OUT: {"aktif", "pindah", "meninggal", "selesai"},
}


def case_status_change(
    *, actor: Any, case: PrbCase, status: str, note: str = "", on: dt.date | None = None
) -> PrbCase:
    allowed = MANUAL_TRANSITIONS.get(case.status, set())
    if status not in allowed:
        raise ValidationError(
            {
                "status": [
                    _("A case with status %(current)s cannot be set to %(new)s here.")
                    % {
                        "current": case.get_status_display(),
                        "new": dict(PrbCase.Status.choices).get(status, status),
                    }
                ]
            }
        )
    case.status = status
    case.status_note = note.strip()
    case.status_changed_on = on or local_today()
    with transaction.atomic():
        case.full_clean()
        case.save(update_fields=["status", "status_note", "status_changed_on", "updated_at"])
    return case


# ---------------------------------------------------------------- Pustu, home visits, contacts


def case_assign_pustu(*, actor: Any, case: PrbCase, pustu: Facility | None) -> PrbCase:
    """Share the patient with the Pustu where they live (BAB III.A, Pustu 1)."""
    patient_update(actor=actor, patient=case.patient, pustu=pustu)
    return case


def home_visit_record(
    *,
    actor: Any,
    case: PrbCase,
    visited_on: dt.date,
    visitor_role: str,
    visitor_name: str,
    findings: str,
    follow_up: str = "",
) -> HomeVisit:
    if visited_on > local_today():
        raise ValidationError({"visited_on": [_("The visit date cannot be in the future.")]})
    visit = HomeVisit(
        case=case,
        visited_on=visited_on,
        visitor_role=visitor_role,
        visitor_name=visitor_name.strip(),
        findings=findings.strip(),
        follow_up=follow_up.strip(),
        recorded_by=actor,
    )
    with transaction.atomic():
        visit.full_clean()
        visit.save()
    return visit


def contact_attempt_record(
    *,
    actor: Any,
    case: PrbCase,
    channel: str,
    outcome: str,
    agreed_date: dt.date | None = None,
    note: str = "",
    attempted_at: dt.datetime | None = None,
) -> ContactAttempt:
    """Record a reminder call; "agreed" moves the case's next control to the agreed date."""
    if outcome == ContactAttempt.Outcome.AGREED:
        if agreed_date is None:
            raise ValidationError({"agreed_date": [_("Enter the agreed control date.")]})
        if agreed_date < local_today():
            raise ValidationError({"agreed_date": [_("The agreed date cannot be in the past.")]})
    attempt = ContactAttempt(
        case=case,
        attempted_at=attempted_at or timezone.now(),
        channel=channel,
        outcome=outcome,
        agreed_date=agreed_date if outcome == ContactAttempt.Outcome.AGREED else None,
        note=note.strip(),
        by=actor,
    )
    with transaction.atomic():
        attempt.full_clean()
        attempt.save()
        if attempt.agreed_date:
            case.next_control_date = attempt.agreed_date
            case.save(update_fields=["next_control_date", "updated_at"])
    return attempt


# ---------------------------------------------------------------- care plan and readiness


def monitoring_item_complete(
    *, actor: Any, item: MonitoringItem, done_on: dt.date | None = None
) -> MonitoringItem:
    done_on = done_on or local_today()
    if done_on > local_today():
        raise ValidationError({"done_on": [_("The date cannot be in the future.")]})
    item.done_on = done_on
    with transaction.atomic():
        item.full_clean()
        item.save(update_fields=["done_on"])
    return item


def self_management_tick(
    *, actor: Any, item: SelfManagementItem, taught: bool
) -> SelfManagementItem:
    item.taught_on = local_today() if taught else None
    item.taught_by = actor if taught else None
    with transaction.atomic():
        item.full_clean()
        item.save(update_fields=["taught_on", "taught_by"])
    return item


def readiness_update(
    *, actor: Any, facility: Facility, program: str, available: Sequence[str], note: str = ""
) -> FacilityReadiness:
    known = {code for code, _text in kmk.RESOURCES[program]}
    unknown = set(available) - known
    if unknown:
        raise ValidationError(
            {
                "available": [
                    _("Unknown resource: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
                ]
            }
        )
    with transaction.atomic():
        row, _created = FacilityReadiness.objects.select_for_update().get_or_create(
            facility=facility,
            program=program,
            defaults={"updated_by": actor, "available": sorted(available), "note": note},
        )
        row.available = sorted(available)
        row.note = note.strip()
        row.updated_by = actor
        row.full_clean()
        row.save(update_fields=["available", "note", "updated_by", "updated_at"])
    return row


__all__ = [
    "IN_CARE_STATUSES",
    "LetterMedicineInput",
    "PatientInput",
    "VisitLineInput",
    "back_referral_evaluate",
    "case_assign_pustu",
    "case_medicines_unavailable",
    "case_status_change",
    "contact_attempt_record",
    "home_visit_record",
    "letter_accept",
    "letter_receive",
    "letter_receive_idempotent",
    "letter_return",
    "monitoring_item_complete",
    "prescription_rules_check",
    "re_referral_evaluate",
    "readiness_update",
    "rereferral_create",
    "self_management_tick",
    "visit_record",
]
