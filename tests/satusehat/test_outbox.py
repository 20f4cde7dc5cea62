"""SATUSEHAT sending, against a real HTTP fake of SATUSEHAT on loopback."""

import datetime as dt
import logging

import pytest
from django.db import connection

from interop.models import OutboxState
from interop.services import outbox_retry
from referrals.models import PrbCase
from satusehat.models import SatusehatOutbox, SatusehatResource, SatusehatSettings
from satusehat.tasks import satusehat_outbox_deliver
from tests.satusehat.factories import (
    control_visit,
    dispense,
    enrolled_case,
    rereferral,
    sending_settings,
)
from tests.support import satusehat_fake

pytestmark = pytest.mark.django_db

DOKTER_NIK = "1275011203800001"
FARMASI_NIK = "1275015507850002"


@pytest.fixture
def sending(world, fake):
    """Puskesmas 1 sends to the fake; its doctor, pharmacist and patients are registered."""
    sending_settings(world.pkm1, fake=fake)
    for user, nik, ihs in (
        (world.dokter1, DOKTER_NIK, "N10000001"),
        (world.farmasi1, FARMASI_NIK, "N10000002"),
    ):
        user.nik = nik
        user.save(update_fields=["nik"])
        fake.add_practitioner(nik, ihs)
    return fake


def _register(fake, case) -> None:
    fake.add_patient(case.patient.nik, f"P{case.patient.pk:011d}")


def _visit_sent(world, fake, django_capture_on_commit_callbacks, program="DM"):
    case = enrolled_case(world, program)
    _register(fake, case)
    with django_capture_on_commit_callbacks(execute=True):
        visit = control_visit(world, case)
    return case, visit


def test_a_visit_is_sent_once_in_dependency_order(
    world, sending, django_capture_on_commit_callbacks
):
    case = enrolled_case(world, "DM")
    _register(sending, case)

    with django_capture_on_commit_callbacks(execute=True):
        visit = control_visit(world, case)

    row = SatusehatOutbox.objects.get(visit=visit)
    assert row.state == OutboxState.SENT, row.last_error
    created = [r.resource_type for r in sending.fhir_calls("POST")]
    assert created[0] == "Encounter"
    assert created[1] == "Condition"
    assert created.index("Medication") < created.index("MedicationRequest")
    assert set(created[2 : created.index("Medication")]) == {"Observation"}
    assert created.count("Encounter") == 1
    assert len(sending.resources("Observation")) == created.count("Observation") >= 5
    encounter = sending.resources("Encounter")[0]
    assert row.remote_id == encounter["id"]
    assert (
        encounter["serviceProvider"]["reference"]
        == f"Organization/{satusehat_fake.ORGANIZATION_ID}"
    )
    assert encounter["subject"]["reference"] == f"Patient/P{case.patient.pk:011d}"
    assert encounter["participant"][0]["individual"]["reference"] == "Practitioner/N10000001"
    observation = sending.resources("Observation")[0]
    assert observation["encounter"]["reference"] == f"Encounter/{encounter['id']}"
    case.patient.refresh_from_db()
    world.dokter1.refresh_from_db()
    assert case.patient.ihs_number == f"P{case.patient.pk:011d}"  # kept on the patient
    assert world.dokter1.ihs_number == "N10000001"
    assert sending.tokens_issued == 1  # one token, cached for the whole visit


def test_the_same_visit_resent_never_duplicates(world, sending, django_capture_on_commit_callbacks):
    case, visit = _visit_sent(world, sending, django_capture_on_commit_callbacks)
    row = SatusehatOutbox.objects.get(visit=visit)
    counts = {kind: len(held) for kind, held in sending.store.items()}
    posts = len(sending.fhir_calls("POST"))

    def resend_after_a_failure() -> None:
        SatusehatOutbox.objects.filter(pk=row.pk).update(state=OutboxState.FAILED)
        with django_capture_on_commit_callbacks(execute=True):
            outbox_retry(row=row)
        row.refresh_from_db()

    resend_after_a_failure()
    assert row.state == OutboxState.SENT
    assert {kind: len(held) for kind, held in sending.store.items()} == counts
    assert len(sending.fhir_calls("POST")) == posts  # updates only
    assert {r.resource_type for r in sending.fhir_calls("PUT")} >= {"Encounter", "Observation"}

    # A worker that died after SATUSEHAT accepted, before PRB kept the ids: the identifier
    # finds what the server holds (conditional create), still no duplicate.
    SatusehatResource.objects.all().delete()
    resend_after_a_failure()
    assert row.state == OutboxState.SENT
    assert {kind: len(held) for kind, held in sending.store.items()} == counts


def test_a_401_refreshes_the_token_once(world, sending, django_capture_on_commit_callbacks):
    case, _visit = _visit_sent(world, sending, django_capture_on_commit_callbacks)
    sending.revoke_tokens()  # the cached token is no longer accepted

    with django_capture_on_commit_callbacks(execute=True):
        visit = control_visit(world, case, on=dt.date(2026, 11, 4))

    row = SatusehatOutbox.objects.get(visit=visit)
    assert row.state == OutboxState.SENT, row.last_error
    assert sending.tokens_issued == 2
    assert [r.status for r in sending.fhir_calls()].count(401) == 1


def test_wrong_credentials_fail_without_retrying(
    world, sending, django_capture_on_commit_callbacks
):
    SatusehatSettings.objects.filter(facility=world.pkm1).update(client_id="someone-else")

    case, visit = _visit_sent(world, sending, django_capture_on_commit_callbacks)

    row = SatusehatOutbox.objects.get(visit=visit)
    assert row.state == OutboxState.FAILED
    assert "client ID" in row.last_error or "ID klien" in row.last_error
    assert sending.fhir_calls() == []


def test_a_400_operation_outcome_is_shown_on_the_visit_and_not_retried(
    world, sending, login, django_capture_on_commit_callbacks
):
    sending.fail_next(
        "POST",
        "Observation",
        400,
        {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "error",
                    "code": "invalid",
                    "diagnostics": "Kode LOINC tidak dikenal",
                    "expression": ["Observation.code"],
                }
            ],
        },
    )

    case, visit = _visit_sent(world, sending, django_capture_on_commit_callbacks)

    row = SatusehatOutbox.objects.get(visit=visit)
    assert row.state == OutboxState.FAILED
    assert row.attempts == 1
    assert "Kode LOINC tidak dikenal (Observation.code)" in row.last_error
    calls = len(sending.requests)
    satusehat_outbox_deliver(row.pk)  # a failed row is not picked up again
    assert len(sending.requests) == calls
    page = login(world.dokter1).get(f"/rujukan/kunjungan/{visit.pk}/")
    assert page.status_code == 200
    assert "Kode LOINC tidak dikenal" in page.content.decode()
    assert 'data-state="failed"' in page.content.decode()


def test_a_503_is_retried_with_backoff_then_sent(
    world, sending, time_machine, django_capture_on_commit_callbacks
):
    sending.fail_next("POST", "Encounter", 503)

    case, visit = _visit_sent(world, sending, django_capture_on_commit_callbacks)

    row = SatusehatOutbox.objects.get(visit=visit)
    assert row.state == OutboxState.WAITING
    assert row.attempts == 1 and row.last_error
    satusehat_outbox_deliver(row.pk)  # not due yet: nothing is sent
    assert len(sending.resources("Encounter")) == 0

    time_machine.shift(dt.timedelta(minutes=2))
    satusehat_outbox_deliver(row.pk)

    row.refresh_from_db()
    assert row.state == OutboxState.SENT, row.last_error
    assert len(sending.resources("Encounter")) == 1


def test_satusehat_down_never_blocks_the_visit(world, sending, django_capture_on_commit_callbacks):
    SatusehatSettings.objects.filter(facility=world.pkm1).update(
        auth_root="http://127.0.0.1:9", fhir_root="http://127.0.0.1:9"
    )
    case = enrolled_case(world, "HT")

    with django_capture_on_commit_callbacks(execute=True):
        visit = control_visit(world, case)

    assert visit.pk
    row = SatusehatOutbox.objects.get(visit=visit)
    assert row.state == OutboxState.WAITING  # tried again later
    assert "SATUSEHAT" in row.last_error


def test_nothing_is_queued_for_a_facility_that_does_not_send(
    world, fake, django_capture_on_commit_callbacks
):
    case = enrolled_case(world, "DM")
    with django_capture_on_commit_callbacks(execute=True):
        control_visit(world, case)

    assert not SatusehatOutbox.objects.exists()
    assert fake.requests == []


def test_a_medicine_without_kfa_code_is_reported_not_guessed(
    world, sending, django_capture_on_commit_callbacks
):
    case = enrolled_case(world, "DM")
    _register(sending, case)
    medicine = case.letters.first().medicines.first().medicine
    medicine.kfa_code = ""
    medicine.save(update_fields=["kfa_code"])

    with django_capture_on_commit_callbacks(execute=True):
        visit = control_visit(world, case)

    row = SatusehatOutbox.objects.get(visit=visit)
    assert row.state == OutboxState.FAILED
    assert "KFA" in row.last_error and str(medicine) in row.last_error
    assert sending.resources("Medication") == []
    assert len(sending.resources("Encounter")) == 1  # the rest of the visit went

    medicine.kfa_code = "93000111"
    medicine.save(update_fields=["kfa_code"])
    with django_capture_on_commit_callbacks(execute=True):
        outbox_retry(row=row)
    row.refresh_from_db()
    assert row.state == OutboxState.SENT
    assert sending.resources("Medication")[0]["code"]["coding"][0]["code"] == "93000111"
    assert len(sending.resources("Encounter")) == 1


def test_dispense_rereferral_and_episode_reference_what_was_sent(
    world, sending, django_capture_on_commit_callbacks
):
    from referrals import services

    with django_capture_on_commit_callbacks(execute=True):
        case = enrolled_case(world, "DM", registered_with=sending)
        visit = control_visit(world, case)
        dispense(world, visit)
        case.refresh_from_db()
        referral = rereferral(world, case, visit)
        case.refresh_from_db()
        services.case_status_change(
            actor=world.dokter1, case=case, status=PrbCase.Status.DIED, note="-"
        )

    assert set(SatusehatOutbox.objects.values_list("state", flat=True)) == {OutboxState.SENT}
    dispensed = sending.resources("MedicationDispense")[0]
    request = sending.resources("MedicationRequest")[0]
    assert (
        dispensed["authorizingPrescription"][0]["reference"] == f"MedicationRequest/{request['id']}"
    )
    service_request = sending.resources("ServiceRequest")[0]
    assert service_request["code"]["coding"][0]["code"] == "3457005"
    assert service_request["performer"][0]["display"] == referral.hospital.name
    assert "Keluhan memberat" in service_request["reasonCode"][0]["text"]
    episodes = sending.resources("EpisodeOfCare")
    assert len(episodes) == 1  # one episode, updated as the case changed
    assert episodes[0]["status"] == "finished"


def test_the_secret_and_the_token_are_never_logged(
    world, sending, caplog, django_capture_on_commit_callbacks
):
    SatusehatSettings.objects.filter(facility=world.pkm1).update(fhir_root="http://127.0.0.1:9")
    with caplog.at_level(logging.DEBUG):
        _visit_sent(world, sending, django_capture_on_commit_callbacks)
    config = SatusehatSettings.objects.get(facility=world.pkm1)
    assert config.access_token
    assert satusehat_fake.CLIENT_SECRET not in caplog.text
    assert config.access_token not in caplog.text
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT client_secret, access_token FROM satusehat_satusehatsettings WHERE id = %s",
            [config.pk],
        )
        secret, token = cursor.fetchone()
    assert satusehat_fake.CLIENT_SECRET not in secret  # stored encrypted
    assert config.access_token not in token
