"""The decree's prescription limits at a control visit (pharmacy.rules.prescriptions), checked
by the visit service and by the visit form's live check: a refused prescription saves nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pharmacy.models import Prescription, StockCardLine
from referrals import services
from referrals.models import ControlVisit
from tests.referrals.factories import (
    VISIT_DAY,
    FormularyMedicineFactory,
    basal_insulin,
    insulin_line,
    make_ready,
    receive_letter,
    record_visit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _case(world, program, icd10, medicines=()):
    letter = receive_letter(
        world,
        program=program,
        icd10=icd10,
        facts={},
        medicines=[
            services.LetterMedicineInput(medicine=medicine, signa="1x1", quantity_per_month=30)
            for medicine in medicines
        ],
    )
    make_ready(letter.facility, program, world.dokter1)
    return services.letter_accept(
        actor=world.dokter1, letter=letter, on=dt.date(2026, 10, 5), override_reason="Uji."
    )


def _medicine(name, strength, programs):
    return FormularyMedicineFactory(
        name=name, strength=strength, form="tablet", programs=programs, max_quantity_per_month=None
    )


def _saved_counts():
    return (
        ControlVisit.objects.count(),
        Prescription.objects.count(),
        StockCardLine.objects.count(),
    )


def _visit_post(case, line):
    data = {
        "visit_date": VISIT_DAY.isoformat(),
        "adherence": "good",
        "rx-TOTAL_FORMS": "1",
        "rx-INITIAL_FORMS": "0",
        "rx-MIN_NUM_FORMS": "0",
        "rx-MAX_NUM_FORMS": "12",
        "rx-0-medicine": str(line["medicine"].pk),
        "rx-0-quantity": str(line["quantity"]),
        "rx-0-signa": line.get("signa", "1x1"),
        "rx-0-daily_dose": line.get("daily_dose", ""),
    }
    return data


def test_sle_methylprednisolone_8_mg_a_day_is_refused_and_nothing_is_saved(world) -> None:
    methylpred = _medicine("Methylprednisolone", "8 mg", ["SLE"])
    case = _case(world, "SLE", "M32.9")
    before = _saved_counts()
    line = services.VisitLineInput(medicine=methylpred, quantity=30, signa="1x1")
    with pytest.raises(ValidationError) as exc:
        record_visit(world, case, lines=[line])
    (message,) = exc.value.message_dict["lines"]
    assert "KMK II.B.9.b" in message
    assert "8 mg/hari setara prednison 10 mg/hari" in message
    assert "(methylprednisolone 4 mg = prednison 5 mg)" in message
    assert "Rujuk ulang pasien ke rumah sakit" in message
    assert _saved_counts() == before
    case.refresh_from_db()
    assert case.current_regimen == []  # the regimen is not changed either


def test_sle_azathioprine_is_refused_and_hydroxychloroquine_passes(world) -> None:
    azathioprine = _medicine("Azathioprine", "50 mg", ["SLE"])
    hcq = _medicine("Hydroxychloroquine", "200 mg", ["SLE"])
    case = _case(world, "SLE", "M32.9")
    with pytest.raises(ValidationError) as exc:
        record_visit(
            world,
            case,
            lines=[services.VisitLineInput(medicine=azathioprine, quantity=30, signa="1x1")],
        )
    assert "imunosupresan lain" in exc.value.message_dict["lines"][0]
    visit = record_visit(
        world, case, lines=[services.VisitLineInput(medicine=hcq, quantity=30, signa="1x1")]
    )
    assert visit.prescription is not None


def test_chf_warfarin_is_refused_in_the_visit_form_and_nothing_is_saved(world, login) -> None:
    warfarin = _medicine("Warfarin", "2 mg", ["HEART_CHF", "STROKE"])
    case = _case(world, "HEART_CHF", "I50.0")
    before = _saved_counts()
    response = login(world.dokter1).post(
        reverse("referrals:visit_create", args=[case.pk]),
        {**_visit_post(case, {"medicine": warfarin, "quantity": 30}), "action": "save"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "KMK II.B.3.d.6" in body and "rujuk ulang pasien ke rumah sakit" in body
    assert "tidak boleh dalam terapi warfarin" in body
    assert _saved_counts() == before


@pytest.mark.parametrize(("on_letter", "refused"), [(False, True), (True, False)])
def test_stroke_warfarin_only_when_the_letter_carried_it(world, on_letter, refused) -> None:
    warfarin = _medicine("Warfarin", "2 mg", ["HEART_CHF", "STROKE"])
    case = _case(world, "STROKE", "I69.3", medicines=[warfarin] if on_letter else [])
    line = services.VisitLineInput(medicine=warfarin, quantity=30, signa="1x1")
    errors, _warnings = services.prescription_rules_check(case=case, lines=[line], facts={})
    assert bool(errors) is refused
    if refused:
        assert "surat rujuk balik" in errors[0] and "KMK II.A" in errors[0]


def test_the_live_check_shows_the_warning_while_typing(world, login) -> None:
    methylpred = _medicine("Methylprednisolone", "4 mg", ["SLE"])
    case = _case(world, "SLE", "M32.9")
    client = login(world.dokter1)
    url = reverse("referrals:visit_check", args=[case.pk])
    within = client.post(
        url, _visit_post(case, {"medicine": methylpred, "quantity": 30}), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="rx-check"' in within and "<html" not in within
    assert "memenuhi ketentuan KMK" in within
    above = client.post(
        url,
        _visit_post(case, {"medicine": methylpred, "quantity": 60, "signa": "1x2"}),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "setara prednison 10 mg/hari" in above and "II.B.9.b" in above
    assert not ControlVisit.objects.exists()


def test_without_javascript_the_check_button_shows_the_same_messages(world, login) -> None:
    warfarin = _medicine("Warfarin", "2 mg", ["HEART_CHF"])
    case = _case(world, "HEART_CHF", "I50.0")
    response = login(world.dokter1).post(
        reverse("referrals:visit_create", args=[case.pk]),
        {**_visit_post(case, {"medicine": warfarin, "quantity": 30}), "action": "check"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "II.B.3.d.6" in body
    assert 'name="rx-0-quantity" value="30"' in body  # the form keeps what was typed
    assert not ControlVisit.objects.exists()


def test_the_live_check_needs_a_doctor(world, login) -> None:
    case = _case(world, "SLE", "M32.9")
    response = login(world.perawat1).post(reverse("referrals:visit_check", args=[case.pk]), {})
    assert response.status_code == 403


def test_insulin_pens_beyond_the_dose_are_refused_at_the_visit(world) -> None:
    pen = basal_insulin(
        "Insulin human isophane (NPH)", "100 IU/mL 3 mL", form="pen injeksi", max_per_month=3
    )
    case = _case(world, "DM", "E11.9")
    with pytest.raises(ValidationError) as exc:
        record_visit(world, case, lines=[insulin_line(pen, pens=3, units_per_day=10)])
    assert "melebihi kebutuhan dosis" in exc.value.message_dict["lines"][0]
    visit = record_visit(world, case, lines=[insulin_line(pen, pens=2, units_per_day=10)])
    assert visit.warnings == []
