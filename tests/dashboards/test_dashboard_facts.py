"""Each indicator's edge cases, frozen on 20 November 2026 (D - 90 days = 22 August 2026)."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from dashboards import facts, services
from dashboards.models import MonthlyFact
from referrals.models import PrbCase
from tests.dashboards.factories import (
    CaseFactory,
    LetterFactory,
    ReadinessFactory,
    ReReferralFactory,
    VisitFactory,
)

NOV, OCT, SEP = dt.date(2026, 11, 1), dt.date(2026, 10, 1), dt.date(2026, 9, 1)
DAY_90 = dt.date(2026, 8, 22)  # exactly 90 days before 20 November
DAY_91 = dt.date(2026, 8, 21)


def fact(world, month=NOV, program="DM", facility=None) -> MonthlyFact:  # type: ignore[no-untyped-def]
    services.facts_refresh(
        facility_ids=[(facility or world.pkm1).pk], months=[month], programs=[program]
    )
    return MonthlyFact.objects.get(facility=facility or world.pkm1, program=program, month=month)


def flags(world, month=NOV, program="DM"):  # type: ignore[no-untyped-def]
    rows = facts.case_flags(
        facility_ids=[world.pkm1.pk], programs=[program], month=month, today=dt.date(2026, 11, 20)
    )
    return {row.case_id: row for row in rows}


@pytest.fixture
def patient(world):  # type: ignore[no-untyped-def]
    from tests.patients.factories import PatientFactory

    return lambda: PatientFactory(fktp=world.pkm1)


def test_current_month_is_as_of_today_and_past_months_as_of_their_last_day(world, frozen_today):
    assert fact(world).as_of == frozen_today
    assert fact(world, month=OCT).as_of == dt.date(2026, 10, 31)


def test_a_visit_exactly_90_days_ago_retains_and_91_days_ago_is_lost(world, patient, frozen_today):
    kept = CaseFactory(patient=patient())
    VisitFactory(case=kept, visit_date=DAY_90)
    lost = CaseFactory(patient=patient())
    VisitFactory(case=lost, visit_date=DAY_91)
    rows = flags(world)
    assert rows[kept.pk].retained and not rows[kept.pk].ltfu
    assert not rows[lost.pk].retained and rows[lost.pk].ltfu
    figures = fact(world)
    assert (figures.active, figures.retention_base, figures.retained, figures.ltfu) == (2, 2, 1, 1)


def test_a_case_enrolled_under_3_months_is_left_out_of_retention(world, patient, frozen_today):
    recent = CaseFactory(patient=patient(), enrolled_on=DAY_90 + dt.timedelta(days=1))
    exactly = CaseFactory(patient=patient(), enrolled_on=DAY_90)
    VisitFactory(case=exactly, visit_date=dt.date(2026, 11, 1))
    rows = flags(world)
    assert not rows[recent.pk].retention_base and not rows[recent.pk].ltfu
    assert rows[exactly.pk].retention_base and rows[exactly.pk].retained
    figures = fact(world)
    assert (figures.active, figures.retention_base, figures.retained) == (2, 1, 1)


def test_a_case_that_died_counts_until_the_day_before(world, patient, frozen_today):
    case = CaseFactory(
        patient=patient(), status=PrbCase.Status.DIED, status_changed_on=dt.date(2026, 11, 3)
    )
    VisitFactory(case=case, visit_date=dt.date(2026, 10, 20))
    assert fact(world).active == 0
    october = fact(world, month=OCT)
    assert (october.active, october.retained, october.ltfu) == (1, 1, 0)


def test_a_moved_or_dropped_out_case_leaves_the_count(world, patient, frozen_today):
    CaseFactory(
        patient=patient(), status=PrbCase.Status.MOVED, status_changed_on=dt.date(2026, 10, 15)
    )
    CaseFactory(
        patient=patient(), status=PrbCase.Status.DROPPED_OUT, status_changed_on=dt.date(2026, 10, 1)
    )
    assert fact(world).active == 0
    assert fact(world, month=OCT).active == 0
    assert fact(world, month=SEP).active == 2


def test_a_re_referred_case_is_at_the_hospital_until_it_returns(world, patient, frozen_today):
    away = CaseFactory(patient=patient(), status=PrbCase.Status.RE_REFERRED)
    VisitFactory(case=away, visit_date=dt.date(2026, 10, 30))
    ReReferralFactory(case=away, referred_on=dt.date(2026, 11, 5))
    back = CaseFactory(patient=patient(), status=PrbCase.Status.ACTIVE)
    VisitFactory(case=back, visit_date=dt.date(2026, 7, 1))
    ReReferralFactory(case=back, referred_on=SEP, returned_on=dt.date(2026, 10, 10))
    november = fact(world)
    assert november.active == 1 and november.rereferrals == 1 and november.returns == 0
    row = flags(world)[back.pk]
    # The return from hospital restarts the clock: not lost, but the first control is late.
    assert not row.ltfu and row.due == dt.date(2026, 11, 9) and row.overdue
    september = fact(world, month=SEP)
    assert september.active == 1 and september.rereferrals == 1
    assert fact(world, month=OCT).returns == 1


def test_overdue_follows_the_next_control_date_set_at_the_last_visit(world, patient, frozen_today):
    due_today = CaseFactory(patient=patient())
    VisitFactory(case=due_today, visit_date=dt.date(2026, 10, 21), next_control_date=frozen_today)
    late = CaseFactory(patient=patient())
    VisitFactory(
        case=late, visit_date=dt.date(2026, 10, 19), next_control_date=dt.date(2026, 11, 19)
    )
    never_seen = CaseFactory(patient=patient(), enrolled_on=dt.date(2026, 10, 21))
    rows = flags(world)
    assert not rows[due_today.pk].overdue
    assert rows[late.pk].overdue
    assert not rows[never_seen.pk].overdue  # first control 30 days after enrolment: 20 Nov
    never_seen.enrolled_on = dt.date(2026, 10, 20)
    never_seen.save()
    assert flags(world)[never_seen.pk].overdue
    assert fact(world).overdue == 2


def test_hypertension_is_controlled_below_140_90_measured_in_the_last_90_days(
    world, patient, frozen_today
):
    def case_with(bp, on):  # type: ignore[no-untyped-def]
        case = CaseFactory(patient=patient(), program="HT")
        VisitFactory(case=case, visit_date=on, facts={"sbp": bp[0], "dbp": bp[1]})
        return case

    good = case_with((138, 88), dt.date(2026, 11, 2))
    high = case_with((140, 85), dt.date(2026, 11, 2))
    old = case_with((120, 80), DAY_91)
    edge = case_with((120, 80), DAY_90)
    # The latest BP decides, even if an earlier one was on target.
    worse = case_with((120, 80), dt.date(2026, 10, 1))
    VisitFactory(case=worse, visit_date=dt.date(2026, 11, 10), facts={"sbp": 150, "dbp": 95})
    # A later visit without a BP does not hide the last measured one.
    silent = case_with((130, 80), dt.date(2026, 10, 1))
    VisitFactory(case=silent, visit_date=dt.date(2026, 11, 10), facts={})
    rows = flags(world, program="HT")
    controlled = {pk for pk, row in rows.items() if row.controlled}
    assert controlled == {good.pk, edge.pk, silent.pk}
    assert high.pk in rows and old.pk in rows and worse.pk in rows
    assert fact(world, program="HT").controlled == 3


def test_diabetes_is_controlled_by_fasting_glucose_or_hba1c(world, patient, frozen_today):
    def case_with(facts_):  # type: ignore[no-untyped-def]
        case = CaseFactory(patient=patient(), program="DM")
        VisitFactory(case=case, visit_date=dt.date(2026, 11, 2), facts=facts_)
        return case

    fpg_ok = case_with({"fpg_mg_dl": 80})
    fpg_high = case_with({"fpg_mg_dl": 131})
    fpg_low = case_with({"fpg_mg_dl": 79.5})
    hba1c_ok = case_with({"fpg_mg_dl": 160, "hba1c_percent": 6.9})
    hba1c_high = case_with({"hba1c_percent": 7.0})
    rows = flags(world, program="DM")
    assert {pk for pk, row in rows.items() if row.controlled} == {fpg_ok.pk, hba1c_ok.pk}
    assert {fpg_high.pk, fpg_low.pk, hba1c_high.pk} <= set(rows)


@pytest.mark.parametrize(
    ("program", "good", "bad"),
    [
        ("COPD", {"cat_score": 9}, {"cat_score": 10}),
        ("ASTHMA", {"act_score": 20}, {"act_score": 19}),
        ("EPILEPSY", {"seizure_occurred": False}, {"seizure_occurred": True}),
        ("SLE", {"flare_suspected": False}, {"flare_suspected": True}),
        ("STROKE", {"sbp": 130, "dbp": 80}, {"sbp": 130, "dbp": 90}),
        ("HEART_CHF", {"progressive_dyspnea": False}, {"progressive_dyspnea": True}),
        ("SCHIZOPHRENIA", {"deterioration": False}, {"deterioration": True}),
    ],
)
def test_other_programmes_use_their_main_target(world, patient, frozen_today, program, good, bad):
    on_target = CaseFactory(patient=patient(), program=program)
    VisitFactory(case=on_target, visit_date=dt.date(2026, 11, 2), facts=good)
    off_target = CaseFactory(patient=patient(), program=program)
    VisitFactory(case=off_target, visit_date=dt.date(2026, 11, 2), facts=bad)
    rows = flags(world, program=program)
    assert rows[on_target.pk].controlled and not rows[off_target.pk].controlled


def test_new_back_referrals_and_enrolments_count_in_their_month(world, patient, frozen_today):
    LetterFactory(patient=patient(), letter_date=dt.date(2026, 11, 2))
    LetterFactory(patient=patient(), letter_date=dt.date(2026, 10, 31))
    LetterFactory(patient=patient(), letter_date=dt.date(2026, 11, 3), program="HT")
    CaseFactory(patient=patient(), enrolled_on=dt.date(2026, 11, 4))
    november = fact(world)
    assert (november.new_back_referrals, november.new_enrolments) == (1, 1)
    assert fact(world, month=OCT).new_back_referrals == 1


def test_other_facilities_cases_stay_out(world, frozen_today):
    CaseFactory(patient=world.patient2)
    assert fact(world).active == 0
    assert fact(world, facility=world.pkm2).active == 1


def test_readiness_is_the_checklist_recorded_on_the_reference_date(world, frozen_today):
    row = ReadinessFactory(facility=world.pkm1, program="DM", available=["doctor", "glucometer"])
    row.available = ["doctor", "glucometer", "lab", "not-a-standard"]
    row.save()
    # Audit snapshots carry the database clock (after the frozen day): add the history a
    # puskesmas would have built over the months, as pghistory writes it.
    jakarta = ZoneInfo("Asia/Jakarta")
    for when, available in [
        (dt.datetime(2026, 10, 10, 9, tzinfo=jakarta), ["doctor", "glucometer"]),
        (dt.datetime(2026, 11, 1, 0, 0, tzinfo=jakarta), row.available),
    ]:
        with connection.cursor() as cursor:  # pgh_created_at is auto_now_add in the model
            cursor.execute(
                "INSERT INTO referrals_facilityreadinessevent (pgh_obj_id, pgh_label, "
                "pgh_created_at, id, facility_id, program, available, note, updated_by_id, "
                "updated_at) VALUES (%s, 'update', %s, %s, %s, 'DM', %s::jsonb, '', %s, %s)",
                [
                    row.pk,
                    when,
                    row.pk,
                    row.facility_id,
                    json.dumps(available),
                    row.updated_by_id,
                    when,
                ],
            )
    november, october = fact(world), fact(world, month=OCT)
    assert (november.readiness_available, november.readiness_items) == (3, 6)
    assert october.readiness_available == 2  # the change came just after 31 October ended
    assert fact(world, month=SEP).readiness_available == 0


def test_medicine_availability_stock_out_days_and_value_expiring(world, frozen_today):
    from pharmacy import services as pharmacy
    from pharmacy.models import Lot, Medicine
    from tests.pharmacy.factories import MedicineFactory, StoreFactory

    store = StoreFactory(facility=world.pkm1)
    tracer = MedicineFactory(is_tracer=True, programs=["DM"])
    MedicineFactory(is_tracer=True, programs=["HT"])  # another programme's tracer
    slow = MedicineFactory(programs=["DM", "HT"], price=250)

    def receive(medicine, quantity, on, expiry):  # type: ignore[no-untyped-def]
        pharmacy.stock_receive(
            actor=world.farmasi1,
            store=store,
            received_on=on,
            lines=[pharmacy.ReceiptLineInput(medicine, f"B-{medicine.pk}", expiry, quantity)],
        )

    receive(tracer, 100, dt.date(2026, 11, 5), dt.date(2028, 1, 31))
    pharmacy.stock_return(
        actor=world.farmasi1,
        store=store,
        returned_on=dt.date(2026, 11, 10),
        lines=[pharmacy.LotQuantity(Lot.objects.get(medicine=tracer), 100)],
        supplier="IFK",
        reason="Salah kirim",
    )
    receive(slow, 10, dt.date(2026, 11, 2), dt.date(2027, 2, 18))  # 90 days after 20 Nov
    dm_tracers = Medicine.objects.filter(is_tracer=True, is_active=True, programs__contains=["DM"])
    others = dm_tracers.count() - 1  # never stocked here: out every day

    november = fact(world)
    assert november.tracer_total == dm_tracers.count()
    assert november.tracer_in_stock == 0
    # The tracer was on the shelf 5–9 November: out 1–4 and 10–20 November.
    assert november.stockout_days == 15 + 20 * others
    assert november.expiring_value == 2500
    assert fact(world, program="HT").expiring_value == 2500
    october = fact(world, month=OCT)
    assert october.stockout_days == 31 * dm_tracers.count() and october.expiring_value == 0


def test_a_tracer_in_stock_counts_as_available(world, frozen_today):
    from pharmacy import services as pharmacy
    from tests.pharmacy.factories import MedicineFactory, StoreFactory

    store = StoreFactory(facility=world.pkm1)
    tracer = MedicineFactory(is_tracer=True, programs=["COPD"])
    pharmacy.stock_receive(
        actor=world.farmasi1,
        store=store,
        received_on=dt.date(2026, 11, 1),
        lines=[pharmacy.ReceiptLineInput(tracer, "B-1", dt.date(2026, 11, 20), 5)],
    )
    # Expiring on the reference date is not usable any more.
    november = fact(world, program="COPD")
    assert november.tracer_in_stock == 0 and november.expiring_value == 0
    october_lot = dt.date(2028, 1, 1)
    pharmacy.stock_receive(
        actor=world.farmasi1,
        store=store,
        received_on=dt.date(2026, 11, 1),
        lines=[pharmacy.ReceiptLineInput(tracer, "B-2", october_lot, 5)],
    )
    november = fact(world, program="COPD")
    assert november.tracer_in_stock == 1
    assert november.stockout_days == 20 * (november.tracer_total - 1)
