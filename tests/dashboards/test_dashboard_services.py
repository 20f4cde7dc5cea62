"""The facts refresh: triggers queue the changed months, the task redoes only those."""

import datetime as dt

from django.core.management import call_command

from dashboards import services, tasks
from dashboards.models import DirtyMonth, MonthlyFact
from referrals.models import PrbCase
from tests.dashboards.factories import CaseFactory, LetterFactory, ReReferralFactory, VisitFactory

NOV, OCT, AUG = dt.date(2026, 11, 1), dt.date(2026, 10, 1), dt.date(2026, 8, 1)


def queued() -> set[tuple[int, str, dt.date]]:
    return set(DirtyMonth.objects.values_list("facility_id", "program", "month"))


def test_triggers_queue_the_earliest_month_a_change_can_move(world, frozen_today):
    case = CaseFactory(patient=world.patient1, enrolled_on=dt.date(2026, 3, 4))
    assert queued() == {(world.pkm1.pk, "DM", dt.date(2026, 3, 1))}
    DirtyMonth.objects.all().delete()
    VisitFactory(case=case, visit_date=dt.date(2026, 8, 30))
    LetterFactory(patient=world.patient2, letter_date=dt.date(2026, 10, 2), program="HT")
    assert queued() == {(world.pkm1.pk, "DM", AUG), (world.pkm2.pk, "HT", OCT)}
    DirtyMonth.objects.all().delete()
    case.status, case.status_changed_on = PrbCase.Status.DIED, dt.date(2026, 11, 2)
    case.save()
    ReReferralFactory(case=CaseFactory(patient=world.patient2), referred_on=dt.date(2026, 10, 9))
    assert (world.pkm1.pk, "DM", NOV) in queued()
    assert (world.pkm2.pk, "DM", OCT) in queued()


def test_a_case_update_that_moves_no_figure_queues_nothing(world, frozen_today):
    case = CaseFactory(patient=world.patient1)
    DirtyMonth.objects.all().delete()
    case.next_control_date = dt.date(2026, 12, 1)
    case.status_note = "telepon"
    case.save()
    assert queued() == set()


def test_the_task_recomputes_from_the_queued_month_to_today_and_empties_the_queue(
    world, frozen_today
):
    services.facts_rebuild(months=6)
    assert MonthlyFact.objects.filter(facility=world.pkm1, program="DM", active=1).count() == 0
    case = CaseFactory(patient=world.patient1, enrolled_on=dt.date(2026, 9, 15))
    VisitFactory(case=case, visit_date=dt.date(2026, 10, 15))
    untouched = MonthlyFact.objects.get(facility=world.pkm2, program="DM", month=NOV)
    written = tasks.facts_refresh_dirty.delay().get()
    assert written == 3  # September, October, November of pkm1 × DM
    active = dict(
        MonthlyFact.objects.filter(facility=world.pkm1, program="DM").values_list("month", "active")
    )
    assert active[dt.date(2026, 8, 1)] == 0
    assert active[dt.date(2026, 9, 1)] == active[OCT] == active[NOV] == 1
    assert not DirtyMonth.objects.exists()
    assert MonthlyFact.objects.get(pk=untouched.pk).computed_at == untouched.computed_at
    assert tasks.facts_refresh_dirty.delay().get() == 0


def test_rebuild_covers_every_puskesmas_programme_and_month(world, frozen_today):
    CaseFactory(patient=world.patient1, enrolled_on=dt.date(2026, 9, 15))
    call_command("dashboard_facts", "--rebuild", "--months", "3")
    puskesmas = 3  # pkm1, pkm2, pkm3 (the Pustu has no facts of its own)
    assert MonthlyFact.objects.count() == puskesmas * 12 * 3
    assert MonthlyFact.objects.get(facility=world.pkm1, program="DM", month=OCT).active == 1
    assert not DirtyMonth.objects.exists()


def test_the_current_month_rolls_on_each_night(world, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 20, 9, 0), tick=False)
    services.facts_refresh_current()
    assert MonthlyFact.objects.get(facility=world.pkm1, program="DM", month=NOV).as_of == dt.date(
        2026, 11, 20
    )
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, 0), tick=False)
    tasks.facts_refresh_current.delay().get()
    assert MonthlyFact.objects.get(facility=world.pkm1, program="DM", month=NOV).as_of == dt.date(
        2026, 11, 30
    )
    assert MonthlyFact.objects.filter(month=dt.date(2026, 12, 1)).count() == 3 * 12
