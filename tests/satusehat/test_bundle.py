"""Every resource PRB builds validates as FHIR R4, for a case of every programme."""

import io
import json

import pytest
from django.core.management import call_command
from fhir.resources.R4B.bundle import Bundle

from patients.models import PatientAccessLog
from patients.programs import Program
from referrals.models import PrbCase
from satusehat.bundle import case_bundle
from satusehat.models import EpisodeOfCareType
from tests.satusehat.factories import control_visit, dispense, enrolled_case, rereferral

pytestmark = pytest.mark.django_db


def _types(bundle: dict) -> list[str]:
    return [entry["resource"]["resourceType"] for entry in bundle["entry"]]


def _references(value: object) -> list[str]:
    found: list[str] = []
    if isinstance(value, dict):
        if isinstance(value.get("reference"), str):
            found.append(value["reference"])
        for item in value.values():
            found += _references(item)
    elif isinstance(value, list):
        for item in value:
            found += _references(item)
    return found


@pytest.mark.parametrize("program", [p.value for p in Program])
def test_every_resource_of_a_case_validates_for_each_programme(world, program) -> None:
    case = enrolled_case(world, program)
    visit = control_visit(world, case)
    dispense(world, visit)
    case.refresh_from_db()
    rereferral(world, case, visit)
    case.refresh_from_db()

    bundle = case_bundle(case)

    Bundle.model_validate(bundle)  # the whole bundle, and so each resource, is R4
    assert bundle["type"] == "collection"
    types = _types(bundle)
    for expected in (
        "Patient",
        "Practitioner",
        "Organization",
        "Location",
        "EpisodeOfCare",
        "Encounter",
        "Condition",
        "Observation",
        "Medication",
        "MedicationRequest",
        "MedicationDispense",
        "ServiceRequest",
    ):
        assert expected in types, (program, expected)
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    assert set(_references(bundle)) <= full_urls  # every reference resolves inside the bundle


def test_a_visit_becomes_an_ambulatory_encounter_with_coded_observations(world) -> None:
    case = enrolled_case(world, "DM")
    control_visit(world, case)

    bundle = case_bundle(case)
    resources = [entry["resource"] for entry in bundle["entry"]]

    encounter = next(r for r in resources if r["resourceType"] == "Encounter")
    assert encounter["class"]["code"] == "AMB"
    assert [h["status"] for h in encounter["statusHistory"]] == [
        "arrived",
        "in-progress",
        "finished",
    ]
    assert encounter["participant"][0]["type"][0]["coding"][0]["code"] == "ATND"
    condition = next(r for r in resources if r["resourceType"] == "Condition")
    assert condition["code"]["coding"][0] == {
        "system": "http://hl7.org/fhir/sid/icd-10",
        "code": "E11.9",
    }
    loinc = {
        r["code"]["coding"][0]["code"]: r["valueQuantity"]
        for r in resources
        if r["resourceType"] == "Observation"
    }
    assert loinc["8480-6"]["value"] == 128 and loinc["8480-6"]["code"] == "mm[Hg]"
    assert loinc["8462-4"]["value"] == 80
    assert loinc["1558-6"]["value"] == 110
    assert loinc["4548-4"] == {
        "value": 6.8,
        "unit": "%",
        "system": "http://unitsofmeasure.org",
        "code": "%",
    }
    assert loinc["29463-7"]["value"] == 63.5  # weight
    medication = next(r for r in resources if r["resourceType"] == "Medication")
    assert medication["code"]["coding"][0]["system"] == "http://sys-ids.kemkes.go.id/kfa"
    assert medication["meta"]["profile"] == [
        "https://fhir.kemkes.go.id/r4/StructureDefinition/Medication"
    ]
    assert medication["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "NC"


def test_the_episode_type_comes_from_the_editable_table(world) -> None:
    EpisodeOfCareType.objects.filter(program="ASTHMA").update(code="ASMA-X", display="Asma")
    case = enrolled_case(world, "ASTHMA")

    episode = next(
        e["resource"]
        for e in case_bundle(case)["entry"]
        if e["resource"]["resourceType"] == "EpisodeOfCare"
    )

    assert episode["type"][0]["coding"][0]["code"] == "ASMA-X"
    assert episode["status"] == "active"


def test_the_episode_closes_when_the_case_ends(world) -> None:
    from referrals import services

    case = enrolled_case(world, "HT")
    services.case_status_change(
        actor=world.dokter1, case=case, status=PrbCase.Status.MOVED, note="Pindah."
    )

    episode = next(
        e["resource"]
        for e in case_bundle(case)["entry"]
        if e["resource"]["resourceType"] == "EpisodeOfCare"
    )

    assert episode["status"] == "finished"
    assert episode["period"]["end"] == "2026-11-10"


def test_the_command_prints_a_bundle_that_parses_as_r4(world) -> None:
    case = enrolled_case(world, "DM")
    control_visit(world, case)
    out = io.StringIO()

    call_command("satusehat_bundle", str(case.pk), stdout=out)

    bundle = Bundle.model_validate(json.loads(out.getvalue()))
    assert bundle.type == "collection"
    assert len(bundle.entry) > 5


def test_the_api_returns_the_bundle_and_logs_the_export(world, login) -> None:
    case = enrolled_case(world, "DM")
    control_visit(world, case)

    response = login(world.dokter1).get(f"/api/v1/cases/{case.pk}/fhir")

    assert response.status_code == 200
    Bundle.model_validate(response.json())
    assert PatientAccessLog.objects.filter(
        patient=case.patient, action=PatientAccessLog.Action.EXPORT
    ).exists()


def test_the_api_answers_404_to_another_facility(world, login) -> None:
    case = enrolled_case(world, "DM")

    assert login(world.dokter2).get(f"/api/v1/cases/{case.pk}/fhir").status_code == 404
    # The district office does not see cases at all: the policy refuses before the scope.
    assert login(world.dinkes_a).get(f"/api/v1/cases/{case.pk}/fhir").status_code == 403


def test_the_command_on_demo_cases_prints_bundles_that_parse_as_r4(monkeypatch) -> None:
    from accounts.audit import audit_context
    from demo import seed_district, world
    from referrals.models import PrbCase

    monkeypatch.setattr(world, "PATIENTS_PER_PUSKESMAS", 3)
    with audit_context(user=None):
        demo_world = world.build_world()
    seed_district.seed(demo_world)
    cases = list(PrbCase.objects.filter(visits__isnull=False).distinct().order_by("id")[:4])
    assert cases
    for case in cases:
        out = io.StringIO()
        call_command("satusehat_bundle", str(case.pk), stdout=out)
        bundle = Bundle.model_validate(json.loads(out.getvalue()))
        kinds = {entry.resource.get_resource_type() for entry in bundle.entry}
        assert {"Patient", "EpisodeOfCare", "Encounter", "Condition"} <= kinds, case.program
