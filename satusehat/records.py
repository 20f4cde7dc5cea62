"""From PRB records to ordered FHIR resources: the reads behind sending and exporting.

Each function gathers what one PRB record needs (a visit with its prescription, a
dispense, a re-referral, a case's episode) and calls the pure builders in
``satusehat.fhir``. Order matters: a resource comes after everything it references
(Encounter before Condition and Observation, Medication before MedicationRequest).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from eligibility.rules import criteria_catalogue
from pharmacy.models import PrescriptionLine, StockCardLine
from referrals.models import BackReferralLetter, ControlVisit, PrbCase, ReReferral
from satusehat import fhir
from satusehat.models import EpisodeOfCareType


@dataclass(frozen=True)
class Entry:
    resource_type: str
    key: str
    resource: dict[str, Any]


def case_icd10(case: PrbCase) -> str:
    """The programme diagnosis from the case's latest accepted back-referral letter."""
    letter = (
        BackReferralLetter.objects.filter(case=case, status=BackReferralLetter.Status.ACCEPTED)
        .order_by("-decided_at", "-id")
        .values_list("icd10", flat=True)
        .first()
    )
    return letter or ""


def prescription_lines(prescription: Any) -> list[PrescriptionLine]:
    if prescription is None:
        return []
    return list(prescription.lines.select_related("medicine").order_by("id"))


def medicines_without_kfa(lines: Iterable[PrescriptionLine]) -> list[str]:
    """Formulary items with no KFA code: reported to people, never guessed."""
    return sorted({str(line.medicine) for line in lines if not line.medicine.kfa_code})


def visit_entries(visit: ControlVisit, refs: fhir.Refs, *, icd10: str | None = None) -> list[Entry]:
    """Encounter, Condition, Observations, then Medication + MedicationRequest per line."""
    case = visit.case
    patient = case.patient
    icd10 = case_icd10(case) if icd10 is None else icd10
    encounter = fhir.encounter_key(visit)
    entries = [
        Entry(
            "Encounter",
            encounter,
            fhir.encounter_resource(
                visit=visit, patient=patient, facility=case.facility, refs=refs
            ),
        )
    ]
    if icd10:
        entries.append(
            Entry(
                "Condition",
                fhir.condition_key(visit),
                fhir.condition_resource(
                    key=fhir.condition_key(visit),
                    icd10=icd10,
                    program_name=str(case.get_program_display()),
                    patient=patient,
                    recorded=visit.visit_date,
                    refs=refs,
                    encounter_key=encounter,
                ),
            )
        )
    for fact, measure, value in fhir.visit_measurements(visit):
        entries.append(
            Entry(
                "Observation",
                fhir.observation_key(visit, fact),
                fhir.observation_resource(
                    visit=visit, fact=fact, measure=measure, value=value, patient=patient, refs=refs
                ),
            )
        )
    for line in prescription_lines(visit.prescription):
        entries += prescription_line_entries(line, visit.prescription, refs, encounter=encounter)
    return entries


def prescription_line_entries(
    line: PrescriptionLine, prescription: Any, refs: fhir.Refs, *, encounter: str | None
) -> list[Entry]:
    return [
        Entry(
            "Medication", fhir.medication_key(line), fhir.medication_resource(line=line, refs=refs)
        ),
        Entry(
            "MedicationRequest",
            fhir.medication_request_key(line),
            fhir.medication_request_resource(
                line=line,
                prescription=prescription,
                patient=prescription.patient,
                refs=refs,
                encounter=encounter,
            ),
        ),
    ]


def visit_of_prescription(prescription_id: int) -> ControlVisit | None:
    return (
        ControlVisit.objects.select_related("case__patient", "case__facility", "recorded_by")
        .filter(prescription_id=prescription_id)
        .first()
    )


def dispense_entry(card_line: StockCardLine, refs: fhir.Refs) -> Entry:
    line = card_line.prescription_line
    assert line is not None  # only dispense lines of a prescription are queued
    prescription = line.prescription
    visit = visit_of_prescription(prescription.pk)
    return Entry(
        "MedicationDispense",
        fhir.dispense_key(card_line),
        fhir.medication_dispense_resource(
            card_line=card_line,
            line=line,
            prescription=prescription,
            patient=prescription.patient,
            refs=refs,
            encounter=fhir.encounter_key(visit) if visit else None,
        ),
    )


def rereferral_reasons(referral: ReReferral) -> list[str]:
    """The triggered criteria (their Indonesian text) and the doctor's own reason."""
    labels = {clause["id"]: clause.get("text") or clause["id"] for clause in criteria_catalogue()}
    reasons = [
        f"{clause_id}: {labels.get(clause_id, clause_id)}" for clause_id in referral.clause_ids
    ]
    if referral.doctor_reason:
        reasons.append(_("Doctor's reason: %(reason)s") % {"reason": referral.doctor_reason})
    return reasons


def rereferral_entry(referral: ReReferral, refs: fhir.Refs, *, icd10: str | None = None) -> Entry:
    case = referral.case
    return Entry(
        "ServiceRequest",
        fhir.service_request_key(referral),
        fhir.service_request_resource(
            referral=referral,
            patient=case.patient,
            icd10=case_icd10(case) if icd10 is None else icd10,
            reasons=rereferral_reasons(referral),
            refs=refs,
            encounter=fhir.encounter_key(referral.visit) if referral.visit_id else None,
        ),
    )


class EpisodeTypeMissing(LookupError):
    pass


def episode_type(program: str) -> tuple[str, str]:
    row = EpisodeOfCareType.objects.filter(program=program).first()
    if row is None:
        raise EpisodeTypeMissing(program)
    return row.code, row.display


def episode_entry(case: PrbCase, refs: fhir.Refs) -> Entry:
    return Entry(
        "EpisodeOfCare",
        fhir.episode_key(case),
        fhir.episode_of_care_resource(
            case=case, episode_type=episode_type(case.program), refs=refs
        ),
    )
