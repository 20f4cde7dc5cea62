import pytest

from accounts.audit import audit_context
from demo import seed_district, world
from patients.models import Patient
from pharmacy.models import StockBalance
from referrals.models import BackReferralLetter, ControlVisit, PrbCase

pytestmark = pytest.mark.django_db


def test_every_patient_gets_a_case_and_the_seed_is_idempotent(monkeypatch) -> None:
    monkeypatch.setattr(world, "PATIENTS_PER_PUSKESMAS", 6)
    with audit_context(user=None):
        demo_world = world.build_world()
    seed_district.seed(demo_world)
    assert Patient.objects.count() == 36
    assert PrbCase.objects.count() == 36
    assert ControlVisit.objects.count() > 36
    assert PrbCase.objects.values("facility").distinct().count() == 6
    # Each puskesmas stocks its patients' regimens, so nobody is re-referred for want of stock.
    for case in PrbCase.objects.all():
        medicine_ids = {entry["medicine"] for entry in case.current_regimen}
        assert StockBalance.objects.filter(
            store__facility=case.facility, medicine_id__in=medicine_ids, quantity__gt=0
        ).count() >= len(medicine_ids)
    counts = (BackReferralLetter.objects.count(), ControlVisit.objects.count())
    seed_district.seed(demo_world)
    assert (BackReferralLetter.objects.count(), ControlVisit.objects.count()) == counts


def test_every_programme_has_facts_that_make_a_patient_eligible() -> None:
    from eligibility.rules import evaluate

    general = {"a": True, "b": True, "c": True, "e": True, "f": True, "comorbidities": []}
    for program, facts in seed_district.BACK_REFERRAL_FACTS.items():
        for sex in ("M", "F"):
            result = evaluate(
                {
                    "program": program,
                    "patient": {"sex": sex, "birth_date": "1975-05-05"},
                    "general": general,
                    "facts": facts,
                }
            )
            assert result["outcome"] == "eligible", (program, sex, result["missing"])
