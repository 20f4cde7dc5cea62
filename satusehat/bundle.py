"""A case's whole PRB record as one FHIR R4 Bundle (type collection).

Every resource gets a ``urn:uuid`` full URL derived from its PRB key (the same case
exported twice gives the same ids), every reference points at an entry of the bundle,
and every resource is validated before the bundle is returned. The hospital taking a
re-referred patient, or any other system, can read the patient's PRB history whole.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from django.utils import timezone

from pharmacy.models import StockCardLine
from referrals.models import PrbCase
from satusehat import fhir, records
from satusehat.validation import fhir_validate

# A fixed namespace: the same PRB record always gets the same uuid in every export.
NAMESPACE = uuid.UUID("5b1e3f0c-7d1a-4c63-9f43-0c5e6b8a1645")


def _uuid(resource_type: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{resource_type}/{key}"))


class BundleRefs:
    """References between the entries of one bundle; remembers who is referenced."""

    def __init__(self, organization_id: str) -> None:
        self.organization_id = organization_id
        self.people: dict[str, tuple[str, Any]] = {}

    def _ref(self, resource_type: str, key: str, display: str = "") -> dict[str, Any]:
        ref: dict[str, Any] = {"reference": f"urn:uuid:{_uuid(resource_type, key)}"}
        if display:
            ref["display"] = display
        return ref

    def _remember(self, resource_type: str, key: str, record: Any) -> None:
        self.people.setdefault(f"{resource_type}/{key}", (resource_type, record))

    def patient(self, patient: Any) -> dict[str, Any]:
        self._remember("Patient", f"patient-{patient.pk}", patient)
        return self._ref("Patient", f"patient-{patient.pk}", patient.name)

    def practitioner(self, user: Any) -> dict[str, Any]:
        self._remember("Practitioner", f"user-{user.pk}", user)
        return self._ref(
            "Practitioner", f"user-{user.pk}", user.get_full_name() or user.get_username()
        )

    def organization(self, facility: Any) -> dict[str, Any]:
        self._remember("Organization", f"facility-{facility.pk}", facility)
        return self._ref("Organization", f"facility-{facility.pk}", facility.name)

    def location(self, facility: Any) -> dict[str, Any]:
        self._remember("Location", f"facility-{facility.pk}", facility)
        return self._ref("Location", f"facility-{facility.pk}", facility.name)

    def pharmacy(self, facility: Any) -> dict[str, Any]:
        return self.location(facility)

    def local(self, resource_type: str, key: str) -> dict[str, Any]:
        return self._ref(resource_type, key)


def _person(record: Any, resource_type: str, refs: BundleRefs) -> dict[str, Any]:
    if resource_type == "Patient":
        return fhir.patient_resource(record)
    if resource_type == "Practitioner":
        return fhir.practitioner_resource(record)
    if resource_type == "Organization":
        return fhir.organization_resource(record)
    return fhir.location_resource(record, refs)


def case_bundle(case: PrbCase, *, organization_id: str = "") -> dict[str, Any]:
    """The Bundle: episode, visits with their prescriptions, dispenses, re-referrals, people."""
    refs = BundleRefs(organization_id or case.facility.kemenkes_code)
    icd10 = records.case_icd10(case)
    entries: list[records.Entry] = []
    # No type configured for the programme: the episode is left out, not guessed.
    with contextlib.suppress(records.EpisodeTypeMissing):
        entries.append(records.episode_entry(case, refs))
    visits = (
        case.visits.select_related("recorded_by", "prescription__facility", "prescription__patient")
        .select_related("prescription__prescribed_by")
        .order_by("visit_date", "id")
    )
    prescription_ids = []
    for visit in visits:
        visit.case = case
        entries += records.visit_entries(visit, refs, icd10=icd10)
        if visit.prescription_id:
            prescription_ids.append(visit.prescription_id)
    dispenses = (
        StockCardLine.objects.filter(
            prescription_line__prescription_id__in=prescription_ids,
            movement=StockCardLine.Movement.DISPENSE,
        )
        .select_related(
            "lot",
            "user",
            "prescription_line__medicine",
            "prescription_line__prescription__facility",
        )
        .select_related("prescription_line__prescription__patient")
        .order_by("date", "id")
    )
    for card_line in dispenses:
        entries.append(records.dispense_entry(card_line, refs))
    for referral in case.re_referrals.select_related("hospital", "created_by").order_by(
        "referred_on", "id"
    ):
        referral.case = case
        entries.append(records.rereferral_entry(referral, refs, icd10=icd10))

    people: list[records.Entry] = []
    done: set[str] = set()
    while len(done) < len(refs.people):  # a Location names its Organization: loop until closed
        for key, (resource_type, record) in list(refs.people.items()):
            if key in done:
                continue
            done.add(key)
            people.append(
                records.Entry(
                    resource_type, key.split("/", 1)[1], _person(record, resource_type, refs)
                )
            )

    bundle_entries = []
    for entry in [*people, *entries]:
        resource = {**entry.resource, "id": _uuid(entry.resource_type, entry.key)}
        fhir_validate(resource)
        bundle_entries.append({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource})
    bundle = {
        "resourceType": "Bundle",
        "id": _uuid("Bundle", f"prb-case-{case.pk}"),
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": bundle_entries,
    }
    return fhir_validate(bundle)
