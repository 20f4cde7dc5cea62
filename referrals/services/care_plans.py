"""Care plans: created on acceptance, edited, and their monitoring and self-management items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from eligibility.rules.instruments import age_in_years
from lib import workdays
from lib.months import add_months_same_day
from referrals import kmk
from referrals.models import (
    CarePlan,
    ControlVisit,
    MonitoringItem,
    PrbCase,
    SelfManagementItem,
)
from referrals.services.engine import local_today


def _regimen_names(case: PrbCase) -> list[str]:
    return [entry.get("name", "") for entry in case.current_regimen]


def _monitoring_items(plan: CarePlan, items: list[kmk.ScheduledItem]) -> list[MonitoringItem]:
    return [
        MonitoringItem(
            care_plan=plan,
            code=item.code,
            label=item.label,
            clause=item.clause,
            due_on=item.due_on,
            facts=list(item.facts),
        )
        for item in items
    ]


def care_plan_new(*, actor: User, case: PrbCase, start: dt.date, interval: int) -> CarePlan:
    """The unsaved care plan of a case enrolled (or back from hospital) on ``start``."""
    return CarePlan(
        case=case,
        started_on=start,
        control_interval_days=interval,
        targets=kmk.TARGETS[case.program],
        created_by=actor,
    )


def care_plan_items(plan: CarePlan) -> tuple[list[MonitoringItem], list[SelfManagementItem]]:
    """The unsaved monitoring and self-management items of a saved plan; schizophrenia
    items follow the case's regimen and the patient's age (III.B.8.b.3)."""
    case = plan.case
    schedule = kmk.monitoring_schedule(
        case.program,
        plan.started_on,
        regimen=_regimen_names(case),
        age=age_in_years(case.patient.birth_date, plan.started_on),
    )
    clause = kmk.self_management_clause(case.program)
    advice = [
        SelfManagementItem(care_plan=plan, code=code, text=text, clause=f"{clause}.{index}")
        for index, (code, text) in enumerate(kmk.SELF_MANAGEMENT[case.program], start=1)
    ]
    return _monitoring_items(plan, schedule), advice


def care_plan_create(*, actor: User, case: PrbCase, start: dt.date, interval: int) -> CarePlan:
    """The care plan at acceptance, with its monitoring and self-management items."""
    plan = care_plan_new(actor=actor, case=case, start=start, interval=interval)
    plan.full_clean()
    plan.save()
    monitoring, advice = care_plan_items(plan)
    MonitoringItem.objects.bulk_create(monitoring)
    SelfManagementItem.objects.bulk_create(advice)
    return plan


def care_plan_follow_regimen(*, case: PrbCase, on: dt.date) -> list[MonitoringItem]:
    """A regimen changed at a visit: add the regimen's monitoring items the current plan
    lacks (a blood count when clozapine starts, an ECG for a QT-prolonging antipsychotic),
    scheduled from the visit."""
    plan = case.care_plans.order_by("-started_on", "-id").first()
    if plan is None or case.program != "SCHIZOPHRENIA":
        return []
    needed = kmk.schizophrenia_items(
        _regimen_names(case), age_in_years(case.patient.birth_date, on)
    )
    planned = set(plan.monitoring.filter(due_on__gte=on).values_list("code", flat=True))
    missing = [item for item in needed if item.code not in planned]
    items = [
        kmk.ScheduledItem(
            item.code, item.label, item.clause, add_months_same_day(on, month), item.facts
        )
        for item in missing
        for month in item.months
    ]
    return MonitoringItem.objects.bulk_create(_monitoring_items(plan, items))


def care_plan_update(
    *, actor: User, plan: CarePlan, place: str, control_interval_days: int, targets: str
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
        sooner = workdays.control_day(
            anchor + dt.timedelta(days=control_interval_days), after=anchor
        )
        if case.in_care and case.next_control_date and sooner < case.next_control_date:
            case.next_control_date = sooner
            case.save(update_fields=["next_control_date", "updated_at"])
    return plan


def monitoring_done_at(
    items: Iterable[MonitoringItem], visit: ControlVisit
) -> list[MonitoringItem]:
    """Tick the items a visit completes (pure): of the open items due by 15 days after the
    visit, in due order, the first of each code whose facts the visit recorded. Returns the
    items ticked (``done_on`` and ``done_visit`` set, not saved)."""
    recorded = set(visit.facts)
    if visit.weight_kg is not None:
        recorded.add("weight_bmi")
    horizon = visit.visit_date + dt.timedelta(days=15)
    due = sorted(
        (item for item in items if item.done_on is None and item.due_on <= horizon),
        key=lambda item: (item.due_on, item.pk or 0),
    )
    done: list[MonitoringItem] = []
    done_codes: set[str] = set()
    for item in due:
        if item.code in done_codes:
            continue
        if recorded & set(item.facts) or (item.code == "weight_bmi" and "weight_bmi" in recorded):
            item.done_on = visit.visit_date
            item.done_visit = visit
            done.append(item)
            done_codes.add(item.code)
    return done


def monitoring_mark_done(case: PrbCase, visit: ControlVisit) -> None:
    plan = case.care_plans.order_by("-started_on", "-id").first()
    if plan is None:
        return
    due = plan.monitoring.filter(
        done_on__isnull=True, due_on__lte=visit.visit_date + dt.timedelta(days=15)
    )
    for item in monitoring_done_at(due, visit):
        item.save(update_fields=["done_on", "done_visit"])


# ---------------------------------------------------------------- care plan and readiness


def monitoring_item_complete(
    *, actor: User, item: MonitoringItem, done_on: dt.date | None = None
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
    *, actor: User, item: SelfManagementItem, taught: bool
) -> SelfManagementItem:
    item.taught_on = local_today() if taught else None
    item.taught_by = actor if taught else None
    with transaction.atomic():
        item.full_clean()
        item.save(update_fields=["taught_on", "taught_by"])
    return item
