"""The SATUSEHAT client against the loopback fake: token, search by NIK, create, update."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from interop.errors import InteropError
from satusehat.models import SatusehatSettings
from satusehat.sync import client_for
from tests.satusehat.factories import sending_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def config(world, fake):
    return sending_settings(world.pkm1, fake=fake)


def test_the_token_is_shared_by_every_worker_until_it_expires(config, fake, time_machine) -> None:
    fake.add_patient("1275014403800001", "P00000000001")
    first, second = client_for(config), client_for(SatusehatSettings.objects.get(pk=config.pk))

    assert first.find_id_by_nik("Patient", "1275014403800001") == "P00000000001"
    assert second.find_id_by_nik("Patient", "1275014403800001") == "P00000000001"
    assert fake.tokens_issued == 1  # the second "worker" read the stored token

    config.refresh_from_db()
    # expires_in "14399" (a string) less a minute's margin
    assert config.token_expires_at is not None
    time_machine.shift(dt.timedelta(seconds=14399 - 30))
    second.find_id_by_nik("Patient", "1275014403800001")
    assert fake.tokens_issued == 2


def test_an_unknown_nik_is_none(config) -> None:
    assert client_for(config).find_id_by_nik("Practitioner", "1275011203800009") is None


def test_create_and_update_return_the_server_ids(config, fake) -> None:
    client = client_for(config)
    resource = {
        "resourceType": "Organization",
        "identifier": [{"system": "urn:x", "value": "1"}],
        "name": "Puskesmas",
    }

    created = client.create(resource, if_none_exist="identifier=urn:x|1")
    again = client.create(resource, if_none_exist="identifier=urn:x|1")
    updated = client.update({**resource, "id": created["id"], "name": "Puskesmas Satu"})

    assert again["id"] == created["id"]
    assert updated["name"] == "Puskesmas Satu"
    assert len(fake.resources("Organization")) == 1


def test_a_rejection_carries_the_operation_outcome(config, fake) -> None:
    fake.fail_next(
        "POST",
        "Condition",
        422,
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "invalid", "diagnostics": "ICD-10 salah"}],
        },
    )

    with pytest.raises(InteropError) as caught:
        client_for(config).create({"resourceType": "Condition"})

    assert not caught.value.transient
    assert caught.value.status == 422
    assert "ICD-10 salah" in caught.value.message


def test_a_5xx_is_transient(config, fake) -> None:
    fake.fail_next("GET", "Patient", 502)

    with pytest.raises(InteropError) as caught:
        client_for(config).find_id_by_nik("Patient", "1275014403800001")

    assert caught.value.transient


def test_staff_nik_uses_the_patients_nik_validator(world) -> None:
    world.dokter1.nik = "12345"
    with pytest.raises(ValidationError) as caught:
        world.dokter1.full_clean()
    assert "nik" in caught.value.message_dict
    world.dokter1.nik = "1275011203800001"
    world.dokter1.full_clean()
