"""Readiness at acceptance (BAB III.A), monitoring from the regimen (III.B.8.b.3) and
teleconsultation as a contact (III.B.8.a.1.c)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from referrals import kmk, services
from referrals.models import ContactAttempt, PrbCase, ReadinessGap
from tests.referrals.factories import (
    FormularyMedicineFactory,
    make_ready,
    receive_letter,
    record_visit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

ON = dt.date(2026, 10, 5)
DM_CODES = [code for code, _text in kmk.RESOURCES["DM"]]


def _partly_ready(world):
    """pkm1 has every DM resource but the glucometer and the network laboratory."""
    services.readiness_update(
        actor=world.dokter1,
        facility=world.pkm1,
        program="DM",
        available=[c for c in DM_CODES if c not in ("glucometer", "lab")],
    )


def _accept_with_plan(world, letter, *, glucometer_on, lab_network):
    """Accept with a plan for the two missing resources: a date and a network laboratory."""
    return services.letter_accept(
        actor=world.dokter1,
        letter=letter,
        on=ON,
        readiness_plan={
            "glucometer": services.ReadinessGapInput(available_on=glucometer_on),
            "lab": services.ReadinessGapInput(network_facility=lab_network),
        },
    )


class TestTheService:
    def test_an_incomplete_checklist_asks_a_plan_for_each_missing_item(self, world) -> None:
        _partly_ready(world)
        letter = receive_letter(world)
        with pytest.raises(ValidationError) as exc:
            services.letter_accept(actor=world.dokter1, letter=letter, on=ON)
        errors = exc.value.message_dict
        assert set(errors) == {"gap_glucometer_network", "gap_lab_network"}
        assert (
            "Puskesmas belum memiliki “Glukometer” (KMK III.B.1.b)"
            in errors["gap_glucometer_network"][0]
        )
        assert not PrbCase.objects.exists() and not ReadinessGap.objects.exists()

    def test_the_plan_is_recorded_with_the_case(self, world) -> None:
        _partly_ready(world)
        letter = receive_letter(world)
        case = _accept_with_plan(
            world, letter, glucometer_on=dt.date(2026, 11, 1), lab_network="Labkesda Kota Binjai"
        )
        gaps = {gap.code: gap for gap in case.readiness_gaps.all()}
        assert gaps["glucometer"].available_on == dt.date(2026, 11, 1)
        assert gaps["lab"].network_facility == "Labkesda Kota Binjai"
        assert gaps["lab"].clause == "III.B.1.b" and gaps["lab"].letter == letter
        assert gaps["lab"].recorded_by == world.dokter1

    def test_a_half_plan_or_a_past_date_is_refused(self, world) -> None:
        _partly_ready(world)
        letter = receive_letter(world)
        with pytest.raises(ValidationError) as exc:
            _accept_with_plan(world, letter, glucometer_on=dt.date(2026, 10, 1), lab_network="  ")
        assert set(exc.value.message_dict) == {"gap_glucometer_date", "gap_lab_network"}
        assert not PrbCase.objects.exists()

    def test_without_any_checklist_every_item_is_missing(self, world) -> None:
        letter = receive_letter(world)
        with pytest.raises(ValidationError) as exc:
            services.letter_accept(actor=world.dokter1, letter=letter, on=ON)
        assert len(exc.value.message_dict) == len(DM_CODES)

    def test_a_complete_checklist_asks_nothing(self, world) -> None:
        letter = receive_letter(world)
        make_ready(world.pkm1, "DM", world.dokter1)
        case = services.letter_accept(actor=world.dokter1, letter=letter, on=ON)
        assert not case.readiness_gaps.exists()


class TestThePages:
    def test_the_letter_page_shows_the_gap_and_asks_the_plan(self, world, login) -> None:
        _partly_ready(world)
        letter = receive_letter(world)
        body = (
            login(world.dokter1)
            .get(reverse("referrals:letter_detail", args=[letter.pk]))
            .content.decode()
        )
        assert 'id="readiness-gap"' in body and "Glukometer" in body
        assert 'name="gap_glucometer_network"' in body and 'name="gap_lab_date"' in body
        assert 'name="gap_urinalysis_network"' not in body  # available: nothing to plan

    def test_accepting_without_the_plan_keeps_what_was_typed(self, world, login) -> None:
        _partly_ready(world)
        letter = receive_letter(world)
        response = login(world.dokter1).post(
            reverse("referrals:letter_accept", args=[letter.pk]),
            {"control_interval_days": "30", "gap_lab_network": "Labkesda Kota Binjai"},
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "sebutkan fasilitas jejaring" in body
        assert 'value="Labkesda Kota Binjai"' in body
        assert not PrbCase.objects.exists()

    def test_accepting_with_the_plan_shows_it_on_the_case(self, world, login) -> None:
        _partly_ready(world)
        letter = receive_letter(world)
        client = login(world.dokter1)
        response = client.post(
            reverse("referrals:letter_accept", args=[letter.pk]),
            {
                "control_interval_days": "30",
                "gap_lab_network": "Labkesda Kota Binjai",
                "gap_glucometer_date": "2026-11-20",
            },
        )
        case = PrbCase.objects.get()
        assert response.status_code == 302
        body = client.get(reverse("referrals:case_detail", args=[case.pk])).content.decode()
        assert 'id="readiness-gaps"' in body
        assert "Labkesda Kota Binjai" in body and "20/11/2026" in body

    def test_another_puskesmas_gets_404_for_the_plan_it_cannot_see(self, world, login) -> None:
        _partly_ready(world)
        letter = receive_letter(world)
        response = login(world.dokter2).post(
            reverse("referrals:letter_accept", args=[letter.pk]),
            {"control_interval_days": "30", "gap_lab_network": "X", "gap_glucometer_network": "Y"},
        )
        assert response.status_code == 404
        assert not ReadinessGap.objects.exists()

    def test_gaps_are_scoped_to_the_users_facility(self, world) -> None:
        _partly_ready(world)
        letter = receive_letter(world)
        services.letter_accept(
            actor=world.dokter1,
            letter=letter,
            on=ON,
            readiness_plan={
                code: services.ReadinessGapInput(network_facility="RSUD")
                for code in ("glucometer", "lab")
            },
        )
        assert ReadinessGap.objects.visible_to(world.dokter1).count() == 2
        assert not ReadinessGap.objects.visible_to(world.dokter2).exists()


class TestMonitoringFromTheRegimen:
    def _schizophrenia_case(self, world, medicines):
        letter = receive_letter(
            world,
            program="SCHIZOPHRENIA",
            icd10="F20.0",
            facts={"first_episode": False},
            medicines=[
                services.LetterMedicineInput(medicine=m, signa="1x1", quantity_per_month=30)
                for m in medicines
            ],
        )
        make_ready(world.pkm1, "SCHIZOPHRENIA", world.dokter1)
        return services.letter_accept(
            actor=world.dokter1, letter=letter, on=ON, override_reason="Uji."
        )

    def test_a_case_on_clozapine_gets_the_blood_count_item(self, world) -> None:
        clozapine = FormularyMedicineFactory(
            name="Clozapine", strength="25 mg", programs=["SCHIZOPHRENIA"]
        )
        plan = self._schizophrenia_case(world, [clozapine]).care_plans.get()
        blood = plan.monitoring.filter(code="blood_count_anc").order_by("due_on")
        assert blood.count() == 12 and blood[0].clause == "III.B.8.b.3.b.5"
        assert blood[0].due_on == dt.date(2026, 11, 5)
        assert plan.monitoring.filter(code="ecg_qt").exists()
        assert plan.monitoring.filter(code="eps_rating").exists()

    def test_clozapine_started_at_a_visit_adds_the_item_from_then(self, world) -> None:
        risperidone = FormularyMedicineFactory(
            name="Risperidone", strength="2 mg", programs=["SCHIZOPHRENIA"]
        )
        clozapine = FormularyMedicineFactory(
            name="Clozapine", strength="25 mg", programs=["SCHIZOPHRENIA"]
        )
        case = self._schizophrenia_case(world, [risperidone])
        plan = case.care_plans.get()
        assert not plan.monitoring.filter(code="blood_count_anc").exists()
        record_visit(
            world,
            case,
            on=dt.date(2026, 11, 2),
            lines=[services.VisitLineInput(medicine=clozapine, quantity=30, signa="1x1")],
        )
        blood = plan.monitoring.filter(code="blood_count_anc").order_by("due_on")
        assert blood.count() == 12 and blood[0].due_on == dt.date(2026, 12, 2)


def test_teleconsultation_with_the_hospital_is_a_contact_channel(world) -> None:
    letter = receive_letter(world)
    make_ready(world.pkm1, "DM", world.dokter1)
    case = services.letter_accept(actor=world.dokter1, letter=letter, on=ON)
    attempt = services.contact_attempt_record(
        actor=world.dokter1,
        case=case,
        channel=ContactAttempt.Channel.TELECONSULTATION,
        outcome=ContactAttempt.Outcome.REMIND_LATER,
        note="Telekonsultasi dengan Sp.KJ RSUD",
    )
    assert attempt.get_channel_display() == "Telekonsultasi dengan rumah sakit"
