import datetime as dt

import pytest
from django.urls import reverse

from patients.models import Patient
from pharmacy.models import Prescription
from referrals import services
from referrals.models import BackReferralLetter, ControlVisit, PrbCase, ReReferral
from tests.patients.factories import PatientFactory
from tests.referrals.factories import (
    DM_ELIGIBLE_FACTS,
    FormularyMedicineFactory,
    HospitalFactory,
    enrol,
    make_ready,
    receive_letter,
    record_visit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _form_data(world, hospital, **overrides):
    data = {
        "hospital": hospital.pk,
        "dpjp_name": "dr. Ahmad, Sp.PD",
        "srb_number": "SRB-100",
        "sep_number": "SEP-1",
        "letter_date": "2026-11-01",
        "nik": world.patient1.nik,
        "bpjs_number": world.patient1.bpjs_number,
        "name": world.patient1.name,
        "sex": "M",
        "birth_date": "1968-04-02",
        "program": "DM",
        "icd10": "e11.9",
        "general_a": "on",
        "general_b": "on",
        "general_c": "on",
        "general_e": "on",
        "general_f": "on",
        "med-TOTAL_FORMS": "4",
        "med-INITIAL_FORMS": "0",
        "med-MIN_NUM_FORMS": "0",
        "med-MAX_NUM_FORMS": "12",
        "med-0-medicine": FormularyMedicineFactory().pk,
        "med-0-signa": "3x1",
        "med-0-quantity_per_month": "90",
    }
    for name, value in DM_ELIGIBLE_FACTS.items():
        key = f"f_{name}"
        data[key] = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    data.update(overrides)
    return data


@pytest.fixture
def hospital(world):
    return HospitalFactory(regency=world.regency_a, name="RSUD Binjai")


def test_the_intake_form_shows_only_the_programs_facts_with_units(world, login) -> None:
    body = login(world.dokter1).get(reverse("referrals:letter_create")).content.decode()
    assert 'name="f_hba1c_percent"' in body and "HbA1c (%)" in body
    assert "3–20 %" in body
    assert 'name="f_act_score"' not in body
    body = (
        login(world.dokter1)
        .get(reverse("referrals:letter_create"), {"program": "ASTHMA"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert 'name="f_act_score"' in body and 'name="f_hba1c_percent"' not in body
    assert "<html" not in body


def test_the_panel_turns_a_clause_from_met_to_not_met(world, login, hospital) -> None:
    client = login(world.dokter1)
    url = reverse("referrals:letter_evaluate")
    met = client.post(url, _form_data(world, hospital), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-clause="II.B.1.a" data-outcome="met"' in met
    assert "<html" not in met
    assert "Memenuhi syarat" in met
    not_met = client.post(
        url, _form_data(world, hospital, f_hba1c_percent="8,1"), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-clause="II.B.1.a" data-outcome="not_met"' in not_met
    assert "HbA1c 8,1% ≥ 7%" in not_met or "8,1" in not_met


def test_the_panel_lists_keempat_as_a_checklist_and_out_of_range_values(
    world, login, hospital
) -> None:
    data = _form_data(world, hospital, f_hba1c_percent="70")
    del data["general_c"]
    body = login(world.dokter1).post(reverse("referrals:letter_evaluate"), data).content.decode()
    assert 'data-clause="KEEMPAT.c" data-outcome="unknown"' in body
    assert 'data-clause="KEEMPAT.a" data-outcome="met"' in body
    assert "Harus antara 3 dan 20%." in body


def test_without_javascript_the_check_button_renders_the_panel(world, login, hospital) -> None:
    response = login(world.dokter1).post(
        reverse("referrals:letter_create"), {**_form_data(world, hospital), "action": "check"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="criteria-panel"' in body and 'data-clause="II.B.1.a" data-outcome="met"' in body
    assert not BackReferralLetter.objects.exists()


def test_saving_a_letter_stores_it_with_the_engines_verdict(world, login, hospital) -> None:
    response = login(world.dokter1).post(
        reverse("referrals:letter_create"), {**_form_data(world, hospital), "action": "save"}
    )
    letter = BackReferralLetter.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:letter_detail", args=[letter.pk])
    assert letter.icd10 == "E11.9" and letter.outcome == "eligible"


def test_an_eligible_letter_at_a_ready_puskesmas_offers_acceptance(world, login) -> None:
    letter = receive_letter(world)
    make_ready(letter.facility, letter.program, world.dokter1)
    detail = login(world.dokter1).get(reverse("referrals:letter_detail", args=[letter.pk]))
    assert "Terima" in detail.content.decode()


def test_accepting_from_the_letter_page_opens_the_case_with_its_care_plan(world, login) -> None:
    letter = receive_letter(world)
    make_ready(letter.facility, letter.program, world.dokter1)
    client = login(world.dokter1)
    response = client.post(
        reverse("referrals:letter_accept", args=[letter.pk]), {"control_interval_days": "30"}
    )
    case = PrbCase.objects.get()
    letter.refresh_from_db()
    assert letter.status == "accepted" and case.letters.get() == letter
    assert case.care_plans.get().control_interval_days == 30
    assert response.url == reverse("referrals:case_detail", args=[case.pk])
    body = client.get(response.url).content.decode()
    assert "GDP dan/atau GD 2 jam PP" in body and "Ikut kegiatan Prolanis" in body


def test_a_wrong_nik_keeps_what_was_typed_and_saves_nothing(world, login, hospital) -> None:
    data = _form_data(
        world,
        hospital,
        nik="1275019999990001",
        bpjs_number="0001112223334",
        name="Pasien Baru Sekali",
    )
    response = login(world.dokter1).post(
        reverse("referrals:letter_create"), {**data, "action": "save"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Digit ke-7 s.d. 12 NIK harus berupa tanggal lahir" in body
    assert 'value="Pasien Baru Sekali"' in body and 'value="6.5"' in body
    assert not BackReferralLetter.objects.exists()
    assert not Patient.objects.filter(bpjs_number="0001112223334").exists()


def test_a_nik_not_matching_the_birth_date_is_refused(world, login, hospital) -> None:
    data = _form_data(
        world, hospital, nik="1275010101900001", bpjs_number="0001112223335", name="Baru"
    )
    body = (
        login(world.dokter1)
        .post(reverse("referrals:letter_create"), {**data, "action": "save"})
        .content.decode()
    )
    assert "tidak sesuai dengan" in body
    assert not Patient.objects.filter(bpjs_number="0001112223335").exists()


def test_hba1c_70_gets_the_range_message_on_its_field(world, login, hospital) -> None:
    response = login(world.dokter1).post(
        reverse("referrals:letter_create"),
        {**_form_data(world, hospital, f_hba1c_percent="70"), "action": "save"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert body.count("Harus antara 3 dan 20%.") >= 1
    assert 'value="70"' in body
    assert not BackReferralLetter.objects.exists()


def test_a_duplicate_srb_gets_a_clear_message(world, login, hospital) -> None:
    receive_letter(world, srb="SRB-100")
    response = login(world.dokter1).post(
        reverse("referrals:letter_create"), {**_form_data(world, hospital), "action": "save"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Surat rujuk balik dengan nomor SRB ini sudah ada." in body
    assert 'value="SRB-100"' in body
    assert BackReferralLetter.objects.count() == 1


def test_accepting_an_incomplete_letter_without_reason_is_refused(world, login) -> None:
    letter = receive_letter(world, facts={"hba1c_percent": 6.5})
    make_ready(letter.facility, letter.program, world.dokter1)
    client = login(world.dokter1)
    response = client.post(
        reverse("referrals:letter_accept", args=[letter.pk]), {"control_interval_days": "30"}
    )
    assert response.status_code == 400
    assert "butuh alasan" in response.content.decode()
    assert not PrbCase.objects.exists()
    response = client.post(
        reverse("referrals:letter_accept", args=[letter.pk]),
        {"control_interval_days": "30", "override_reason": "Lab menyusul"},
    )
    assert PrbCase.objects.get().override_reason == "Lab menyusul"


def test_returning_a_letter(world, login) -> None:
    letter = receive_letter(world)
    client = login(world.dokter1)
    assert (
        client.post(
            reverse("referrals:letter_return", args=[letter.pk]), {"return_reasons": ""}
        ).status_code
        == 400
    )
    client.post(
        reverse("referrals:letter_return", args=[letter.pk]), {"return_reasons": "EKG belum ada"}
    )
    letter.refresh_from_db()
    assert letter.status == "returned"


def test_a_nurse_may_not_accept(world, login) -> None:
    letter = receive_letter(world)
    response = login(world.perawat1).post(
        reverse("referrals:letter_accept", args=[letter.pk]), {"control_interval_days": "30"}
    )
    assert response.status_code == 403
    letter.refresh_from_db()
    assert letter.status == "received" and not PrbCase.objects.exists()


def _visit_data(**overrides):
    data = {
        "visit_date": "2026-11-05",
        "adherence": "good",
        "rx-TOTAL_FORMS": "2",
        "rx-INITIAL_FORMS": "0",
        "rx-MIN_NUM_FORMS": "0",
        "rx-MAX_NUM_FORMS": "12",
    }
    data.update(overrides)
    return data


def test_a_control_visit_shows_the_rereferral_verdict_at_once(world, login) -> None:
    case = enrol(world)
    client = login(world.dokter1)
    form = client.get(reverse("referrals:visit_create", args=[case.pk])).content.decode()
    assert 'name="f_medical_need"' in form and 'value="3x1"' in form
    metformin = FormularyMedicineFactory()
    response = client.post(
        reverse("referrals:visit_create", args=[case.pk]),
        _visit_data(
            **{
                "f_hba1c_percent": "8,4",
                "rx-0-medicine": metformin.pk,
                "rx-0-quantity": "90",
                "rx-0-signa": "3x1",
            }
        ),
    )
    visit = ControlVisit.objects.get()
    assert response.url == reverse("referrals:visit_detail", args=[visit.pk])
    body = client.get(response.url).content.decode()
    assert 'data-clause="III.B.1.d.2" data-outcome="triggered"' in body
    assert "Tulis surat rujuk ulang" in body
    assert Prescription.objects.get().lines.get().quantity == 90


def test_a_future_visit_date_is_refused_and_keeps_the_input(world, login) -> None:
    case = enrol(world)
    response = login(world.dokter1).post(
        reverse("referrals:visit_create", args=[case.pk]),
        _visit_data(visit_date="2026-11-12", f_hba1c_percent="7,9"),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Tanggal kunjungan tidak boleh di masa depan." in body
    assert 'value="7,9"' in body
    assert not ControlVisit.objects.exists()


@pytest.fixture
def triggered(world):  # type: ignore[no-untyped-def]
    """A DM case whose visit (HbA1c 8.2) triggered III.B.1.d.2, and RSUD Tujuan."""
    case = enrol(world)
    visit = record_visit(world, case, facts={"hba1c_percent": 8.2})
    return case, visit, HospitalFactory(regency=world.regency_a, name="RSUD Tujuan")


def _rerefer(client, case, visit, hospital):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("referrals:rereferral_create", args=[case.pk]),
        {
            "visit": visit.pk,
            "hospital": hospital.pk,
            "referred_on": "2026-11-06",
            "clause_ids": ["III.B.1.d.2"],
        },
    )


def test_the_rereferral_form_ticks_the_clause_the_visit_triggered(world, login, triggered) -> None:
    case, visit, _hospital = triggered
    form = login(world.dokter1).get(
        reverse("referrals:rereferral_create", args=[case.pk]), {"visit": visit.pk}
    )
    assert 'value="III.B.1.d.2"' in form.content.decode() and "checked" in form.content.decode()


def test_a_rereferral_from_the_page_refers_the_case(world, login, triggered) -> None:
    case, visit, hospital = triggered
    response = _rerefer(login(world.dokter1), case, visit, hospital)
    referral = ReReferral.objects.get(case=case)
    assert (referral.hospital, referral.referred_on) == (hospital, dt.date(2026, 11, 6))
    assert response.url == reverse("referrals:rereferral_letter", args=[referral.pk])
    case.refresh_from_db()
    assert case.status == PrbCase.Status.RE_REFERRED


def test_the_rereferral_letter_names_the_hospital_the_clause_and_the_facts(
    world, login, triggered
) -> None:
    client = login(world.dokter1)
    letter = client.get(_rerefer(client, *triggered).url).content.decode()
    assert "RSUD Tujuan" in letter and "III.B.1.d.2" in letter and "HbA1c" in letter
    assert "SRB-0001" in letter


def test_the_control_card_prints_the_plan_and_the_next_control(world, login) -> None:
    case = enrol(world)
    card = login(world.dokter1).get(reverse("referrals:case_card", args=[case.pk]))
    assert "Ikut kegiatan Prolanis" in card.content.decode()
    assert "4 November 2026" in card.content.decode()


def test_the_letter_receipt_prints_the_srb_number(world, login) -> None:
    case = enrol(world)
    receipt = login(world.dokter1).get(
        reverse("referrals:letter_receipt", args=[case.letters.get().pk])
    )
    assert "SRB-0001" in receipt.content.decode()


def test_the_timeline_lists_everything(world, login) -> None:
    case = enrol(world)
    metformin = FormularyMedicineFactory()
    record_visit(
        world, case, lines=[services.VisitLineInput(medicine=metformin, quantity=90, signa="3x1")]
    )
    services.home_visit_record(
        actor=world.pustu_staff1,
        case=case,
        visited_on=dt.date(2026, 11, 7),
        visitor_role="kader",
        visitor_name="Ibu Sri",
        findings="Obat diminum teratur",
    )
    services.contact_attempt_record(
        actor=world.perawat1, case=case, channel="phone", outcome="unreachable"
    )
    body = (
        login(world.dokter1)
        .get(reverse("referrals:timeline", args=[world.patient1.pk]))
        .content.decode()
    )
    for text in ("SRB-0001", "Kunjungan kontrol", "Metformin", "Ibu Sri", "Tidak dapat dihubungi"):
        assert text in body, text


def test_pustu_staff_list_only_their_pustus_patients(world, login) -> None:
    enrol(world)
    other = PatientFactory(fktp=world.pkm1)  # at the puskesmas, not at Pustu Satu
    enrol(world, patient=other, srb="SRB-9")
    body = login(world.pustu_staff1).get(reverse("referrals:case_list")).content.decode()
    assert world.patient1.name in body and other.name not in body


def test_pustu_staff_open_their_patients_case(world, login) -> None:
    case = enrol(world)
    response = login(world.pustu_staff1).get(reverse("referrals:case_detail", args=[case.pk]))
    assert response.status_code == 200 and world.patient1.name in response.content.decode()


def test_pustu_staff_record_a_home_visit(world, login) -> None:
    case = enrol(world)
    typed = {"visitor_role": "kader", "visitor_name": "Ibu Sri", "findings": "Sehat"}
    url = reverse("referrals:home_visit_create", args=[case.pk])
    response = login(world.pustu_staff1).post(url, {**typed, "visited_on": "2026-11-08"})
    assert response.status_code == 302
    saved = case.home_visits.values("visited_on", *typed).get()
    assert saved == {**typed, "visited_on": dt.date(2026, 11, 8)}


def test_pustu_staff_cannot_record_a_control_visit(world, login) -> None:
    case = enrol(world)
    response = login(world.pustu_staff1).get(reverse("referrals:visit_create", args=[case.pk]))
    assert response.status_code == 403


def test_assigning_a_pustu(world, login) -> None:
    other = PatientFactory(fktp=world.pkm1)
    case = enrol(world, patient=other, srb="SRB-9")
    login(world.dokter1).post(
        reverse("referrals:case_pustu", args=[case.pk]), {"pustu": world.pustu1.pk}
    )
    other.refresh_from_db()
    assert other.pustu == world.pustu1


def test_ticking_self_management_with_htmx(world, login) -> None:
    case = enrol(world)
    item = case.care_plans.get().self_management.first()
    response = login(world.perawat1).post(
        reverse("referrals:self_management_tick", args=[case.pk, item.pk]),
        {"taught": "1"},
        HTTP_HX_REQUEST="true",
    )
    item.refresh_from_db()
    assert item.taught_on == dt.date(2026, 11, 10)
    body = response.content.decode()
    assert 'aria-pressed="true"' in body and "diajarkan 10/11/2026" in body
    assert "<html" not in body


def test_readiness_warning_and_edit(world, login) -> None:
    letter = receive_letter(world)
    client = login(world.dokter1)
    assert (
        "belum siap"
        in client.get(reverse("referrals:letter_detail", args=[letter.pk])).content.decode()
    )
    client.post(
        reverse("referrals:readiness_edit", args=["DM"]),
        {"available": ["doctor", "educator", "glucometer", "urinalysis", "medicines", "lab"]},
    )
    assert (
        "belum siap"
        not in client.get(reverse("referrals:letter_detail", args=[letter.pk])).content.decode()
    )


# ------------------------------------------------------------------ scope: dokter2 gets 404


@pytest.fixture
def pkm1_objects(world):
    case = enrol(world)
    visit = record_visit(world, case, facts={"hba1c_percent": 8.2})
    referral = services.rereferral_create(
        actor=world.dokter1,
        case=case,
        hospital=HospitalFactory(),
        referred_on=dt.date(2026, 11, 6),
        clause_ids=["III.B.1.d.2"],
    )
    plan = case.care_plans.get()
    return {
        "case": case,
        "visit": visit,
        "referral": referral,
        "letter": case.letters.get(),
        "monitoring": plan.monitoring.first(),
        "self": plan.self_management.first(),
    }


OUT_OF_SCOPE = [
    ("get", "referrals:letter_detail", lambda o: [o["letter"].pk]),
    ("post", "referrals:letter_accept", lambda o: [o["letter"].pk]),
    ("post", "referrals:letter_return", lambda o: [o["letter"].pk]),
    ("get", "referrals:letter_receipt", lambda o: [o["letter"].pk]),
    ("get", "referrals:case_detail", lambda o: [o["case"].pk]),
    ("post", "referrals:case_status", lambda o: [o["case"].pk]),
    ("post", "referrals:case_pustu", lambda o: [o["case"].pk]),
    ("get", "referrals:case_card", lambda o: [o["case"].pk]),
    ("get", "referrals:visit_create", lambda o: [o["case"].pk]),
    ("post", "referrals:visit_create", lambda o: [o["case"].pk]),
    ("post", "referrals:visit_check", lambda o: [o["case"].pk]),
    ("get", "referrals:visit_detail", lambda o: [o["visit"].pk]),
    ("get", "referrals:rereferral_create", lambda o: [o["case"].pk]),
    ("post", "referrals:rereferral_create", lambda o: [o["case"].pk]),
    ("get", "referrals:rereferral_letter", lambda o: [o["referral"].pk]),
    ("get", "referrals:home_visit_create", lambda o: [o["case"].pk]),
    ("post", "referrals:home_visit_create", lambda o: [o["case"].pk]),
    ("get", "alerts:worklist_contact", lambda o: [o["case"].pk]),
    ("post", "alerts:worklist_contact", lambda o: [o["case"].pk]),
    ("post", "referrals:monitoring_done", lambda o: [o["case"].pk, o["monitoring"].pk]),
    ("post", "referrals:self_management_tick", lambda o: [o["case"].pk, o["self"].pk]),
    ("get", "referrals:timeline", lambda o: [o["case"].patient_id]),
    ("get", "referrals:care_plan_edit", lambda o: [o["case"].pk]),
    ("post", "referrals:care_plan_edit", lambda o: [o["case"].pk]),
]


@pytest.mark.parametrize(
    ("method", "name", "args"), OUT_OF_SCOPE, ids=[f"{m} {n}" for m, n, _ in OUT_OF_SCOPE]
)
def test_dokter2_gets_404_for_pkm1s_cases(world, login, pkm1_objects, method, name, args) -> None:
    client = login(world.dokter2)
    response = getattr(client, method)(reverse(name, args=args(pkm1_objects)))
    assert response.status_code == 404


def test_dokter2_lists_do_not_show_pkm1s_cases(world, login, pkm1_objects) -> None:
    client = login(world.dokter2)
    for name in ("referrals:inbox", "referrals:case_list", "alerts:worklist"):
        body = client.get(reverse(name)).content.decode()
        assert world.patient1.name not in body, name


def test_dokter2_cannot_use_intake_to_look_up_pkm1s_patient(world, login, pkm1_objects) -> None:
    client = login(world.dokter2)
    assert (
        client.get(reverse("referrals:letter_create"), {"patient": world.patient1.pk}).status_code
        == 404
    )
    data = {"program": "DM", "nik": world.patient1.nik, "bpjs_number": world.patient1.bpjs_number}
    body = client.post(reverse("referrals:letter_evaluate"), data).content.decode()
    assert world.patient1.name not in body and "Pasien terdaftar" not in body
    assert (
        "Pasien terdaftar: Siti Lubis"
        in login(world.dokter1).post(reverse("referrals:letter_evaluate"), data).content.decode()
    )


def test_dinkes_sees_no_case(world, login, pkm1_objects) -> None:
    # The district office holds no case capability: refused by the policy (403) before scope.
    assert (
        login(world.dinkes_a)
        .get(reverse("referrals:case_detail", args=[pkm1_objects["case"].pk]))
        .status_code
        == 403
    )


# ------------------------------------------------------------------ lists paginate without N+1


def _many_cases(world, n):
    for i in range(n):
        patient = PatientFactory(fktp=world.pkm1, pustu=world.pustu1)
        enrol(world, patient=patient, srb=f"SRB-L{i}")


def test_the_inbox_paginates_without_n_plus_one(
    world, login, django_assert_max_num_queries
) -> None:
    _many_cases(world, 27)
    client = login(world.dokter1)
    client.get(reverse("referrals:inbox"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("referrals:inbox"))
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.count == 27


@pytest.mark.parametrize("name", ["referrals:case_list"])
def test_case_lists_paginate_without_n_plus_one(
    world, login, django_assert_num_queries, name
) -> None:
    _many_cases(world, 27)
    PrbCase.objects.update(next_control_date=dt.date(2026, 11, 12))
    client = login(world.dokter1)
    client.get(reverse(name))
    # session, user with facility, count, one page of cases with patient and Pustu joined,
    # the one insert logging the 25 patients shown, and the idle-expiry session save
    # (savepoint, update, release)
    with django_assert_num_queries(8):
        response = client.get(reverse(name))
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.count == 27


def test_changing_the_programme_without_javascript_keeps_it_selected(
    world, login, hospital
) -> None:
    data = {**_form_data(world, hospital, program="ASTHMA"), "action": "check", "f_act_score": "25"}
    body = login(world.dokter1).post(reverse("referrals:letter_create"), data).content.decode()
    assert '<option value="ASTHMA" selected>' in body
    assert 'name="f_act_score" value="25"' in body
    assert 'data-clause="II.B.4.a" data-outcome="met"' in body


def test_the_care_plan_sets_place_interval_and_targets(world, login) -> None:
    case = enrol(world)
    case.next_control_date = dt.date(2026, 11, 4)
    case.save(update_fields=["next_control_date"])
    client = login(world.dokter1)
    url = reverse("referrals:care_plan_edit", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"place": "pustu", "control_interval_days": 14, "targets": "GDP 80–130 mg/dL"}
    )
    assert response.status_code == 302
    plan = case.care_plans.get()
    assert (plan.place, plan.control_interval_days, plan.targets) == (
        "pustu",
        14,
        "GDP 80–130 mg/dL",
    )
    case.refresh_from_db()
    # A shorter interval brings the next control forward at once (enrolled 5 Oct + 14 days).
    assert case.next_control_date == dt.date(2026, 10, 19)


def test_the_care_plan_refuses_an_interval_outside_two_to_four_weeks(world, login) -> None:
    case = enrol(world)
    client = login(world.dokter1)
    response = client.post(
        reverse("referrals:care_plan_edit", args=[case.pk]),
        {"place": "puskesmas", "control_interval_days": 60, "targets": "Target baru"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Target baru" in body  # the form keeps what was typed
    assert "31" in body
    assert case.care_plans.get().control_interval_days == 30


def test_a_2_mb_clinical_resume_is_refused_with_a_message(world, login, hospital) -> None:
    data = _form_data(world, hospital, clinical_resume="x" * 2_000_000, name="Resume Panjang")
    response = login(world.dokter1).post(
        reverse("referrals:letter_create"), {**data, "action": "save"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "paling banyak 10000 karakter" in body
    assert not BackReferralLetter.objects.exists()


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        ("2026-11-11", "Tanggal lahir tidak boleh di masa depan."),
        ("1899-12-31", "Tanggal lahir tidak boleh sebelum tahun 1900."),
    ],
)
def test_the_form_refuses_the_birth_dates_the_api_refuses(
    world, login, hospital, birth_date, message
) -> None:
    data = _form_data(world, hospital, birth_date=birth_date, name="Tanggal Aneh")
    response = login(world.dokter1).post(
        reverse("referrals:letter_create"), {**data, "action": "save"}
    )
    body = response.content.decode()
    assert message in body and 'value="Tanggal Aneh"' in body
    assert not BackReferralLetter.objects.exists()


def test_the_case_page_offers_visit_and_re_referral_by_capability(world, client) -> None:
    case = enrol(world)
    links = [
        reverse("referrals:visit_create", kwargs={"pk": case.pk}),
        reverse("referrals:rereferral_create", kwargs={"pk": case.pk}),
    ]
    for user, shown in ((world.dokter1, True), (world.perawat1, False)):
        client.force_login(user)
        html = client.get(reverse("referrals:case_detail", kwargs={"pk": case.pk})).content
        for link in links:
            assert (f'"{link}"' in html.decode()) is shown, (user.role, link)
