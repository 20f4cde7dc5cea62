from django.apps import apps
from django.urls import reverse

from accounts.audit import audit_context
from patients.models import Patient


def events_for(patient: Patient):  # type: ignore[no-untyped-def]
    return apps.get_model("patients", "PatientEvent").objects.filter(pgh_obj_id=patient.pk)


def test_a_bulk_update_is_audited_row_by_row(world) -> None:
    with audit_context(user=world.dokter1):
        changed = Patient.objects.filter(fktp=world.pkm1).update(address="Jl. Baru 1")
    assert changed == 1
    update = events_for(world.patient1).get(pgh_label="update")
    assert update.address == "Jl. Baru 1"
    assert update.pgh_context.metadata["user"] == world.dokter1.pk
    assert update.pgh_context.metadata["facility"] == world.pkm1.pk
    assert not events_for(world.patient2).filter(pgh_label="update").exists()


def test_inserts_and_deletes_are_audited(world) -> None:
    pk = world.patient2.pk
    assert events_for(world.patient2).filter(pgh_label="insert").exists()
    Patient.objects.filter(pk=pk).delete()
    assert (
        apps.get_model("patients", "PatientEvent")
        .objects.filter(pgh_obj_id=pk, pgh_label="delete")
        .exists()
    )


def test_a_change_through_the_ui_carries_user_and_facility(world, login) -> None:
    client = login(world.dokter1)
    data = {
        "nik": world.patient1.nik,
        "bpjs_number": world.patient1.bpjs_number,
        "name": "Siti L.",
        "sex": "M",
        "birth_date": "1968-04-02",
    }
    client.post(reverse("patients:edit", args=[world.patient1.pk]), data)
    event = events_for(world.patient1).get(pgh_label="update")
    assert event.pgh_context.metadata["user"] == world.dokter1.pk
    assert event.pgh_context.metadata["facility"] == world.pkm1.pk
    assert event.pgh_context.metadata["url"].endswith("/ubah/")
