"""Control visits, the visit prescription rules, home visits, contact attempts and re-referrals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from eligibility.rules import criteria_catalogue
from facilities.models import Facility
from facilities.services import facility_sequence_next
from lib import workdays
from pharmacy.models import Medicine
from pharmacy.rules import prescriptions as rx
from pharmacy.services.prescriptions import (
    PrescriptionLineInput,
    prescription_create,
    prescription_drug,
    prescription_rule_messages,
)
from referrals import kmk
from referrals.models import (
    BackReferralLetter,
    ContactAttempt,
    ControlVisit,
    HomeVisit,
    PrbCase,
    ReReferral,
)
from referrals.services.care_plans import care_plan_follow_regimen, monitoring_mark_done
from referrals.services.engine import (
    case_medicines_unavailable,
    local_today,
    re_referral_evaluate,
)
from satusehat.outbox import satusehat_case_event_queue, satusehat_episode_queue


@dataclass(frozen=True)
class VisitLineInput:
    medicine: Medicine
    quantity: int
    signa: str
    daily_dose: float | None = None  # IU/day for basal insulin, mg/day for a corticosteroid


# ---------------------------------------------------------------- control visits


def prescription_case_context(
    *,
    case: PrbCase,
    supply_days: int,
    dpjp_approval: str = "",
    facts: dict[str, Any] | None = None,
    rule_groups: dict[int, str] | None = None,
    letter_medicines: Sequence[str] | None = None,
) -> rx.CaseContext:
    """What the prescription rules need to know about the case (pure data).

    ``rule_groups`` (medicine id → rule group, for the regimen's medicines) and
    ``letter_medicines`` (the generic names on the accepted letter) are read here unless
    the caller passes them.
    """
    if rule_groups is None:
        ids = [entry["medicine"] for entry in case.current_regimen]
        rule_groups = dict(Medicine.objects.filter(pk__in=ids).values_list("pk", "rule_group"))
    if letter_medicines is None:
        letter = (
            case.letters.filter(status=BackReferralLetter.Status.ACCEPTED)
            .order_by("-decided_at", "-id")
            .first()
        )
        letter_medicines = (
            tuple(letter.medicines.values_list("medicine__name", flat=True)) if letter else ()
        )
    return rx.CaseContext(
        program=case.program,
        regimen=tuple(
            rx.RegimenEntry(
                entry["medicine"],
                entry["name"],
                entry.get("signa", ""),
                rule_groups.get(entry["medicine"], ""),
            )
            for entry in case.current_regimen
        ),
        letter_medicines=tuple(letter_medicines),
        supply_days=supply_days,
        dpjp_approval=dpjp_approval,
        basal_insulin_units_per_day=(facts or {}).get("basal_insulin_units_per_day"),
    )


def prescription_rules_check(
    *,
    case: PrbCase,
    lines: Sequence[VisitLineInput],
    facts: dict[str, Any],
    dpjp_approval: str = "",
    supply_days: int = kmk.CONTROL_INTERVAL_DAYS,
    rule_groups: dict[int, str] | None = None,
    letter_medicines: Sequence[str] | None = None,
) -> tuple[list[str], list[str]]:
    """The KMK's limits on a month's prescription at FKTP: (errors, warnings).

    The rules themselves are ``pharmacy.rules.prescriptions`` (the visit form's
    live check calls this same function). ``rule_groups`` and ``letter_medicines``:
    see ``prescription_case_context``.
    """
    context = prescription_case_context(
        case=case,
        supply_days=supply_days,
        dpjp_approval=dpjp_approval,
        facts=facts,
        rule_groups=rule_groups,
        letter_medicines=letter_medicines,
    )
    check = rx.visit_problems(
        context,
        [
            rx.Line(prescription_drug(line.medicine), line.quantity, line.signa, line.daily_dose)
            for line in lines
        ],
    )
    return prescription_rule_messages(check.errors), prescription_rule_messages(check.warnings)


def visit_record(
    *,
    actor: User,
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
    elif case.visits.filter(visit_date=visit_date).exists():
        errors["visit_date"] = [
            _("A control visit on this date is already recorded for this case.")
        ]
    plan = case.care_plans.order_by("-started_on", "-id").first()
    interval = plan.control_interval_days if plan else kmk.CONTROL_INTERVAL_DAYS
    next_control_date = next_control_date or workdays.next_control_day(visit_date, interval)
    if next_control_date <= visit_date:
        errors["next_control_date"] = [_("The next control must be after the visit.")]
    if "medicines_unavailable" not in facts and case_medicines_unavailable(case):
        facts["medicines_unavailable"] = True
    rule_errors, warnings = prescription_rules_check(
        case=case,
        lines=lines,
        facts=facts,
        dpjp_approval=dpjp_approval,
        supply_days=(next_control_date - visit_date).days,
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
        if lines:
            care_plan_follow_regimen(case=case, on=visit_date)
        monitoring_mark_done(case, visit)
        satusehat_case_event_queue(case, kind="visit", visit_id=visit.pk)
    return visit


# ---------------------------------------------------------------- re-referral and status


def _rereferral_clause_ids(program: str) -> set[str]:
    return {
        clause["id"]
        for clause in criteria_catalogue()
        if clause["mode"] == "re_referral" and clause["program"] == program
    }


def rereferral_create(
    *,
    actor: User,
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
        # Rujuk ulang letters are numbered per facility per year by the one allocator.
        sequence = facility_sequence_next(
            facility_id=case.facility_id,
            kind="rereferral",
            period=f"{referred_on.year}",
            floor=lambda: ReReferral.objects.filter(
                case__facility_id=case.facility_id, referred_on__year=referred_on.year
            ).count(),
        )
        referral = ReReferral(
            case=case,
            hospital=hospital,
            referred_on=referred_on,
            letter_number=(f"RU/{case.facility.kemenkes_code}/{referred_on.year}/{sequence:04d}"),
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
        satusehat_case_event_queue(case, kind="rereferral", referral_id=referral.pk)
        satusehat_episode_queue(case)
    return referral


def home_visit_record(
    *,
    actor: User,
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
    actor: User,
    case: PrbCase,
    channel: str,
    outcome: str,
    agreed_date: dt.date | None = None,
    note: str = "",
    attempted_at: dt.datetime | None = None,
) -> ContactAttempt:
    """Record a reminder call; "agreed" with a date moves the case's next control to it."""
    if (
        outcome == ContactAttempt.Outcome.AGREED
        and agreed_date is not None
        and agreed_date < local_today()
    ):
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
