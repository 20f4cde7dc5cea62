"""The facts refresh: triggers queue the changed months, the task redoes only those."""

import datetime as dt

from django.core.management import call_command

from dashboards import services, tasks
from dashboards.models import DirtyMonth, MonthlyFact
from referrals.models import PrbCase
from tests.conftest import nine_in_jakarta
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


def test_the_current_month_rolls_on_each_night(world, frozen_today, time_machine):
    services.facts_refresh_current()
    assert MonthlyFact.objects.get(facility=world.pkm1, program="DM", month=NOV).as_of == dt.date(
        2026, 11, 20
    )
    time_machine.move_to(nine_in_jakarta(dt.date(2026, 12, 1)), tick=False)  # the next night
    tasks.facts_refresh_current.delay().get()
    assert MonthlyFact.objects.get(facility=world.pkm1, program="DM", month=NOV).as_of == dt.date(
        2026, 11, 30
    )
    assert MonthlyFact.objects.filter(month=dt.date(2026, 12, 1)).count() == 3 * 12


def _facts() -> dict[tuple[int, str, dt.date], tuple]:
    fields = [f.name for f in MonthlyFact._meta.fields if f.name not in ("id", "computed_at")]
    return {(row[0], row[1], row[2]): row for row in MonthlyFact.objects.values_list(*fields)}


def test_a_lot_expiry_change_moves_the_dashboard_to_match_a_rebuild(world, frozen_today):
    from pharmacy import services as pharmacy
    from pharmacy.models import Lot
    from tests.pharmacy.factories import MedicineFactory, StoreFactory

    store = StoreFactory(facility=world.pkm1)
    medicine = MedicineFactory(is_tracer=True, programs=["DM"], price=100)
    pharmacy.stock_receive(
        actor=world.farmasi1,
        store=store,
        received_on=dt.date(2026, 9, 3),
        lines=[pharmacy.ReceiptLineInput(medicine, "EXP-1", dt.date(2028, 1, 31), 40)],
    )
    services.facts_rebuild(months=6)
    before = MonthlyFact.objects.get(facility=world.pkm1, program="DM", month=NOV)
    assert before.expiring_value == 0 and before.tracer_in_stock >= 1
    lot = Lot.objects.get(batch="EXP-1")
    # The batch was misread: it expires next month, so it counts as expiring in November.
    lot.expiry_date = dt.date(2026, 12, 15)
    lot.save(update_fields=["expiry_date"])
    assert queued() == {(world.pkm1.pk, "DM", dt.date(2026, 9, 1))}
    tasks.facts_refresh_dirty.delay().get()
    november = MonthlyFact.objects.get(facility=world.pkm1, program="DM", month=NOV)
    assert november.expiring_value == 40 * 100
    after = _facts()
    services.facts_rebuild(months=6)
    assert _facts() == after


def test_a_lot_moved_to_another_medicine_queues_both_programmes(world, frozen_today):
    from pharmacy import services as pharmacy
    from pharmacy.models import Lot
    from tests.pharmacy.factories import MedicineFactory, StoreFactory

    store = StoreFactory(facility=world.pkm2)
    dm, ht = MedicineFactory(programs=["DM"]), MedicineFactory(programs=["HT"])
    pharmacy.stock_receive(
        actor=world.farmasi2,
        store=store,
        received_on=dt.date(2026, 10, 7),
        lines=[pharmacy.ReceiptLineInput(dm, "MOV-1", dt.date(2028, 1, 31), 10)],
    )
    DirtyMonth.objects.all().delete()
    Lot.objects.filter(batch="MOV-1").update(medicine=ht)
    assert queued() == {(world.pkm2.pk, "DM", OCT), (world.pkm2.pk, "HT", OCT)}
    Lot.objects.filter(batch="MOV-1").update(source="other")  # no figure moves
    DirtyMonth.objects.all().delete()
    Lot.objects.filter(batch="MOV-1").update(source="ifk")
    assert queued() == set()
