import datetime as dt

import pytest
from django.core import mail

from alerts import sweeps
from alerts.gateways import Delivery
from alerts.models import Alert, Reminder
from alerts.services import worklist_remove
from pharmacy import services as pharmacy_services
from referrals.models import PrbCase
from tests.alerts.conftest import TODAY, days_ago
from tests.alerts.factories import (
    CarePlanFactory,
    CaseFactory,
    MonitoringItemFactory,
    VisitFactory,
)
from tests.patients.factories import PatientFactory
from tests.pharmacy.factories import MedicineFactory, StoreFactory
from tests.referrals.factories import record_visit

pytestmark = pytest.mark.usefixtures("frozen_today")


def _keys(kind: str, facility) -> set[str]:  # type: ignore[no-untyped-def]
    return set(Alert.objects.filter(kind=kind, facility=facility).values_list("key", flat=True))


# ---------------------------------------------------------------- overdue


@pytest.mark.parametrize(
    ("days", "kind"),
    [
        (0, None),
        (1, Alert.Kind.CONTROL_OVERDUE),
        (7, Alert.Kind.CONTROL_OVERDUE),
        (8, Alert.Kind.CONTROL_OVERDUE),
        (30, Alert.Kind.CONTROL_OVERDUE),
        (31, Alert.Kind.CONTROL_OVERDUE),
        (90, Alert.Kind.CONTROL_OVERDUE),
        (91, Alert.Kind.LOST_TO_FOLLOW_UP),
    ],
)
def test_overdue_sweep_boundaries(world, days, kind) -> None:
    CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(days))
    sweeps.alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=TODAY)
    assert list(Alert.objects.values_list("kind", flat=True)) == ([kind] if kind else [])


def test_overdue_sweep_raises_once_with_pustu_copy_and_resolves(world) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(12), program="HT")
    result = sweeps.alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=TODAY)
    assert result.raised == 2
    puskesmas = Alert.objects.get(facility=world.pkm1)
    pustu = Alert.objects.get(facility=world.pustu1)
    assert puskesmas.key == pustu.key == f"case:{case.pk}:due:2026-10-29"
    assert puskesmas.roles == ["dokter", "perawat", "admin"] and pustu.roles == ["pustu"]
    assert puskesmas.title == "Kontrol terlambat: Siti Lubis (Hipertensi), jadwal 29/10/2026"
    assert puskesmas.patient == world.patient1 and puskesmas.link == f"/rujukan/kasus/{case.pk}/"
    assert sweeps.alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=TODAY).raised == 0
    assert Alert.objects.count() == 2
    # The patient came: the next control moves on, both alerts are resolved.
    PrbCase.objects.filter(pk=case.pk).update(next_control_date=TODAY + dt.timedelta(days=30))
    assert sweeps.alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=TODAY).resolved == 2
    assert not Alert.objects.unresolved().exists()


def test_day_91_turns_overdue_into_lost_to_follow_up(world) -> None:
    case = CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(90))
    sweeps.alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=TODAY)
    tomorrow = TODAY + dt.timedelta(days=1)
    sweeps.alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=tomorrow)
    overdue = Alert.objects.get(kind=Alert.Kind.CONTROL_OVERDUE)
    lost = Alert.objects.get(kind=Alert.Kind.LOST_TO_FOLLOW_UP)
    assert overdue.resolved_at is not None and lost.resolved_at is None
    assert lost.key == f"case:{case.pk}:lost:{days_ago(90).isoformat()}"
    assert lost.severity == Alert.Severity.URGENT
    assert lost.title.startswith("Putus kontrol: ")


@pytest.mark.parametrize("status", [PrbCase.Status.DIED, PrbCase.Status.MOVED])
def test_a_patient_who_died_or_moved_gets_no_alert(world, status) -> None:
    case = CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(20))
    sweeps.alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=TODAY)
    assert Alert.objects.unresolved().count() == 1
    PrbCase.objects.filter(pk=case.pk).update(status=status)
    sweeps.alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=TODAY)
    assert not Alert.objects.unresolved().exists()


def test_a_case_taken_off_the_list_gets_no_alert(world) -> None:
    case = CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(20))
    worklist_remove(actor=world.dokter1, case=case, reason="elsewhere", note="klinik")
    sweeps.alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=TODAY)
    assert not Alert.objects.exists()


def test_overdue_sweep_is_per_facility(world) -> None:
    CaseFactory(patient=world.patient2, next_control_date=days_ago(5))
    sweeps.alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=TODAY)
    assert not Alert.objects.exists()
    sweeps.alerts_sweep_overdue(facility_id=world.pkm2.pk, as_of=TODAY)
    assert Alert.objects.get().facility == world.pkm2


def test_new_alerts_are_emailed_when_configured(world, settings) -> None:
    settings.PRB_ALERT_EMAILS = True
    CaseFactory(patient=world.patient1, next_control_date=days_ago(5))
    sweeps.alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=TODAY)
    # The puskesmas's clinical staff and the Pustu's staff; not pharmacy, not pkm2.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (world.dokter1, world.perawat1, world.admin1, world.pustu_staff1)
    )
    assert all("Kontrol terlambat: Siti Lubis" in m.body for m in mail.outbox)
    sweeps.alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=TODAY)
    assert len(mail.outbox) == 4  # nothing new, no email


# ---------------------------------------------------------------- re-referral


def test_rereferral_sweep_runs_the_criteria_over_the_last_three_months(world) -> None:
    high = CaseFactory(patient=world.patient1, program="HT", next_control_date=days_ago(-20))
    VisitFactory(case=high, visit_date=days_ago(10), facts={"sbp": 152, "dbp": 88})
    calm = CaseFactory(patient__fktp=world.pkm1, program="HT", next_control_date=days_ago(-20))
    VisitFactory(case=calm, visit_date=days_ago(10), facts={"sbp": 128, "dbp": 78})
    # A high reading older than 3 months no longer counts (III.B.x.d window).
    old = CaseFactory(patient__fktp=world.pkm1, program="HT", next_control_date=days_ago(-20))
    VisitFactory(case=old, visit_date=days_ago(100), facts={"sbp": 170, "dbp": 100})
    result = sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY)
    assert result.raised == 2  # puskesmas and Pustu of patient1
    alert = Alert.objects.get(facility=world.pkm1)
    assert alert.key == f"case:{high.pk}:rereferral:{days_ago(10).isoformat()}:III.B.2.d.2"
    assert alert.title == "Kriteria rujuk ulang terpenuhi: Siti Lubis (Hipertensi)"
    assert alert.body.startswith("III.B.2.d.2: ") and alert.severity == Alert.Severity.URGENT
    assert sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY).raised == 0
    # A controlled reading at a new visit: the latest reading clears HT d.2, alert resolved.
    VisitFactory(case=high, visit_date=days_ago(1), facts={"sbp": 130, "dbp": 80})
    sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY)
    assert not Alert.objects.unresolved().exists()


def test_rereferral_uses_prb_stock_for_medicines_unavailable(world) -> None:
    metformin = MedicineFactory(name="Metformin Uji")
    regimen = [
        {"medicine": metformin.pk, "name": "Metformin", "strength": "500 mg", "quantity": 90}
    ]
    case = CaseFactory(
        patient=world.patient1,
        program="COPD",
        current_regimen=regimen,
        next_control_date=days_ago(-20),
    )
    # No PRB store at the puskesmas: stock unknown, nothing derived.
    sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY)
    assert not Alert.objects.exists()
    StoreFactory(facility=world.pkm1)  # a store without metformin: it cannot be provided
    sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY)
    alert = Alert.objects.get(facility=world.pkm1)
    assert alert.key == f"case:{case.pk}:rereferral:{TODAY.isoformat()}:III.B.5.d.2"


def test_rereferral_counts_the_partner_depot_and_ignores_inactive_stores(world) -> None:
    """The sweep reads ``pharmacy.selectors.medicines_unavailable``, as the visit hook does."""
    from facilities.models import Facility
    from pharmacy.models import Store
    from tests.facilities.factories import FacilityFactory

    metformin = MedicineFactory(name="Metformin Uji")
    regimen = [{"medicine": metformin.pk, "name": "Metformin", "quantity": 90}]
    CaseFactory(patient=world.patient1, program="COPD", current_regimen=regimen)
    StoreFactory(facility=world.pkm1)  # the puskesmas's own PRB store holds none
    apotek = FacilityFactory(kind=Facility.Kind.APOTEK_PRB, regency=world.pkm1.regency)
    depot = Store.objects.create(
        facility=world.pkm1, kind=Store.Kind.DEPOT, partner=apotek, name="Depo Apotek"
    )
    _receive(world, depot, metformin, 120, on=days_ago(5), expiry=days_ago(-300))
    sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY)
    assert not Alert.objects.filter(kind=Alert.Kind.RE_REFERRAL).exists()
    depot.is_active = False
    depot.save(update_fields=["is_active"])
    sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY)
    assert Alert.objects.filter(kind=Alert.Kind.RE_REFERRAL, facility=world.pkm1).exists()


def test_a_case_with_facts_the_engine_rejects_is_skipped_not_fatal(world) -> None:
    bad = CaseFactory(patient__fktp=world.pkm1, program="HT", next_control_date=days_ago(-5))
    VisitFactory(case=bad, visit_date=days_ago(3), facts={"sbp": "tinggi"})
    good = CaseFactory(patient__fktp=world.pkm1, program="HT", next_control_date=days_ago(-5))
    VisitFactory(case=good, visit_date=days_ago(3), facts={"sbp": 160, "dbp": 95})
    result = sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY)
    assert result.skipped == 1 and result.raised == 1
    assert Alert.objects.get().key.startswith(f"case:{good.pk}:")


# ---------------------------------------------------------------- stock


def _receive(world, store, medicine, quantity, *, on, expiry):  # type: ignore[no-untyped-def]
    return pharmacy_services.stock_receive(
        actor=world.farmasi1,
        store=store,
        received_on=on,
        lines=[
            pharmacy_services.ReceiptLineInput(
                medicine=medicine,
                batch=f"B{quantity}{expiry:%m%d}",
                expiry_date=expiry,
                quantity=quantity,
            )
        ],
        source="ifk",
        supplier="IFK",
        reference="SBBK/1",
    )


def test_stock_sweep_lots_expiring_and_expired(world) -> None:
    store = StoreFactory(facility=world.pkm1, name="Gudang PRB Satu")
    medicine = MedicineFactory(name="Amlodipin", strength="10 mg")
    _receive(world, store, medicine, 100, on=days_ago(200), expiry=days_ago(-60))
    _receive(world, store, medicine, 50, on=days_ago(200), expiry=days_ago(-200))
    sweeps.alerts_sweep_stock(facility_id=world.pkm1.pk, as_of=TODAY)
    expiring = Alert.objects.get(kind=Alert.Kind.LOT_EXPIRING)
    assert expiring.roles == ["farmasi", "admin"] and expiring.facility == world.pkm1
    assert "Amlodipin 10 mg" in expiring.title and "09/01/2027" in expiring.title
    assert expiring.link == f"/farmasi/gudang/{store.pk}/"
    # 61 days later the lot has expired: the expiring alert closes, an expired one opens.
    later = TODAY + dt.timedelta(days=61)
    sweeps.alerts_sweep_stock(facility_id=world.pkm1.pk, as_of=later)
    expiring.refresh_from_db()
    assert expiring.resolved_at is not None
    expired = Alert.objects.get(kind=Alert.Kind.LOT_EXPIRED)
    assert expired.severity == Alert.Severity.URGENT and expired.title.startswith(
        "Bets kedaluwarsa"
    )
    assert not Alert.objects.filter(facility__in=[world.pustu1, world.pkm2]).exists()


def test_stock_below_lead_time_plus_buffer(world) -> None:
    from pharmacy.models import StockCardLine

    store = StoreFactory(facility=world.pkm1, name="Gudang PRB Satu")
    medicine = MedicineFactory(name="Metformin Uji", strength="500 mg")
    _receive(world, store, medicine, 1000, on=dt.date(2026, 7, 1), expiry=dt.date(2028, 1, 1))
    # 300 units dispensed in each of Aug, Sep, Oct: average 300 a month, so the minimum
    # is 1 month of lead time + 1 month of buffer = 600 (III.C.1.a D + C); 100 are left.
    lot_line = StockCardLine.objects.get()
    for month in (8, 9, 10):
        balance = 1000 - 300 * (month - 7)
        StockCardLine.objects.create(
            store=store,
            medicine=medicine,
            lot=lot_line.lot,
            date=dt.date(2026, month, 15),
            movement="dispense",
            quantity_out=300,
            balance_after=balance,
            user=world.farmasi1,
        )
    store.balances.update(quantity=100)
    sweeps.alerts_sweep_stock(facility_id=world.pkm1.pk, as_of=TODAY)
    low = Alert.objects.get(kind=Alert.Kind.STOCK_LOW)
    assert low.key == f"store:{store.pk}:medicine:{medicine.pk}:low:2026-11"
    assert low.body.startswith("100 unit dapat dipakai; minimum 600")
    store.balances.update(quantity=700)
    sweeps.alerts_sweep_stock(facility_id=world.pkm1.pk, as_of=TODAY)
    low.refresh_from_db()
    assert low.resolved_at is not None


def test_medicine_out_of_stock_for_patients_due_this_week(world) -> None:
    store = StoreFactory(facility=world.pkm1)
    medicine = MedicineFactory(name="Glimepirid", strength="2 mg")
    _receive(world, store, medicine, 60, on=days_ago(10), expiry=dt.date(2028, 1, 1))
    regimen = [{"medicine": medicine.pk, "name": "Glimepirid", "strength": "2 mg", "quantity": 60}]
    first = CaseFactory(
        patient=world.patient1, current_regimen=regimen, next_control_date=days_ago(-2)
    )
    second = CaseFactory(
        patient__fktp=world.pkm1,
        patient__name="Kedua",
        current_regimen=regimen,
        next_control_date=days_ago(-5),
    )
    CaseFactory(  # due in 8 days: outside the week
        patient__fktp=world.pkm1, current_regimen=regimen, next_control_date=days_ago(-8)
    )
    sweeps.alerts_sweep_stock(facility_id=world.pkm1.pk, as_of=TODAY)
    alert = Alert.objects.get(kind=Alert.Kind.STOCK_OUT_FOR_DUE_PATIENT)
    # The 60 units go to the first patient due; the second cannot be served.
    assert alert.patient == second.patient and first.pk != second.pk
    assert alert.title == "Glimepirid 2 mg tidak tersedia untuk Kedua, kontrol 15/11/2026"
    assert "farmasi" in alert.roles and "dokter" in alert.roles


# ---------------------------------------------------------------- SLE hospital review


def test_sle_review_from_the_care_plan_or_the_letter(world) -> None:
    planned = CaseFactory(program="SLE", patient=world.patient1, next_control_date=days_ago(-20))
    MonitoringItemFactory(
        care_plan=CarePlanFactory(case=planned),
        code="hospital_review",
        label="Kontrol ke FKRTL",
        due_on=days_ago(-10),
    )
    lettered = CaseFactory(
        program="SLE",
        patient__fktp=world.pkm1,
        baseline_on=days_ago(30),
        next_hospital_review=days_ago(-30),
        next_control_date=days_ago(-20),
    )
    sweeps.alerts_sweep_sle_review(facility_id=world.pkm1.pk, as_of=TODAY)
    assert _keys(Alert.Kind.SLE_HOSPITAL_REVIEW, world.pkm1) == {
        f"case:{planned.pk}:sle_review:{days_ago(-10).isoformat()}"
    }
    assert _keys(Alert.Kind.SLE_HOSPITAL_REVIEW, world.pustu1) == {
        f"case:{planned.pk}:sle_review:{days_ago(-10).isoformat()}"
    }
    # 16 days later the letter's review date is within the two-week notice too.
    sweeps.alerts_sweep_sle_review(facility_id=world.pkm1.pk, as_of=days_ago(-16))
    assert f"case:{lettered.pk}:sle_review:{days_ago(-30).isoformat()}" in _keys(
        Alert.Kind.SLE_HOSPITAL_REVIEW, world.pkm1
    )


# ---------------------------------------------------------------- reminders


class RecordingGateway:
    channel = "test"
    sent: list[tuple[str, str]] = []
    fail = False

    def send(self, *, phone: str, message: str) -> Delivery:
        if RecordingGateway.fail:
            return Delivery(ok=False, detail="gateway down")
        RecordingGateway.sent.append((phone, message))
        return Delivery(ok=True, detail="queued")


@pytest.fixture
def gateway(settings):  # type: ignore[no-untyped-def]
    settings.PRB_REMINDER_GATEWAY = "tests.alerts.test_alerts_sweeps.RecordingGateway"
    RecordingGateway.sent = []
    RecordingGateway.fail = False
    return RecordingGateway


def test_reminders_only_with_consent_once_per_due_date(world, gateway) -> None:
    consenting = PatientFactory(
        fktp=world.pkm1, name="Setuju", phone="081200000001", reminder_consent=True
    )
    CaseFactory(patient=consenting, program="DM", next_control_date=days_ago(-2))
    CaseFactory(patient=consenting, program="HT", next_control_date=days_ago(-2))
    refusing = PatientFactory(fktp=world.pkm1, phone="081200000002", reminder_consent=False)
    CaseFactory(patient=refusing, next_control_date=days_ago(-2))
    later = PatientFactory(fktp=world.pkm1, phone="081200000003", reminder_consent=True)
    CaseFactory(patient=later, next_control_date=days_ago(-3))
    result = sweeps.reminders_send(facility_id=world.pkm1.pk, as_of=TODAY)
    assert result.sent == 1
    assert gateway.sent == [
        (
            "081200000001",
            "Yth. Setuju, jadwal kontrol PRB Anda di Puskesmas Satu pada 12/11/2026."
            " Mohon membawa kartu BPJS dan sisa obat Anda.",
        )
    ]
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.channel, reminder.detail) == ("sent", "test", "queued")
    assert sweeps.reminders_send(facility_id=world.pkm1.pk, as_of=TODAY).sent == 0
    assert len(gateway.sent) == 1
    # A day later the third patient is within two days; the first is not reminded again.
    sweeps.reminders_send(facility_id=world.pkm1.pk, as_of=days_ago(-1))
    assert [phone for phone, _m in gateway.sent] == ["081200000001", "081200000003"]


def test_a_failed_reminder_is_retried_and_a_pending_one_is_not(world, gateway) -> None:
    patient = PatientFactory(fktp=world.pkm1, phone="0812", reminder_consent=True)
    CaseFactory(patient=patient, next_control_date=days_ago(-1))
    gateway.fail = True
    assert sweeps.reminders_send(facility_id=world.pkm1.pk, as_of=TODAY).failed == 1
    assert Reminder.objects.get().status == "failed"
    gateway.fail = False
    assert sweeps.reminders_send(facility_id=world.pkm1.pk, as_of=TODAY).sent == 1
    assert Reminder.objects.get().status == "sent"
    # A reminder left pending by an interrupted run is never sent twice.
    other = PatientFactory(fktp=world.pkm1, phone="0813", reminder_consent=True)
    CaseFactory(patient=other, next_control_date=days_ago(-1))
    Reminder.objects.create(
        patient=other, due_date=days_ago(-1), channel="test", status="pending", message=""
    )
    assert sweeps.reminders_send(facility_id=world.pkm1.pk, as_of=TODAY).sent == 0
    assert [phone for phone, _m in gateway.sent] == ["0812"]


# ---------------------------------------------------------------- weekly digest


def test_weekly_digest_per_facility_and_pustu_once_a_week(world) -> None:
    CaseFactory(patient=world.patient1, next_control_date=days_ago(9))
    CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(95))
    CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(-3))
    sweeps.alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=TODAY)
    result = sweeps.digest_raise(facility_id=world.pkm1.pk, as_of=TODAY)
    assert result.raised == 2
    digest = Alert.objects.get(kind=Alert.Kind.WEEKLY_DIGEST, facility=world.pkm1)
    assert digest.title == "Ringkasan mingguan, minggu ke-46 tahun 2026"
    assert "farmasi" in digest.roles
    assert "Jadwal kontrol 7 hari ke depan: 1" in digest.body
    assert "Terlambat 8–30 hari: 1" in digest.body
    assert "Putus kontrol (lebih dari 90 hari): 1" in digest.body
    assert "Notifikasi terbuka — Kontrol terlambat: 1" in digest.body
    pustu = Alert.objects.get(kind=Alert.Kind.WEEKLY_DIGEST, facility=world.pustu1)
    assert (
        "Terlambat 8–30 hari: 1" in pustu.body
        and "Putus kontrol (lebih dari 90 hari): 0" in pustu.body
    )
    # Same ISO week: nothing new; the next week: a new digest.
    assert sweeps.digest_raise(facility_id=world.pkm1.pk, as_of=days_ago(-5)).raised == 0
    assert sweeps.digest_raise(facility_id=world.pkm1.pk, as_of=days_ago(-6)).raised == 2


def _recorded_visit(world, case, *, on, facts):  # type: ignore[no-untyped-def]
    """A visit through referrals' service: it stores the engine's verdict with the visit."""
    return record_visit(world, case, on=on, facts=facts)


def test_a_case_cleared_at_its_latest_visit_is_not_evaluated_again(world) -> None:
    from tests.referrals.factories import enrol

    case = enrol(world)  # DM, enrolled 5 Oct 2026
    visit = _recorded_visit(world, case, on=days_ago(5), facts={"fpg_mg_dl": 118.0})
    assert visit.evaluation["outcome"] == "continue"
    result = sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY)
    assert (result.reused, result.raised) == (1, 0)
    # full=True evaluates anyway, with the same verdict.
    full = sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY, full=True)
    assert (full.reused, full.raised) == (0, 0)


def test_a_stored_verdict_is_not_reused_when_something_changed_since(world) -> None:
    from referrals.models import ControlVisit
    from tests.referrals.factories import enrol

    case = enrol(world)
    _recorded_visit(world, case, on=days_ago(5), facts={"fpg_mg_dl": 118.0})
    # A late entry of an older visit, recorded after the latest one, with a high glucose:
    # the latest verdict did not see it, so the engine runs and the criterion triggers.
    late = VisitFactory(case=case, visit_date=days_ago(20), facts={"fpg_mg_dl": 190.0})
    ControlVisit.objects.filter(pk=late.pk).update(
        created_at=late.created_at + dt.timedelta(minutes=5)
    )
    result = sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY)
    assert (result.reused, result.raised) == (0, 2)
    assert Alert.objects.filter(kind=Alert.Kind.RE_REFERRAL, facility=world.pkm1).get().key == (
        f"case:{case.pk}:rereferral:{days_ago(20).isoformat()}:III.B.1.d.2"
    )
    # A verdict from another ruleset is not reused either.
    ControlVisit.objects.filter(case=case, visit_date=days_ago(20)).delete()
    ControlVisit.objects.filter(case=case).update(
        evaluation={"mode": "re_referral", "ruleset": "old", "outcome": "continue"}
    )
    assert sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY).reused == 0


def test_a_stock_shortage_is_always_evaluated(world) -> None:
    from tests.referrals.factories import enrol

    case = enrol(world)
    _recorded_visit(world, case, on=days_ago(5), facts={"fpg_mg_dl": 118.0})
    assert sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY).reused == 1
    StoreFactory(facility=world.pkm1)  # an empty PRB store: the regimen cannot be provided
    result = sweeps.alerts_sweep_rereferral(facility_id=world.pkm1.pk, as_of=TODAY)
    # Evaluated again; DM has no "medicines not available" criterion (III.B.1.d), so
    # the verdict stays "continue" (COPD's is covered above).
    assert (result.reused, result.skipped, result.raised) == (0, 0, 0)
