import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from patients.models import Patient
from pharmacy.models import Prescription
from referrals import services
from referrals.models import BackReferralLetter, ContactAttempt, PrbCase, ReReferral
from tests.patients.factories import PatientFactory
from tests.referrals.factories import (
    DM_ELIGIBLE_FACTS,
    FormularyMedicineFactory,
    HospitalFactory,
    basal_insulin,
    enrol,
    insulin_line,
    make_ready,
    receive_letter,
    record_visit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_a_letter_is_stored_with_the_engines_verdict(world) -> None:
    letter = receive_letter(world)
    assert letter.outcome == "eligible"
    assert letter.evaluation["ruleset"] == "KMK-1645-2024"
    assert letter.patient == world.patient1
    assert letter.medicines.get().quantity_per_month == 90


def test_a_new_patient_is_registered_once(world) -> None:
    new = PatientFactory.build(fktp=world.pkm1, name="Ani")  # not saved: the letter brings her
    receive_letter(world, patient=new, srb="SRB-A")
    receive_letter(world, patient=new, srb="SRB-B")
    assert Patient.objects.filter(nik=new.nik).count() == 1


def test_a_wrong_nik_saves_nothing(world) -> None:
    # Born 1 January 1980, female: the NIK's birth part should read 410180, not 310180.
    bad = PatientFactory.build(
        fktp=world.pkm1, sex="F", birth_date=dt.date(1980, 1, 1), nik="1275013101800003"
    )
    with pytest.raises(ValidationError) as exc:
        receive_letter(world, patient=bad)
    assert "nik" in exc.value.message_dict
    assert not Patient.objects.filter(bpjs_number=bad.bpjs_number).exists()
    assert not BackReferralLetter.objects.exists()


def test_an_out_of_range_hba1c_is_refused_with_the_engines_message(world) -> None:
    with pytest.raises(ValidationError) as exc:
        receive_letter(world, facts={**DM_ELIGIBLE_FACTS, "hba1c_percent": 70.0})
    assert exc.value.message_dict["facts.hba1c_percent"] == ["Harus antara 3 dan 20%."]
    assert not BackReferralLetter.objects.exists()


def test_a_duplicate_srb_number_is_refused(world) -> None:
    receive_letter(world)
    with pytest.raises(ValidationError) as exc:
        receive_letter(world)
    assert "srb_number" in exc.value.message_dict
    assert BackReferralLetter.objects.count() == 1


def test_accepting_an_incomplete_letter_needs_an_override_reason(world) -> None:
    letter = receive_letter(world, facts={"hba1c_percent": 6.5})
    assert letter.outcome == "incomplete"
    make_ready(letter.facility, letter.program, world.dokter1)
    with pytest.raises(ValidationError) as exc:
        services.letter_accept(actor=world.dokter1, letter=letter)
    assert "override_reason" in exc.value.message_dict
    assert not PrbCase.objects.exists()
    case = services.letter_accept(
        actor=world.dokter1, letter=letter, override_reason="Lab menyusul minggu depan"
    )
    assert case.override_reason == "Lab menyusul minggu depan"
    letter.refresh_from_db()
    assert letter.status == "accepted" and letter.override_reason


def test_accepting_enrols_with_a_care_plan(world) -> None:
    case = enrol(world)
    assert case.status == PrbCase.Status.ACTIVE
    assert case.next_control_date == dt.date(2026, 11, 4)
    assert case.current_regimen[0]["quantity"] == 90
    plan = case.care_plans.get()
    glucose = plan.monitoring.filter(code="glucose")
    assert glucose.count() == 12
    assert plan.monitoring.filter(code="hba1c").first().due_on == dt.date(2027, 1, 5)
    assert plan.self_management.filter(code="prolanis").exists()


def test_schizophrenia_plan_follows_the_kmk_schedule(world) -> None:
    facts = {"first_episode": False}
    letter = receive_letter(
        world, facts=facts, program="SCHIZOPHRENIA", icd10="F20.0", medicines=[]
    )
    make_ready(letter.facility, letter.program, world.dokter1)
    case = services.letter_accept(
        actor=world.dokter1,
        letter=letter,
        override_reason="uji",
        control_interval_days=14,
        on=dt.date(2026, 1, 10),
    )
    plan = case.care_plans.get()
    assert plan.control_interval_days == 14
    weights = list(plan.monitoring.filter(code="weight_bmi").values_list("due_on", flat=True))
    assert weights[:6] == [dt.date(2026, m, 10) for m in range(2, 8)]
    assert weights[6:] == [dt.date(2026, 10, 10), dt.date(2027, 1, 10)]
    assert (
        list(
            plan.monitoring.filter(code__in=["glucose", "lipids"]).values_list("due_on", flat=True)
        )
        == [dt.date(2026, 5, 10)] * 2
    )


def test_returning_needs_reasons(world) -> None:
    letter = receive_letter(world)
    with pytest.raises(ValidationError):
        services.letter_return(actor=world.dokter1, letter=letter, reasons=" ")
    services.letter_return(actor=world.dokter1, letter=letter, reasons="EKG belum ada")
    letter.refresh_from_db()
    assert letter.status == "returned"


def test_a_visit_above_target_triggers_re_referral(world) -> None:
    case = enrol(world)
    visit = record_visit(world, case, facts={"hba1c_percent": 8.2})
    assert visit.outcome == "re_refer"
    assert [c["id"] for c in visit.triggered] == ["III.B.1.d.2"]
    case.refresh_from_db()
    assert case.next_control_date == dt.date(2026, 12, 4)  # 30 days on is a Saturday
    assert (
        case.care_plans.get().monitoring.filter(code="glucose", done_on__isnull=False).count() == 0
    )


def test_a_future_visit_date_saves_nothing(world) -> None:
    case = enrol(world)
    with pytest.raises(ValidationError) as exc:
        record_visit(world, case, on=dt.date(2026, 11, 11))
    assert "visit_date" in exc.value.message_dict
    assert not case.visits.exists()


def test_the_prescription_becomes_a_dispensing_request(world) -> None:
    case = enrol(world)
    metformin = FormularyMedicineFactory()
    visit = record_visit(
        world,
        case,
        facts={"fpg_mg_dl": 110.0},
        lines=[services.VisitLineInput(medicine=metformin, quantity=90, signa="3x1")],
    )
    assert visit.prescription.lines.get().quantity == 90
    assert visit.prescription.facility == world.pkm1
    assert case.care_plans.get().monitoring.filter(code="glucose").first().done_on == dt.date(
        2026, 11, 5
    )


def test_above_the_formulary_maximum_nothing_is_saved(world) -> None:
    case = enrol(world)
    metformin = FormularyMedicineFactory()
    with pytest.raises(ValidationError):
        record_visit(
            world,
            case,
            lines=[services.VisitLineInput(medicine=metformin, quantity=200, signa="3x1")],
        )
    assert not case.visits.exists() and not Prescription.objects.exists()


def test_basal_insulin_above_20_units_is_refused(world) -> None:
    case = enrol(world)
    insulin = basal_insulin("Insulin glargine", "100 IU/mL", form="pen", max_per_month=5)
    with pytest.raises(ValidationError) as exc:
        record_visit(world, case, lines=[insulin_line(insulin, pens=2, units_per_day=24)])
    assert "20" in exc.value.message_dict["lines"][0]
    visit = record_visit(world, case, lines=[insulin_line(insulin, pens=2, units_per_day=20)])
    assert visit.warnings and "20" in visit.warnings[0]


def test_anti_seizure_change_needs_the_dpjp(world) -> None:
    old, new = (
        FormularyMedicineFactory(
            name="Asam valproat",
            strength=strength,
            form="tablet",
            rule_group="anti_seizure",
            programs=["EPILEPSY"],
        )
        for strength in ("250 mg", "500 mg")
    )
    letter = receive_letter(
        world,
        program="EPILEPSY",
        icd10="G40.9",
        facts={
            "seizure_free_months": 12.0,
            "asm_maintenance_dose_reached": True,
            "asm_side_effects": False,
        },
        medicines=[services.LetterMedicineInput(medicine=old, signa="2x1", quantity_per_month=60)],
    )
    make_ready(letter.facility, letter.program, world.dokter1)
    case = services.letter_accept(actor=world.dokter1, letter=letter, on=dt.date(2026, 10, 5))
    same = [services.VisitLineInput(medicine=old, quantity=60, signa="2 x 1")]
    changed = [services.VisitLineInput(medicine=new, quantity=60, signa="2x1")]
    with pytest.raises(ValidationError) as exc:
        record_visit(world, case, on=dt.date(2026, 11, 2), lines=changed)
    assert "III.B.6.a.3.a" in exc.value.message_dict["lines"][0]
    record_visit(world, case, on=dt.date(2026, 11, 2), lines=same)
    visit = record_visit(
        world, case, on=dt.date(2026, 11, 3), lines=changed, dpjp_approval="dr. Sp.N, telepon 3/11"
    )
    assert visit.warnings


def test_re_referral_and_return_resume_the_case_with_a_new_baseline(world) -> None:
    case = enrol(world)
    hospital = HospitalFactory(regency=world.regency_a)
    referral = services.rereferral_create(
        actor=world.dokter1,
        case=case,
        hospital=hospital,
        referred_on=dt.date(2026, 11, 6),
        clause_ids=["III.B.1.d.2"],
    )
    assert referral.letter_number.startswith("RU/")
    case.refresh_from_db()
    assert case.status == PrbCase.Status.RE_REFERRED
    letter = receive_letter(
        world, srb="SRB-0002", facts={**DM_ELIGIBLE_FACTS, "hba1c_percent": 6.8}
    )
    resumed = services.letter_accept(actor=world.dokter1, letter=letter)
    assert resumed.pk == case.pk
    assert resumed.status == PrbCase.Status.BACK_FROM_HOSPITAL
    assert resumed.baseline_facts["hba1c_percent"] == 6.8
    assert ReReferral.objects.get().returned_on == dt.date(2026, 11, 10)
    assert case.care_plans.count() == 2


def test_a_rereferral_needs_a_reason(world) -> None:
    case = enrol(world)
    with pytest.raises(ValidationError) as exc:
        services.rereferral_create(
            actor=world.dokter1,
            case=case,
            hospital=HospitalFactory(),
            referred_on=dt.date(2026, 11, 6),
        )
    assert "doctor_reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.rereferral_create(
            actor=world.dokter1,
            case=case,
            hospital=HospitalFactory(),
            referred_on=dt.date(2026, 11, 6),
            clause_ids=["II.B.1.a"],
        )


def test_an_agreed_contact_moves_the_next_control(world) -> None:
    case = enrol(world)

    def contact(channel: str, outcome: str, **extra):  # type: ignore[no-untyped-def]
        services.contact_attempt_record(
            actor=world.perawat1, case=case, channel=channel, outcome=outcome, **extra
        )
        case.refresh_from_db()

    contact("phone", "agreed", agreed_date=dt.date(2026, 11, 20))
    assert case.next_control_date == dt.date(2026, 11, 20)
    contact("sms", "unreachable")
    assert ContactAttempt.objects.count() == 2
    # Agreed to visit without a date: the control date stays (the worklist hides 7 days).
    contact("phone", "agreed")
    assert case.next_control_date == dt.date(2026, 11, 20)
    with pytest.raises(ValidationError):
        contact("phone", "agreed", agreed_date=dt.date(2026, 11, 1))


def test_status_changes_follow_the_allowed_transitions(world) -> None:
    case = enrol(world)
    with pytest.raises(ValidationError):
        services.case_status_change(
            actor=world.dokter1, case=case, status=PrbCase.Status.RE_REFERRED
        )
    services.case_status_change(
        actor=world.dokter1,
        case=case,
        status=PrbCase.Status.DROPPED_OUT,
        note="tidak datang 3 bulan",
    )
    services.case_status_change(actor=world.dokter1, case=case, status=PrbCase.Status.ACTIVE)
    assert case.status == PrbCase.Status.ACTIVE


def test_medicines_unavailable_hook_reads_the_latest_visit(world) -> None:
    letter = receive_letter(world, program="COPD", icd10="J44.9", facts={"mmrc": 1}, medicines=[])
    make_ready(letter.facility, letter.program, world.dokter1)
    case = services.letter_accept(
        actor=world.dokter1, letter=letter, override_reason="uji", on=dt.date(2026, 10, 5)
    )
    assert services.case_medicines_unavailable(case) is None
    record_visit(world, case, facts={"medicines_unavailable": True})
    assert services.case_medicines_unavailable(case) is True
    visit = record_visit(world, case, on=dt.date(2026, 11, 9))
    assert visit.facts["medicines_unavailable"] is True
    assert [c["id"] for c in visit.triggered] == ["III.B.5.d.2"]


def test_readiness_checklist(world) -> None:
    from referrals.selectors import facility_readiness

    assert not facility_readiness(facility_id=world.pkm1.pk, program="DM").ready
    services.readiness_update(
        actor=world.admin1,
        facility=world.pkm1,
        program="DM",
        available=["doctor", "educator", "glucometer", "urinalysis", "medicines", "lab"],
    )
    assert facility_readiness(facility_id=world.pkm1.pk, program="DM").ready
    with pytest.raises(ValidationError):
        services.readiness_update(
            actor=world.admin1, facility=world.pkm1, program="DM", available=["xray"]
        )


def test_medicines_unavailable_reads_the_puskesmas_prb_stock(world) -> None:
    from pharmacy.models import Lot, StockBalance, Store

    case = enrol(world)  # regimen: metformin 90 a month
    metformin = FormularyMedicineFactory()
    store = Store.objects.create(facility=world.pkm1, kind=Store.Kind.PRB, name="Gudang PRB")
    assert services.case_medicines_unavailable(case) is True
    lot = Lot.objects.create(medicine=metformin, batch="B1", expiry_date=dt.date(2027, 6, 30))
    balance = StockBalance.objects.create(store=store, lot=lot, medicine=metformin, quantity=60)
    assert services.case_medicines_unavailable(case) is True
    balance.quantity = 120
    balance.save()
    assert services.case_medicines_unavailable(case) is False


def test_medicines_unavailable_counts_the_partner_depot_and_ignores_inactive_stores(world) -> None:
    """The hook reads ``pharmacy.selectors.medicines_unavailable``, as the sweep does."""
    from facilities.models import Facility
    from pharmacy.models import Lot, StockBalance, Store
    from tests.facilities.factories import FacilityFactory

    case = enrol(world)  # regimen: metformin 90 a month
    metformin = FormularyMedicineFactory()
    Store.objects.create(facility=world.pkm1, kind=Store.Kind.PRB, name="Gudang PRB")
    apotek = FacilityFactory(kind=Facility.Kind.APOTEK_PRB, regency=world.pkm1.regency)
    depot = Store.objects.create(
        facility=world.pkm1, kind=Store.Kind.DEPOT, partner=apotek, name="Depo Apotek"
    )
    lot = Lot.objects.create(medicine=metformin, batch="D1", expiry_date=dt.date(2027, 6, 30))
    StockBalance.objects.create(store=depot, lot=lot, medicine=metformin, quantity=120)
    assert services.case_medicines_unavailable(case) is False
    depot.is_active = False
    depot.save(update_fields=["is_active"])
    assert services.case_medicines_unavailable(case) is True


def test_the_form_and_the_api_build_the_same_letter_fingerprint(world) -> None:
    """One fingerprint for both intake paths: a letter typed in, then sent by the hospital."""
    from tests.referrals.factories import ALL_ATTESTED

    content = {
        "facility": world.pkm1,
        "hospital": HospitalFactory(regency=world.regency_a),
        "srb_number": "SRB-FP-1",
        "letter_date": dt.date(2026, 10, 1),
        "patient": services.PatientInput.of(world.patient1),
        "program": "DM",
        "icd10": "E11.9",
        "attestations": {**ALL_ATTESTED, "e": None},
        "comorbidities": [{"icd10": "I10", "controlled_months": 6}],
        "facts": DM_ELIGIBLE_FACTS,
        "medicines": [
            services.LetterMedicineInput(
                medicine=FormularyMedicineFactory(), signa="3x1", quantity_per_month=90
            )
        ],
    }
    typed = services.letter_receive(
        actor=world.dokter1, letter=services.LetterInput(dpjp_name="dr. Ahmad", **content)
    )
    assert typed.fingerprint == services.letter_fingerprint(services.LetterContent(**content))
    sent, created = services.letter_receive_idempotent(
        actor=world.dokter1,
        letter=services.LetterInput(
            dpjp_name="dr. Ahmad, Sp.PD", source=BackReferralLetter.Source.API, **content
        ),
    )
    assert (sent, created) == (typed, False)
    with pytest.raises(ValidationError) as raised:
        services.letter_receive_idempotent(
            actor=world.dokter1,
            letter=services.LetterInput(
                dpjp_name="dr. Ahmad",
                **{**content, "facts": {**DM_ELIGIBLE_FACTS, "hba1c_percent": 9.5}},
            ),
        )
    assert "srb_number" in raised.value.message_dict
