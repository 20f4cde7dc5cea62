"""Pure builders: PRB records → FHIR R4 resources (plain dicts), Kemkes profiles kept.

No database access here: callers pass the records and everything related that a
resource needs, and a ``Refs`` that says how resources point at each other — server ids
when sending to SATUSEHAT (``satusehat.sync``), ``urn:uuid`` entries inside an exported
Bundle (``satusehat.bundle``). Every resource carries an identifier in the facility's
``http://sys-ids.kemkes.go.id/{kind}/{orgId}`` namespace whose value is PRB's own key,
so the same record sent twice is recognised (``keys``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from referrals.models import CaseStatus
from satusehat import codes

Resource = dict[str, Any]


class Refs(Protocol):
    organization_id: str

    def patient(self, patient: Any) -> dict[str, Any]: ...
    def practitioner(self, user: Any) -> dict[str, Any]: ...
    def organization(self, facility: Any) -> dict[str, Any]: ...
    def location(self, facility: Any) -> dict[str, Any]: ...
    def pharmacy(self, facility: Any) -> dict[str, Any]: ...
    def local(self, resource_type: str, key: str) -> dict[str, Any]: ...


# ---------------------------------------------------------------- keys (one per resource)


def _key(prefix: str, suffix: str = "") -> Callable[[Any], str]:
    """The key of the resource made from a record: ``{prefix}-{pk}{suffix}``."""
    return lambda record: f"{prefix}-{record.pk}{suffix}"


encounter_key = _key("visit")
condition_key = _key("visit", "-diagnosis")
# A prescription line is both the Medication and the MedicationRequest (two resource types).
medication_key = medication_request_key = _key("rx-item")
prescription_key = _key("rx")
dispense_key = _key("dispense")
service_request_key = _key("rereferral")
episode_key = _key("prb-case")


def observation_key(visit: Any, fact: str) -> str:
    return f"visit-{visit.pk}-{fact.replace('_', '-')}"


def _days(count: int) -> dict[str, Any]:
    """A duration in days (UCUM ``d``)."""
    return {"value": count, "unit": "days", "system": codes.UCUM_SYSTEM, "code": "d"}


def _identifier(refs: Refs, kind: str, value: str) -> dict[str, str]:
    return {
        "system": codes.identifier_system(kind, refs.organization_id),
        "use": "official",
        "value": value,
    }


def _coding(system: str, code: str, display: str = "") -> dict[str, str]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def _date(value: dt.date | dt.datetime) -> str:
    return value.isoformat()


def _number(value: Any) -> int | float:
    number = float(value) if isinstance(value, (Decimal, int, float)) else float(str(value))
    return int(number) if number.is_integer() else number


# ---------------------------------------------------------------- people and places (bundle)


def patient_resource(patient: Any) -> Resource:
    identifiers = [{"use": "official", "system": codes.NIK_SYSTEM, "value": patient.nik}]
    if getattr(patient, "ihs_number", ""):
        identifiers.append({"system": codes.IHS_SYSTEM, "value": patient.ihs_number})
    resource: Resource = {
        "resourceType": "Patient",
        "identifier": identifiers,
        "active": True,
        "name": [{"use": "official", "text": patient.name}],
        "gender": "female" if patient.sex == "F" else "male",
        "birthDate": _date(patient.birth_date),
    }
    if patient.phone:
        resource["telecom"] = [{"system": "phone", "value": patient.phone, "use": "mobile"}]
    if patient.address:
        resource["address"] = [{"use": "home", "text": patient.address}]
    return resource


def practitioner_resource(user: Any) -> Resource:
    identifiers = []
    if getattr(user, "nik", ""):
        identifiers.append({"use": "official", "system": codes.NIK_SYSTEM, "value": user.nik})
    if getattr(user, "ihs_number", ""):
        identifiers.append({"system": codes.IHS_SYSTEM, "value": user.ihs_number})
    name = user.get_full_name() or user.get_username()
    resource: Resource = {"resourceType": "Practitioner", "name": [{"text": name}]}
    if identifiers:
        resource["identifier"] = identifiers
    return resource


def organization_resource(facility: Any) -> Resource:
    resource: Resource = {
        "resourceType": "Organization",
        "identifier": [{"system": codes.FACILITY_CODE_SYSTEM, "value": facility.kemenkes_code}],
        "active": facility.is_active,
        "name": facility.name,
    }
    if facility.address:
        resource["address"] = [{"use": "work", "text": facility.address}]
    if facility.phone:
        resource["telecom"] = [{"system": "phone", "value": facility.phone, "use": "work"}]
    return resource


def location_resource(facility: Any, refs: Refs) -> Resource:
    return {
        "resourceType": "Location",
        "identifier": [{"system": codes.FACILITY_CODE_SYSTEM, "value": facility.kemenkes_code}],
        "status": "active" if facility.is_active else "inactive",
        "name": facility.name,
        "mode": "instance",
        "managingOrganization": refs.organization(facility),
    }


# ---------------------------------------------------------------- a control visit


def encounter_resource(*, visit: Any, patient: Any, facility: Any, refs: Refs) -> Resource:
    """The control visit (KMK III.B.x.a.1): an ambulatory encounter, arrived → finished.

    PRB records the visit's date, not the clock times, so the periods are dates.
    """
    day = _date(visit.visit_date)
    return {
        "resourceType": "Encounter",
        "identifier": [_identifier(refs, "encounter", encounter_key(visit))],
        "status": "finished",
        "statusHistory": [
            {"status": "arrived", "period": {"start": day, "end": day}},
            {"status": "in-progress", "period": {"start": day, "end": day}},
            {"status": "finished", "period": {"start": day, "end": day}},
        ],
        "class": _coding(codes.ACT_CODE_SYSTEM, "AMB", "ambulatory"),
        "subject": refs.patient(patient),
        "participant": [
            {
                "type": [
                    {"coding": [_coding(codes.PARTICIPATION_TYPE_SYSTEM, "ATND", "attender")]}
                ],
                "individual": refs.practitioner(visit.recorded_by),
            }
        ],
        "period": {"start": day, "end": day},
        "location": [{"location": refs.location(facility)}],
        "serviceProvider": refs.organization(facility),
    }


def condition_resource(
    *,
    key: str,
    icd10: str,
    program_name: str,
    patient: Any,
    recorded: dt.date,
    refs: Refs,
    encounter_key: str | None = None,
) -> Resource:
    """The programme's diagnosis, ICD-10 from the back-referral letter (KMK II.A)."""
    resource: Resource = {
        "resourceType": "Condition",
        "identifier": [_identifier(refs, "condition", key)],
        "clinicalStatus": {
            "coding": [_coding(codes.CONDITION_CLINICAL_SYSTEM, "active", "Active")]
        },
        "category": [
            {
                "coding": [
                    _coding(
                        codes.CONDITION_CATEGORY_SYSTEM,
                        "encounter-diagnosis",
                        "Encounter Diagnosis",
                    )
                ]
            }
        ],
        "code": {"coding": [_coding(codes.ICD10_SYSTEM, icd10)], "text": program_name},
        "subject": refs.patient(patient),
        "recordedDate": _date(recorded),
    }
    if encounter_key:
        resource["encounter"] = refs.local("Encounter", encounter_key)
    return resource


def visit_measurements(visit: Any) -> list[tuple[str, codes.Measure, int | float]]:
    """(fact, how it is coded, value) of every measured fact of the visit with a LOINC code."""
    found: list[tuple[str, codes.Measure, int | float]] = []
    for fact, measure in codes.FACT_OBSERVATIONS.items():
        value = (visit.facts or {}).get(fact)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            found.append((fact, measure, _number(value)))
    if visit.weight_kg is not None:
        found.append(("weight", codes.WEIGHT, _number(visit.weight_kg)))
    if visit.height_cm is not None:
        found.append(("height", codes.HEIGHT, _number(visit.height_cm)))
    if visit.bmi is not None:
        found.append(("bmi", codes.BMI, _number(visit.bmi)))
    return found


def observation_resource(
    *, visit: Any, fact: str, measure: codes.Measure, value: float, patient: Any, refs: Refs
) -> Resource:
    return {
        "resourceType": "Observation",
        "identifier": [_identifier(refs, "observation", observation_key(visit, fact))],
        "status": "final",
        "category": [{"coding": [_coding(codes.OBSERVATION_CATEGORY_SYSTEM, measure.category)]}],
        "code": {"coding": [_coding(codes.LOINC_SYSTEM, measure.loinc, measure.display)]},
        "subject": refs.patient(patient),
        "encounter": refs.local("Encounter", encounter_key(visit)),
        "effectiveDateTime": _date(visit.visit_date),
        "issued": visit.created_at.isoformat(),
        "performer": [refs.practitioner(visit.recorded_by)],
        "valueQuantity": {
            "value": value,
            "unit": measure.unit,
            "system": codes.UCUM_SYSTEM,
            "code": measure.ucum,
        },
    }


def medication_resource(*, line: Any, refs: Refs) -> Resource:
    """Kemkes Medication profile: KFA code, non-compound. No KFA code → no coding (not guessed)."""
    medicine = line.medicine
    code: dict[str, Any] = {"text": str(medicine)}
    if medicine.kfa_code:
        code["coding"] = [_coding(codes.KFA_SYSTEM, medicine.kfa_code, str(medicine))]
    return {
        "resourceType": "Medication",
        "meta": {"profile": [codes.MEDICATION_PROFILE]},
        "identifier": [_identifier(refs, "medication", medication_key(line))],
        "code": code,
        "status": "active",
        "form": {"text": medicine.form},
        "extension": [
            {
                "url": codes.MEDICATION_TYPE_EXTENSION,
                "valueCodeableConcept": {
                    "coding": [_coding(codes.MEDICATION_TYPE_SYSTEM, "NC", "Non-compound")]
                },
            }
        ],
    }


def medication_request_resource(
    *, line: Any, prescription: Any, patient: Any, refs: Refs, encounter: str | None
) -> Resource:
    """The month's prescription item (KMK III.B.x.a: medicines for 30 days per month)."""
    days = 30 * (prescription.months or 1)
    resource: Resource = {
        "resourceType": "MedicationRequest",
        "identifier": [
            _identifier(refs, "prescription", prescription_key(prescription)),
            _identifier(refs, "prescription-item", medication_request_key(line)),
        ],
        "status": "completed" if line.owed_quantity == 0 else "active",
        "intent": "order",
        "category": [
            {
                "coding": [
                    _coding(codes.MEDICATION_REQUEST_CATEGORY_SYSTEM, "outpatient", "Outpatient")
                ]
            }
        ],
        "medicationReference": refs.local("Medication", medication_key(line)),
        "subject": refs.patient(patient),
        "authoredOn": _date(prescription.prescribed_on),
        "requester": refs.practitioner(prescription.prescribed_by),
        "dosageInstruction": [{"sequence": 1, "text": line.signa or "-"}],
        "dispenseRequest": {
            "validityPeriod": {"start": _date(prescription.prescribed_on)},
            "quantity": {"value": line.quantity, "unit": line.medicine.unit},
            "expectedSupplyDuration": _days(days),
            "performer": refs.organization(prescription.facility),
        },
    }
    if encounter:
        resource["encounter"] = refs.local("Encounter", encounter)
    return resource


def medication_dispense_resource(
    *,
    card_line: Any,
    line: Any,
    prescription: Any,
    patient: Any,
    refs: Refs,
    encounter: str | None,
) -> Resource:
    """Medicines handed over at the pharmacy (KMK III.C.5), one lot per dispense."""
    resource: Resource = {
        "resourceType": "MedicationDispense",
        "identifier": [
            _identifier(refs, "prescription", prescription_key(prescription)),
            _identifier(refs, "prescription-item", dispense_key(card_line)),
        ],
        "status": "completed",
        "medicationReference": refs.local("Medication", medication_key(line)),
        "subject": refs.patient(patient),
        "performer": [{"actor": refs.practitioner(card_line.user)}],
        "location": refs.pharmacy(prescription.facility),
        "authorizingPrescription": [refs.local("MedicationRequest", medication_request_key(line))],
        "quantity": {"value": card_line.quantity_out, "unit": line.medicine.unit},
        "daysSupply": _days(30 * (prescription.months or 1)),
        "whenHandedOver": _date(card_line.date),
        "dosageInstruction": [{"sequence": 1, "text": line.signa or "-"}],
        "note": [{"text": f"Batch {card_line.lot.batch}, ED {card_line.lot.expiry_date:%Y-%m-%d}"}],
    }
    if encounter:
        resource["context"] = refs.local("Encounter", encounter)
    return resource


# ---------------------------------------------------------------- re-referral and episode


def service_request_resource(
    *,
    referral: Any,
    patient: Any,
    icd10: str,
    reasons: Sequence[str],
    refs: Refs,
    encounter: str | None,
) -> Resource:
    """Rujuk ulang to the hospital (KMK III.B.x.d) with the criteria and the doctor's reason."""
    code, display = codes.REFERRAL_CODE
    resource: Resource = {
        "resourceType": "ServiceRequest",
        "identifier": [_identifier(refs, "servicerequest", service_request_key(referral))],
        "requisition": {
            "system": codes.identifier_system("rujukan", refs.organization_id),
            "value": referral.letter_number,
        },
        "status": "completed" if referral.returned_on else "active",
        "intent": "original-order",
        "priority": "routine",
        "category": [{"coding": [_coding(codes.SNOMED_SYSTEM, code, display)]}],
        "code": {
            "coding": [_coding(codes.SNOMED_SYSTEM, code, display)],
            "text": "Rujuk ulang PRB",
        },
        "subject": refs.patient(patient),
        "occurrenceDateTime": _date(referral.referred_on),
        "authoredOn": referral.created_at.isoformat(),
        "requester": refs.practitioner(referral.created_by),
        "performer": [refs.organization(referral.hospital)],
        "reasonCode": [
            {"coding": [_coding(codes.ICD10_SYSTEM, icd10)], "text": "; ".join(reasons) or icd10}
        ],
    }
    if reasons:
        resource["note"] = [{"text": reason} for reason in reasons]
    if encounter:
        resource["encounter"] = refs.local("Encounter", encounter)
    return resource


# PRB case status → EpisodeOfCare status: the episode closes when the case ends.
EPISODE_STATUS = {
    CaseStatus.ACTIVE: "active",
    CaseStatus.BACK_FROM_HOSPITAL: "active",
    CaseStatus.RE_REFERRED: "onhold",
    CaseStatus.DROPPED_OUT: "onhold",
    CaseStatus.MOVED: "finished",
    CaseStatus.DIED: "finished",
    CaseStatus.FINISHED: "finished",
}


def episode_of_care_resource(*, case: Any, episode_type: tuple[str, str], refs: Refs) -> Resource:
    """The patient's stay in the programme, from enrolment until the case ends (KMK BAB III)."""
    status = EPISODE_STATUS.get(case.status, "active")
    period: dict[str, str] = {"start": _date(case.enrolled_on)}
    if status == "finished" and case.status_changed_on:
        period["end"] = _date(case.status_changed_on)
    code, display = episode_type
    return {
        "resourceType": "EpisodeOfCare",
        "identifier": [_identifier(refs, "episode-of-care", episode_key(case))],
        "status": status,
        "type": [{"coding": [_coding(codes.EPISODE_TYPE_SYSTEM, code, display)]}],
        "patient": refs.patient(case.patient),
        "managingOrganization": refs.organization(case.facility),
        "period": period,
    }
