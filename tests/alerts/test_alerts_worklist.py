import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts import selectors
from alerts.models import Alert, WorklistRemoval
from patients.models import PatientAccessLog
from referrals.models import ContactAttempt, PrbCase
from tests.alerts.conftest import TODAY, days_ago
from tests.alerts.factories import (
    AlertFactory,
    CarePlanFactory,
    CaseFactory,
    ContactFactory,
    MonitoringItemFactory,
    VisitFactory,
)
from tests.patients.factories import PatientFactory
from tests.referrals.factories import record_visit

pytestmark = pytest.mark.usefixtures("frozen_today")
JAKARTA = ZoneInfo("Asia/Jakarta")


def _codes(user, **kwargs):  # type: ignore[no-untyped-def]
    return {
        case.pk: selectors.bucket_for((TODAY - case.next_control_date).days).code
        for case in selectors.worklist(user=user, as_of=TODAY, **kwargs)
    }


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (0, "today"),
        (1, "1-7"),
        (7, "1-7"),
        (8, "8-30"),
        (30, "8-30"),
        (31, "31-90"),
        (90, "31-90"),
        (91, "lost"),
    ],
)
def test_bucket_boundaries(world, days, bucket) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(days))
    assert _codes(world.dokter1) == {case.pk: bucket}
    assert [c.pk for c in selectors.worklist(user=world.dokter1, as_of=TODAY, bucket=bucket)] == [
        case.pk
    ]
    others = [b.code for b in selectors.BUCKETS if b.code != bucket]
    for other in others:
        assert not selectors.worklist(user=world.dokter1, as_of=TODAY, bucket=other).exists()


def test_a_control_still_ahead_is_not_on_the_list(world) -> None:
    CaseFactory(patient=world.patient1, next_control_date=TODAY + dt.timedelta(days=1))
    assert not selectors.worklist(user=world.dokter1, as_of=TODAY).exists()


def test_the_page_groups_by_bucket_in_indonesian(world, login) -> None:
    CaseFactory(patient=world.patient1, next_control_date=days_ago(8))
    CaseFactory(patient__fktp=world.pkm1, patient__name="Rahmat", next_control_date=days_ago(91))
    body = login(world.dokter1).get(reverse("alerts:worklist")).content.decode()
    assert "Daftar kerja kontrol" in body
    assert "Terlambat 8–30 hari" in body and "Putus kontrol (lebih dari 90 hari)" in body
    assert "8 hari terlambat" in body and "91 hari terlambat" in body
    lost_only = login(world.dokter1).get(reverse("alerts:worklist"), {"bucket": "lost"})
    assert "Rahmat" in lost_only.content.decode()
    assert "Siti Lubis" not in lost_only.content.decode()


def test_highest_risk_comes_first(world) -> None:
    calm = CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(60))
    VisitFactory(case=calm, visit_date=days_ago(90), facts={"sbp": 128, "dbp": 80})
    crisis = CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(2), program="HT")
    VisitFactory(case=crisis, visit_date=days_ago(32), facts={"sbp": 186, "dbp": 100})
    sugar = CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(5))
    VisitFactory(case=sugar, visit_date=days_ago(35), facts={"fpg_mg_dl": 210})
    # No visit yet: the letter's baseline facts decide.
    baseline = CaseFactory(
        patient__fktp=world.pkm1, next_control_date=days_ago(1), baseline_facts={"dbp": 112}
    )
    order = [c.pk for c in selectors.worklist(user=world.dokter1, as_of=TODAY)]
    # Very high first, the longest overdue first within a level.
    assert order == [crisis.pk, baseline.pk, sugar.pk, calm.pk]
    rows = selectors.attach_row_details(
        list(selectors.worklist(user=world.dokter1, as_of=TODAY)), as_of=TODAY
    )
    assert rows[0].risk_reasons == ["Sistolik ≥ 180 mmHg"]
    assert rows[1].risk_reasons == ["Diastolik ≥ 110 mmHg"]
    assert str(rows[2].risk_label) == "Tinggi" and rows[3].risk_reasons == []


def test_missed_over_30_days_after_a_stroke_or_mi_is_very_high_risk(world) -> None:
    from tests.referrals.factories import receive_letter

    stroke = CaseFactory(patient__fktp=world.pkm1, program="STROKE", next_control_date=days_ago(31))
    stroke_30 = CaseFactory(
        patient__fktp=world.pkm1, program="STROKE", next_control_date=days_ago(30)
    )
    # A DM case of a patient whose other case is post-MI.
    dm_after_mi = CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(45))
    CaseFactory(
        patient=dm_after_mi.patient,
        program="HEART_MI",
        status="dropped_out",
        next_control_date=None,
    )
    # An old MI as a comorbidity on the patient's back-referral letter.
    letter_mi = CaseFactory(patient=world.patient1, program="DM", next_control_date=days_ago(60))
    receive_letter(world, icd10="E11.9", comorbidities=[{"icd10": "I25.2", "controlled_months": 6}])
    plain = CaseFactory(patient__fktp=world.pkm1, program="HT", next_control_date=days_ago(80))
    rows = selectors.attach_row_details(
        list(selectors.worklist(user=world.dokter1, as_of=TODAY)), as_of=TODAY
    )
    by_pk = {row.pk: row for row in rows}
    reason = "Tidak kontrol lebih dari 30 hari setelah stroke atau serangan jantung"
    for case in (stroke, dm_after_mi, letter_mi):
        assert by_pk[case.pk].risk == 3 and by_pk[case.pk].risk_reasons == [reason], case.program
        assert str(by_pk[case.pk].risk_label) == "Sangat tinggi"
    assert by_pk[stroke_30.pk].risk == 0 and by_pk[stroke_30.pk].risk_reasons == []
    assert by_pk[plain.pk].risk == 0
    # Very high first, the longest overdue first within a level.
    assert [row.pk for row in rows] == [
        letter_mi.pk,
        dm_after_mi.pk,
        stroke.pk,
        plain.pk,
        stroke_30.pk,
    ]


def test_a_stroke_diagnosis_on_a_letter_counts_too(world) -> None:
    from tests.referrals.factories import receive_letter

    case = CaseFactory(patient=world.patient1, program="HT", next_control_date=days_ago(35))
    assert selectors.worklist(user=world.dokter1, as_of=TODAY).get().risk == 0
    receive_letter(world, icd10="I63.9")
    assert selectors.worklist(user=world.dokter1, as_of=TODAY).get(pk=case.pk).risk == 3


def test_a_triggered_re_referral_at_the_last_visit_is_high_risk(world) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(3))
    VisitFactory(case=case, visit_date=days_ago(33), outcome="re_refer")
    other = CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(40))
    assert [c.pk for c in selectors.worklist(user=world.dokter1, as_of=TODAY)] == [
        case.pk,
        other.pk,
    ]


def test_pustu_staff_see_only_their_pustu_patients(world, login) -> None:
    CaseFactory(patient=world.patient1, next_control_date=days_ago(3))
    CaseFactory(
        patient__fktp=world.pkm1, patient__name="Tanpa Pustu", next_control_date=days_ago(3)
    )
    body = login(world.pustu_staff1).get(reverse("alerts:worklist")).content.decode()
    assert "Siti Lubis" in body and "Tanpa Pustu" not in body
    # The puskesmas sees both, and can narrow the list to its Pustu.
    client = login(world.dokter1)
    assert "Tanpa Pustu" in client.get(reverse("alerts:worklist")).content.decode()
    narrowed = client.get(reverse("alerts:worklist"), {"pustu": world.pustu1.pk}).content.decode()
    assert "Siti Lubis" in narrowed and "Tanpa Pustu" not in narrowed


def test_other_puskesmas_sees_nothing_and_gets_404(world, login) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(3))
    client = login(world.dokter2)
    assert "Siti Lubis" not in client.get(reverse("alerts:worklist")).content.decode()
    assert "Siti Lubis" not in client.get(reverse("alerts:worklist_export")).content.decode()
    contact = reverse("alerts:worklist_contact", args=[case.pk])
    assert client.get(contact).status_code == 404
    assert client.post(contact, {"channel": "phone", "outcome": "unreachable"}).status_code == 404
    removed = {"channel": "phone", "outcome": "removed", "reason": "elsewhere"}
    assert client.post(contact, removed).status_code == 404
    assert client.post(contact, removed, HTTP_HX_REQUEST="true").status_code == 404
    assert not ContactAttempt.objects.exists() and not WorklistRemoval.objects.exists()
    # Another Pustu's filter value is ignored, not a way in.
    assert (
        "Siti Lubis"
        not in client.get(reverse("alerts:worklist"), {"pustu": world.pustu1.pk}).content.decode()
    )


def test_the_list_has_no_n_plus_one(world, login, django_assert_num_queries) -> None:
    def add(n: int) -> None:
        for i in range(n):
            case = CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(i + 1))
            VisitFactory(case=case, visit_date=days_ago(i + 31), facts={"sbp": 150 + i})
            ContactFactory(case=case, by=world.perawat1)
            MonitoringItemFactory(care_plan=CarePlanFactory(case=case), due_on=days_ago(-2))

    client = login(world.dokter1)
    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("alerts:worklist")).status_code == 200
    add(8)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(reverse("alerts:worklist")).content.decode()
    assert body.count('<tr id="case-') == 10


def test_the_list_paginates(world, login) -> None:
    for i in range(35):
        CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(i))
    client = login(world.dokter1)
    first = client.get(reverse("alerts:worklist"), {"bucket": "8-30"}).content.decode()
    assert first.count('<tr id="case-') == 23  # days 8..30
    page1 = client.get(reverse("alerts:worklist")).content.decode()
    page2 = client.get(reverse("alerts:worklist"), {"page": 2}).content.decode()
    assert page1.count('<tr id="case-') == 30 and page2.count('<tr id="case-') == 5
    assert "Halaman 1 dari 2" in page1


def test_the_next_page_link_keeps_the_filter(world, login) -> None:
    for i in range(35):
        CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(31 + i))
    client = login(world.dokter1)
    page1 = client.get(reverse("alerts:worklist"), {"bucket": "31-90"}).content.decode()
    assert '<a href="?bucket=31-90&amp;page=2">' in page1
    page2 = client.get(reverse("alerts:worklist"), {"bucket": "31-90", "page": 2})
    assert page2.content.decode().count('<tr id="case-') == 5


def test_htmx_contact_updates_the_row(world, login) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(4))
    client = login(world.perawat1)
    url = reverse("alerts:worklist_contact", args=[case.pk])
    response = client.post(
        url,
        {"channel": "phone", "outcome": "agreed", "agreed_date": "2026-11-14", "note": "siang"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="case-{case.pk}"')
    assert "Setuju datang: pasien keluar dari daftar selama 7 hari." in body
    # The swapped row is a card on a phone like the others: its cells keep their labels.
    assert 'data-label="Jadwal kontrol"' in body and 'data-label="Kontak terakhir"' in body
    case.refresh_from_db()
    assert case.next_control_date == dt.date(2026, 11, 14)
    attempt = ContactAttempt.objects.get()
    assert attempt.by == world.perawat1 and attempt.note == "siang"
    assert not selectors.worklist(user=world.dokter1, as_of=TODAY).exists()


def test_htmx_contact_errors_stay_in_the_row(world, login) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(4))
    response = login(world.perawat1).post(
        reverse("alerts:worklist_contact", args=[case.pk]),
        {"channel": "phone", "outcome": "removed", "note": "lupa alasan"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Pilih alasan pengeluaran." in body
    assert 'value="lupa alasan"' in body and '<details class="worklist-contact" open>' in body
    assert not ContactAttempt.objects.exists() and not WorklistRemoval.objects.exists()


def test_the_form_offers_the_simple_outcomes_with_indonesian_labels(world, login) -> None:
    CaseFactory(patient=world.patient1, next_control_date=days_ago(4))
    body = login(world.perawat1).get(reverse("alerts:worklist")).content.decode()
    for label in ("Setuju datang", "Ingatkan lagi nanti", "Tidak dapat dihubungi"):
        assert label in body, label
    assert "Dikeluarkan dari daftar kerja" in body and "Alasan pengeluaran" in body
    assert 'value="died"' in body and 'value="elsewhere"' in body  # the removal reasons


def test_plain_form_contact_without_javascript(world, login) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(4))
    client = login(world.pustu_staff1)
    url = reverse("alerts:worklist_contact", args=[case.pk])
    assert "Catat upaya kontak" in client.get(url).content.decode()
    bad = client.post(url, {"channel": "phone", "outcome": "removed"})
    assert bad.status_code == 400 and "Pilih alasan pengeluaran." in bad.content.decode()
    good = client.post(url, {"channel": "sms", "outcome": "unreachable"})
    assert good.status_code == 302 and good["Location"] == reverse("alerts:worklist")
    assert ContactAttempt.objects.get().outcome == "unreachable"
    # "Unreachable" keeps the patient on the list, with the last contact shown.
    body = client.get(reverse("alerts:worklist")).content.decode()
    assert "Siti Lubis" in body and "Tidak dapat dihubungi" in body


@pytest.mark.parametrize(
    ("outcome", "hidden_days"), [("agreed", 7), ("remind_later", 30), ("unreachable", 0)]
)
def test_each_outcome_hides_the_row_for_its_days(
    world, login, time_machine, outcome, hidden_days
) -> None:
    """Contact on 10 Nov: hidden up to and including day D + n - 1, back on day D + n."""
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(4))
    client = login(world.perawat1)
    client.post(
        reverse("alerts:worklist_contact", args=[case.pk]), {"channel": "phone", "outcome": outcome}
    )
    assert ContactAttempt.objects.get().outcome == outcome

    def shown(on: dt.date) -> bool:
        time_machine.move_to(dt.datetime.combine(on, dt.time(9), tzinfo=JAKARTA), tick=False)
        client.force_login(world.perawat1)  # the idle session would have expired
        response = client.get(reverse("alerts:worklist"))
        assert response.status_code == 200
        body = response.content.decode()
        listed = f'<tr id="case-{case.pk}"' in body
        assert (
            listed == selectors.worklist(user=world.perawat1, as_of=on).filter(pk=case.pk).exists()
        )
        return listed

    if hidden_days:
        assert not shown(TODAY)
        assert not shown(TODAY + dt.timedelta(days=hidden_days - 1))
    assert shown(TODAY + dt.timedelta(days=hidden_days))
    case.refresh_from_db()
    assert case.next_control_date == days_ago(4)  # no agreed date: the control date stays


def test_a_later_contact_brings_a_hidden_patient_back(world) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(20))
    ContactFactory(case=case, outcome="remind_later", by=world.perawat1)
    assert not selectors.worklist(user=world.dokter1, as_of=TODAY).exists()
    ContactFactory(
        case=case,
        outcome="unreachable",
        by=world.perawat1,
        attempted_at=dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC),
    )
    assert selectors.worklist(user=world.dokter1, as_of=TODAY).get() == case
    assert selectors.worklist_counts(user=world.dokter1, as_of=TODAY)["8-30"] == 1


@pytest.mark.parametrize(
    ("reason", "status"), [("died", PrbCase.Status.DIED), ("moved", PrbCase.Status.MOVED)]
)
def test_a_patient_who_died_or_moved_leaves_the_list(world, login, reason, status) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(45))
    client = login(world.dokter1)
    response = client.post(
        reverse("alerts:worklist_contact", args=[case.pk]),
        {
            "channel": "phone",
            "outcome": "removed",
            "reason": reason,
            "note": "keluarga mengabarkan",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == status and case.status_note == "keluarga mengabarkan"
    removal = WorklistRemoval.objects.get()
    assert removal.reason == reason and removal.due_date == days_ago(45)
    assert ContactAttempt.objects.get().outcome == "removed"
    assert not selectors.worklist(user=world.dokter1, as_of=TODAY).exists()
    assert "Siti Lubis" not in client.get(reverse("alerts:worklist")).content.decode()


def test_back_at_hospital_takes_the_case_off_for_this_control_date(world, login) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(10))
    login(world.dokter1).post(
        reverse("alerts:worklist_contact", args=[case.pk]),
        {"channel": "whatsapp", "outcome": "removed", "reason": "at_hospital"},
    )
    case.refresh_from_db()
    assert case.status == PrbCase.Status.ACTIVE  # the doctor re-refers; the list forgets it
    assert not selectors.worklist(user=world.dokter1, as_of=TODAY).exists()
    # A new missed control date brings the patient back.
    PrbCase.objects.filter(pk=case.pk).update(next_control_date=days_ago(1))
    assert selectors.worklist(user=world.dokter1, as_of=TODAY).get().pk == case.pk


def test_removing_from_the_list_needs_a_reason(world, login) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(10))
    client = login(world.dokter1)
    url = reverse("alerts:worklist_contact", args=[case.pk])
    missing = client.post(url, {"channel": "phone", "outcome": "removed", "reason": ""})
    assert missing.status_code == 400 and "Pilih alasan pengeluaran." in missing.content.decode()
    other = client.post(
        url, {"channel": "phone", "outcome": "removed", "reason": "other", "note": "  "}
    )
    assert other.status_code == 400 and "Jelaskan alasannya." in other.content.decode()
    assert not WorklistRemoval.objects.exists() and not ContactAttempt.objects.exists()
    ok = client.post(
        url,
        {
            "channel": "phone",
            "outcome": "removed",
            "reason": "elsewhere",
            "note": "kontrol di klinik",
        },
    )
    assert ok.status_code == 302
    removal = WorklistRemoval.objects.get()
    assert (removal.reason, removal.note, removal.removed_by) == (
        "elsewhere",
        "kontrol di klinik",
        world.dokter1,
    )
    after = client.get(reverse("alerts:worklist")).content.decode()
    assert "Upaya kontak disimpan." in after
    assert f'<tr id="case-{case.pk}"' not in after


def test_a_contact_closes_the_case_s_overdue_alert(world, login) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(10))
    other = CaseFactory(patient__fktp=world.pkm1, next_control_date=days_ago(10))
    due = f"case:{case.pk}:due:{days_ago(10).isoformat()}"
    mine = AlertFactory(facility=world.pkm1, key=due, patient=world.patient1, title="Kontrol A")
    at_pustu = AlertFactory(facility=world.pustu1, key=due, roles=["pustu"], title="Kontrol P")
    theirs = AlertFactory(
        facility=world.pkm1, key=f"case:{other.pk}:due:{days_ago(10).isoformat()}", title="Lain"
    )
    stock = AlertFactory(
        facility=world.pkm1, kind=Alert.Kind.STOCK_LOW, key=f"case:{case.pk}:x", title="Stok"
    )
    client = login(world.dokter1)
    assert "Kontrol A" in client.get(reverse("alerts:list")).content.decode()
    client.post(
        reverse("alerts:worklist_contact", args=[case.pk]),
        {"channel": "phone", "outcome": "unreachable"},
    )
    for alert in (mine, at_pustu, theirs, stock):
        alert.refresh_from_db()
    assert mine.resolved_at is not None and at_pustu.resolved_at is not None
    assert theirs.resolved_at is None and stock.resolved_at is None
    centre = client.get(reverse("alerts:list")).content.decode()
    assert "Kontrol A" not in centre and "Lain" in centre
    # The next sweep does not raise it again for the same control date.
    from alerts.sweeps.overdue import alerts_sweep_overdue

    alerts_sweep_overdue(facility_id=world.pkm1.pk, as_of=TODAY)
    assert not Alert.objects.unresolved().filter(key=due).exists()


def test_pharmacy_staff_cannot_record_contacts(world, login) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(10))
    response = login(world.farmasi1).post(
        reverse("alerts:worklist_contact", args=[case.pk]),
        {"channel": "phone", "outcome": "unreachable"},
    )
    assert response.status_code == 403 and not ContactAttempt.objects.exists()


def test_the_export_holds_the_rows_of_the_list_in_its_order(world, login) -> None:
    crisis = CaseFactory(
        patient__fktp=world.pkm1, patient__name="Krisis", next_control_date=days_ago(3)
    )
    VisitFactory(case=crisis, visit_date=days_ago(33), facts={"sbp": 190})
    CaseFactory(patient__fktp=world.pkm1, patient__name="Biasa", next_control_date=days_ago(20))
    waiting = CaseFactory(
        patient__fktp=world.pkm1, patient__name="Menunggu", next_control_date=days_ago(9)
    )
    ContactFactory(case=waiting, outcome="agreed", by=world.perawat1)
    removed = CaseFactory(
        patient__fktp=world.pkm1, patient__name="Keluar", next_control_date=days_ago(9)
    )
    WorklistRemoval.objects.create(
        case=removed,
        due_date=removed.next_control_date,
        reason="elsewhere",
        removed_by=world.dokter1,
    )
    client = login(world.dokter1)
    response = client.get(reverse("alerts:worklist"))
    shown = [case.patient.name for case in response.context["page"].object_list]
    assert shown == ["Krisis", "Biasa"]
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("alerts:worklist_export")).content.decode("utf-8-sig"))
        )
    )
    assert [row[0] for row in rows[1:]] == shown


def test_csv_export_lists_the_filtered_rows_and_is_audited(world, login) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(12), program="HT")
    VisitFactory(case=case, visit_date=days_ago(42), facts={"sbp": 182, "dbp": 96})
    CaseFactory(patient__fktp=world.pkm1, patient__name="Belum Terlambat", next_control_date=TODAY)
    response = login(world.dokter1).get(reverse("alerts:worklist_export"), {"bucket": "8-30"})
    assert response["Content-Type"].startswith("text/csv")
    assert "daftar-kerja-kontrol-2026-11-10.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Pasien" and len(rows) == 2
    assert rows[1][0] == "Siti Lubis" and rows[1][5] == days_ago(12).isoformat()
    assert rows[1][6] == "12" and rows[1][7] == "Terlambat 8–30 hari"
    assert rows[1][8].startswith("Sangat tinggi")
    log = PatientAccessLog.objects.get()
    assert (log.patient, log.user, log.action) == (world.patient1, world.dokter1, "export")


def test_schedule_follows_visits_and_the_care_plan(world, login) -> None:
    from tests.referrals.factories import enrol

    case = enrol(world)  # enrolled 5 Oct, control every 30 days → 4 Nov (overdue)
    assert selectors.worklist(user=world.dokter1, as_of=TODAY).get().pk == case.pk

    def exams(start: dt.date) -> list[tuple[dt.date, str]]:
        days = selectors.schedule(user=world.dokter1, start=start, days=14)
        return [(d.date, item.code) for d in days for item in d.examinations]

    assert exams(dt.date(2026, 11, 1)) == [(dt.date(2026, 11, 5), "glucose")]
    record_visit(world, case, on=TODAY, facts={"fpg_mg_dl": 118.0})
    assert not selectors.worklist(user=world.dokter1, as_of=TODAY).exists()
    # The visit recorded the glucose: the examination due on 5 Nov is done.
    assert exams(dt.date(2026, 11, 1)) == []
    days = selectors.schedule(user=world.dokter1, start=dt.date(2026, 12, 1), days=14)
    assert [(d.date, [c.pk for c in d.controls]) for d in days if d.controls] == [
        (dt.date(2026, 12, 10), [case.pk])
    ]
    assert exams(dt.date(2026, 12, 1)) == [(dt.date(2026, 12, 5), "glucose")]
    body = login(world.dokter1).get(reverse("alerts:schedule")).content.decode()
    assert "Jadwal kontrol" in body


def test_the_schedule_is_scoped(world, login) -> None:
    CaseFactory(patient=world.patient1, next_control_date=TODAY + dt.timedelta(days=2))
    CaseFactory(patient=PatientFactory(fktp=world.pkm2, name="Orang Lain"), next_control_date=TODAY)
    body = login(world.dokter2).get(reverse("alerts:schedule")).content.decode()
    assert "Orang Lain" in body and "Siti Lubis" not in body


def test_a_new_care_plan_replaces_the_old_examinations(world) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=TODAY + dt.timedelta(days=20))
    old = CarePlanFactory(case=case, started_on=dt.date(2026, 6, 1))
    MonitoringItemFactory(care_plan=old, code="hba1c", label="HbA1c lama", due_on=days_ago(-3))
    assert [
        i.label for d in selectors.schedule(user=world.dokter1, start=TODAY) for i in d.examinations
    ] == ["HbA1c lama"]
    new = CarePlanFactory(case=case, started_on=days_ago(1))
    MonitoringItemFactory(care_plan=new, code="glucose", label="GDP baru", due_on=days_ago(-5))
    assert [
        i.label for d in selectors.schedule(user=world.dokter1, start=TODAY) for i in d.examinations
    ] == ["GDP baru"]


def test_an_examination_missed_several_months_is_listed_once(world) -> None:
    case = CaseFactory(patient=world.patient1, next_control_date=days_ago(3))
    plan = CarePlanFactory(case=case)
    for month in (8, 9, 10):
        MonitoringItemFactory(
            care_plan=plan, code="glucose", label="GDP", due_on=dt.date(2026, month, 5)
        )
    MonitoringItemFactory(care_plan=plan, due_on=dt.date(2026, 11, 5))
    due = selectors.monitoring_due(case_ids=[case.pk], until=TODAY)[case.pk]
    assert [item.code for item in due] == ["glucose", "hba1c"]


def test_the_csv_export_is_inert_with_patients_named_like_formulas(world, login) -> None:
    from tests.support.exports import HOSTILE, assert_inert, flat

    for name in HOSTILE:
        CaseFactory(patient__fktp=world.pkm1, patient__name=name, next_control_date=days_ago(12))
    response = login(world.dokter1).get(reverse("alerts:worklist_export"))
    rows = assert_inert(response)
    assert {"'" + name for name in HOSTILE} <= set(flat(rows))
