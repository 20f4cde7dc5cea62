"""Criteria contract v2 where the application feeds the engine: the doctor's KEEMPAT.d
statement (intake form and API) and the case's baseline in the visit verdict."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from referrals.models import BackReferralLetter
from tests.accounts.factories import UserFactory
from tests.referrals.factories import DM_ELIGIBLE_FACTS, HospitalFactory, enrol, record_visit
from tests.referrals.test_referrals_api import URL as API_URL
from tests.referrals.test_referrals_api import _payload
from tests.referrals.test_referrals_views import _form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

# Back-referred on the glucose clause with HbA1c 7.5 (GDP within 80–130 meets II.B.1.a).
HBA1C_75_FACTS = {**DM_ELIGIBLE_FACTS, "hba1c_percent": 7.5, "fpg_mg_dl": 120.0}


@pytest.fixture
def hospital(world):
    return HospitalFactory(regency=world.regency_a, kemenkes_code="RS0001")


def test_the_intake_form_offers_keempat_d_as_a_statement(world, login) -> None:
    body = login(world.dokter1).get(reverse("referrals:letter_create")).content.decode()
    assert 'name="general_d"' in body
    assert "kriteria ini tidak terpenuhi apa pun isi daftar di bawah" in body


@pytest.mark.parametrize(("statement", "outcome"), [("no", "not_met"), ("yes", "met"), ("", "met")])
def test_a_stated_not_controlled_decides_keempat_d_in_the_panel(
    world, login, hospital, statement, outcome
) -> None:
    data = _form_data(world, hospital, general_d=statement)  # empty comorbidity list
    body = login(world.dokter1).post(reverse("referrals:letter_evaluate"), data).content.decode()
    assert f'data-clause="KEEMPAT.d" data-outcome="{outcome}"' in body


def test_a_saved_letter_keeps_the_statement_and_is_not_eligible(world, login, hospital) -> None:
    data = {
        **_form_data(world, hospital, general_d="no"),
        "comorbidity_icd10_1": "E78.5",
        "comorbidity_months_1": "6",
        "action": "save",
    }
    login(world.dokter1).post(reverse("referrals:letter_create"), data)
    letter = BackReferralLetter.objects.get()
    assert letter.medicines.count() == 1  # the medicine line is kept with the letter
    assert letter.general["d"] is False
    assert letter.outcome == BackReferralLetter.Outcome.NOT_ELIGIBLE
    (keempat_d,) = [c for c in letter.evaluation["criteria"] if c["id"] == "KEEMPAT.d"]
    assert keempat_d["outcome"] == "not_met"
    assert "apa pun isi daftar komorbid" in keempat_d["reason"]


def test_the_api_takes_keempat_d_false_over_a_controlled_list(world, hospital) -> None:
    client = APIClient()
    client.force_authenticate(UserFactory(role=User.Role.ADMIN, facility=hospital))
    general = {"a": True, "b": True, "c": True, "d": False, "e": True, "f": True}
    response = client.post(API_URL, _payload(world, general=general), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["outcome"] == "not_eligible"


class TestTheVisitVerdictReadsTheBaseline:
    """III.B.1.d.2 compares with the accepted letter's facts (the case's baseline)."""

    def _visit(self, world, case, hba1c):
        return record_visit(world, case, on=dt.date(2026, 11, 2), facts={"hba1c_percent": hba1c})

    def test_the_case_baseline_is_the_accepted_letters_facts(self, world) -> None:
        case = enrol(world, facts=HBA1C_75_FACTS)
        assert case.baseline_facts["hba1c_percent"] == 7.5

    @pytest.mark.parametrize(
        ("hba1c", "outcome"), [(7.4, "continue"), (7.5, "continue"), (7.6, "re_refer")]
    )
    def test_a_fall_below_the_baseline_continues_and_a_rise_re_refers(
        self, world, hba1c, outcome
    ) -> None:
        case = enrol(world, facts=HBA1C_75_FACTS)
        visit = self._visit(world, case, hba1c)
        assert visit.outcome == outcome
        (rise,) = [c for c in visit.evaluation["criteria"] if c["id"] == "III.B.1.d.2"]
        assert ("7,5% saat dirujuk balik" in rise["reason"]) or ("≤ 7,5%" in rise["reason"])

    def test_without_the_measure_in_the_baseline_the_target_decides(self, world) -> None:
        facts = {k: v for k, v in HBA1C_75_FACTS.items() if k != "hba1c_percent"}
        case = enrol(world, facts=facts)
        assert self._visit(world, case, 7.0).outcome == "re_refer"
