"""The demo district, built in bulk, is as valid as the services would have made it."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from dashboards import services as dashboards
from dashboards.models import DirtyMonth, MonthlyFact
from demo import world
from lib import workdays
from pharmacy.selectors import stock_ledger_differences
from referrals import kmk
from referrals.models import (
    BackReferralLetter,
    ContactAttempt,
    ControlVisit,
    MonitoringItem,
    PrbCase,
    ReadinessGap,
)
from referrals.selectors import facility_readiness
from referrals.services import re_referral_evaluate

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    labels = ("referrals", "pharmacy", "patients", "alerts", "dashboards", "facilities")
    return {
        model._meta.label: model.objects.count()
        for label in labels
        for model in apps.get_app_config(label).get_models()
    }


def _the_stock_card_agrees_with_the_stock_on_hand() -> None:
    assert stock_ledger_differences() == []


def _every_accepted_letter_has_its_case_care_plan_and_readiness_plan() -> None:
    accepted = BackReferralLetter.objects.filter(status=BackReferralLetter.Status.ACCEPTED)
    assert accepted.count() > 40
    for letter in accepted.select_related("case"):
        case = letter.case
        assert case is not None and case.patient_id == letter.patient_id
        plan = case.care_plans.get()
        assert plan.started_on == case.enrolled_on
        assert plan.monitoring.exists() and plan.self_management.exists()
        missing = {
            code
            for code, _text, available in facility_readiness(
                facility_id=letter.facility_id, program=letter.program
            ).items
            if not available
        }
        assert set(ReadinessGap.objects.filter(letter=letter).values_list("code", flat=True)) == (
            missing
        )


def _the_schedule_follows_the_last_visit_and_each_verdict_is_the_services() -> None:
    agreed = ContactAttempt.objects.filter(outcome=ContactAttempt.Outcome.AGREED)
    cases = PrbCase.objects.exclude(pk__in=agreed.values("case_id")).select_related("patient")
    checked = 0
    for case in cases:
        last = case.visits.order_by("-visit_date").first()
        if last is None:
            expected = workdays.next_control_day(case.enrolled_on, kmk.CONTROL_INTERVAL_DAYS)
        else:
            expected = last.next_control_date
        assert case.next_control_date == expected, case
        for visit in case.visits.all():
            fresh = re_referral_evaluate(case=case, as_of=visit.visit_date)
            assert visit.evaluation == fresh, (case, visit.visit_date)
            assert visit.outcome == fresh["outcome"]
            checked += 1
    assert checked > 100
    assert ControlVisit.objects.filter(outcome=ControlVisit.Outcome.RE_REFER).exists()
    assert PrbCase.objects.filter(status=PrbCase.Status.RE_REFERRED).exists()


def _monitoring_items_are_ticked_by_a_visit_of_their_own_case() -> None:
    done = MonitoringItem.objects.filter(done_on__isnull=False).select_related(
        "done_visit", "care_plan"
    )
    assert done.exists()
    for item in done:
        assert item.done_visit is not None
        assert item.done_visit.visit_date == item.done_on
        assert item.done_visit.case_id == item.care_plan.case_id
        assert set(item.facts) & set(item.done_visit.facts) or item.code == "weight_bmi"


def _facts() -> list[tuple]:
    fields = [
        f.attname for f in MonthlyFact._meta.concrete_fields if f.name not in ("id", "computed_at")
    ]
    return sorted(MonthlyFact.objects.values_list(*fields))


def _the_dashboard_facts_are_those_a_rebuild_computes() -> None:
    assert not DirtyMonth.objects.exists()
    seeded_facts = _facts()
    dashboards.facts_rebuild()
    assert _facts() == seeded_facts
    assert any(row for row in MonthlyFact.objects.values_list("active", flat=True))


def test_the_seeded_district_is_consistent_and_a_second_run_adds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One build for every check: the seed is the slow part.
    monkeypatch.setattr(world, "PATIENTS_PER_PUSKESMAS", 8)
    call_command("seed_demo", stdout=io.StringIO())
    _the_stock_card_agrees_with_the_stock_on_hand()
    _every_accepted_letter_has_its_case_care_plan_and_readiness_plan()
    _the_schedule_follows_the_last_visit_and_each_verdict_is_the_services()
    _monitoring_items_are_ticked_by_a_visit_of_their_own_case()
    counts = _row_counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert _row_counts() == counts  # audit events included: nothing is saved again
    assert "Demo district ready" in out.getvalue()
    _the_dashboard_facts_are_those_a_rebuild_computes()
