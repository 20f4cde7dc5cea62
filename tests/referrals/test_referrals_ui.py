"""What the doctor sees on the forms: errors summarised and linked, labels on every
input, only the programme's fields, no pre-selected status, honest messages."""

import re

import pytest
from django.urls import reverse

from referrals.models import BackReferralLetter, PrbCase
from tests.referrals.factories import HospitalFactory, enrol
from tests.referrals.test_referrals_views import _form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def hospital(world):
    return HospitalFactory(regency=world.regency_a, name="RSUD Binjai")


def test_a_form_with_errors_has_a_summary_linking_each_field(world, login, hospital) -> None:
    client = login(world.dokter1)
    url = reverse("referrals:letter_create")
    response = client.post(url, {**_form_data(world, hospital, srb_number=""), "action": "save"})
    body = response.content.decode()
    assert response.status_code == 400
    summary = body.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_srb_number"' in summary and "Nomor SRB" in summary
    # The summary comes before the form's first field; prb.js focuses it.
    assert body.index('class="error-summary"') < body.index('id="id_hospital"')
    assert 'tabindex="-1"' in summary
    engine = client.post(
        url, {**_form_data(world, hospital, f_hba1c_percent="70"), "action": "save"}
    )
    summary = engine.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_f_hba1c_percent"' in summary and "Harus antara 3 dan 20%." in summary


def test_help_texts_and_errors_are_linked_to_their_inputs(world, login, hospital) -> None:
    body = (
        login(world.dokter1)
        .post(
            reverse("referrals:letter_create"),
            {**_form_data(world, hospital, f_hba1c_percent="70"), "action": "save"},
        )
        .content.decode()
    )
    tag = re.search(r"<input[^>]*id=\"id_f_hba1c_percent\"[^>]*>", body)[0]
    described = re.search(r'aria-describedby="([^"]+)"', tag)[1].split()
    assert described == ["id_f_hba1c_percent_helptext", "id_f_hba1c_percent_error"]
    for target in described:
        assert f'id="{target}"' in body
    assert 'aria-invalid="true"' in tag


def test_every_medicine_row_input_has_a_label(world, login) -> None:
    case = enrol(world)
    body = (
        login(world.dokter1).get(reverse("referrals:visit_create", args=[case.pk])).content.decode()
    )
    inputs = re.findall(r'<(?:input|select)[^>]*id="(id_rx-\d+-\w+)"', body)
    assert inputs, "the prescription rows render"
    for input_id in inputs:
        assert f'<label class="sr-only" for="{input_id}">' in body, input_id
    assert "Obat (baris 1)" in body


def test_a_dm_visit_has_no_epilepsy_consent_field(world, login) -> None:
    case = enrol(world)
    body = (
        login(world.dokter1).get(reverse("referrals:visit_create", args=[case.pk])).content.decode()
    )
    assert "id_dpjp_approval" not in body
    assert "id_f_fpg_mg_dl" in body


def test_an_epilepsy_visit_asks_for_the_dpjp_agreement(world, login) -> None:
    case = enrol(world)
    case.program = "EPILEPSY"
    case.save(update_fields=["program"])
    body = (
        login(world.dokter1).get(reverse("referrals:visit_create", args=[case.pk])).content.decode()
    )
    assert "id_dpjp_approval" in body


def test_the_intake_form_has_no_heart_hint_for_dm(world, login) -> None:
    body = login(world.dokter1).get(reverse("referrals:letter_create")).content.decode()
    assert "Penyakit jantung" not in body.split('id="program-facts"')[0].split("id_program")[1]


def test_change_status_has_no_preselected_value(world, login) -> None:
    case = enrol(world)
    body = login(world.dokter1).get(reverse("referrals:case_detail", args=[case.pk])).content
    form = body.decode().split('action="' + reverse("referrals:case_status", args=[case.pk]))[1]
    select = form.split("</select>")[0]
    assert '<option value="" selected>' in select
    assert select.count("selected") == 1
    response = login(world.dokter1).post(
        reverse("referrals:case_status", args=[case.pk]), {"status": ""}
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == PrbCase.Status.ACTIVE


def test_mark_done_and_self_management_are_real_buttons(world, login) -> None:
    case = enrol(world)
    body = login(world.perawat1).get(reverse("referrals:case_detail", args=[case.pk])).content
    body = body.decode()
    assert 'class="small secondary">Tandai selesai' in body
    assert 'class="toggle" aria-pressed="false"' in body
    assert 'class="button danger"' not in body  # a nurse cannot re-refer
    doctor = login(world.dokter1).get(reverse("referrals:case_detail", args=[case.pk]))
    assert 'class="button danger"' in doctor.content.decode()  # re-referral looks different


def test_saving_a_letter_says_it_awaits_the_decision(world, login, hospital) -> None:
    client = login(world.dokter1)
    response = client.post(
        reverse("referrals:letter_create"),
        {**_form_data(world, hospital), "action": "save"},
        follow=True,
    )
    body = response.content.decode()
    letter = BackReferralLetter.objects.get()
    assert letter.status == "received"
    assert "menunggu keputusan" in body
    message = body.split('class="messages"')[1].split("</ul>")[0]
    assert "diterima" not in message


def test_a_second_visit_on_the_same_day_is_refused_on_its_field(world, login) -> None:
    from pharmacy.models import Prescription
    from tests.referrals.factories import FormularyMedicineFactory
    from tests.referrals.test_referrals_views import _visit_data

    case = enrol(world)
    client = login(world.dokter1)
    metformin = FormularyMedicineFactory()
    data = _visit_data(
        **{"rx-0-medicine": metformin.pk, "rx-0-quantity": "90", "rx-0-signa": "3x1"}
    )
    first = client.post(reverse("referrals:visit_create", args=[case.pk]), data)
    assert first.status_code == 302
    again = client.post(reverse("referrals:visit_create", args=[case.pk]), data)
    body = again.content.decode()
    assert again.status_code == 400
    assert "Kunjungan kontrol pada tanggal ini sudah tercatat untuk kasus ini." in body
    assert 'href="#id_visit_date"' in body  # in the error summary, linked to its field
    assert case.visits.count() == 1
    assert Prescription.objects.filter(patient=case.patient).count() == 1
