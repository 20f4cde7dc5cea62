"""Code systems and the fact → LOINC table of the SATUSEHAT integration.

Everything here is data. Codes the programme has not settled (the EpisodeOfCare type of a
programme, the KFA code of a formulary item) are not here: they live in the database and
are edited in the admin site (``satusehat.models.EpisodeOfCareType``, ``Medicine.kfa_code``).
"""

from __future__ import annotations

from dataclasses import dataclass

# Identifiers of people (docs/satusehat.md, shared protocol notes).
NIK_SYSTEM = "https://fhir.kemkes.go.id/id/nik"
IHS_SYSTEM = "https://fhir.kemkes.go.id/id/ihs-number"
# PRB's own identifier of a facility (its Kemenkes code) where no SATUSEHAT id is known,
# e.g. the hospital a patient is re-referred to.
FACILITY_CODE_SYSTEM = "urn:prb:kemenkes-facility-code"

ICD10_SYSTEM = "http://hl7.org/fhir/sid/icd-10"
LOINC_SYSTEM = "http://loinc.org"
SNOMED_SYSTEM = "http://snomed.info/sct"
UCUM_SYSTEM = "http://unitsofmeasure.org"
KFA_SYSTEM = "http://sys-ids.kemkes.go.id/kfa"
ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
CONDITION_CLINICAL_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-category"
OBSERVATION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
MEDICATION_REQUEST_CATEGORY_SYSTEM = (
    "http://terminology.hl7.org/CodeSystem/medicationrequest-category"
)
EPISODE_TYPE_SYSTEM = "http://terminology.kemkes.go.id/CodeSystem/episodeofcare-type"

MEDICATION_PROFILE = "https://fhir.kemkes.go.id/r4/StructureDefinition/Medication"
MEDICATION_TYPE_EXTENSION = "https://fhir.kemkes.go.id/r4/StructureDefinition/MedicationType"
MEDICATION_TYPE_SYSTEM = "http://terminology.kemkes.go.id/CodeSystem/medication-type"

# SNOMED CT 3457005 "Patient referral": the re-referral to the hospital (KMK III.B.x.d).
REFERRAL_CODE = ("3457005", "Patient referral")


def identifier_system(kind: str, organization_id: str) -> str:
    """``http://sys-ids.kemkes.go.id/{kind}/{orgId}``: the facility's own numbering of a kind."""
    return f"http://sys-ids.kemkes.go.id/{kind}/{organization_id}"


@dataclass(frozen=True)
class Measure:
    """How one measured fact of a visit becomes an Observation."""

    loinc: str
    display: str
    category: str  # observation-category code: vital-signs, laboratory, imaging
    unit: str  # what people read
    ucum: str  # the UCUM code


# Facts the programme measures at a control visit (eligibility rules' fact names) that have
# a LOINC code. Scores (ACT, CAT, SLEDAI-2K, PANSS, NYHA/CCS classes) and yes/no findings
# stay in PRB: they have no Observation code SATUSEHAT is known to take.
FACT_OBSERVATIONS: dict[str, Measure] = {
    "sbp": Measure("8480-6", "Systolic blood pressure", "vital-signs", "mmHg", "mm[Hg]"),
    "dbp": Measure("8462-4", "Diastolic blood pressure", "vital-signs", "mmHg", "mm[Hg]"),
    "resting_hr": Measure("8867-4", "Heart rate", "vital-signs", "/min", "/min"),
    "fpg_mg_dl": Measure(
        "1558-6", "Fasting glucose [Mass/volume] in Serum or Plasma", "laboratory", "mg/dL", "mg/dL"
    ),
    "ppg2h_mg_dl": Measure(
        "1521-4",
        "Glucose [Mass/volume] in Serum or Plasma --2 hours post meal",
        "laboratory",
        "mg/dL",
        "mg/dL",
    ),
    "hba1c_percent": Measure(
        "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "laboratory", "%", "%"
    ),
    "ldl_mg_dl": Measure(
        "2089-1",
        "Cholesterol in LDL [Mass/volume] in Serum or Plasma",
        "laboratory",
        "mg/dL",
        "mg/dL",
    ),
    "creatinine_mg_dl": Measure(
        "2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "laboratory", "mg/dL", "mg/dL"
    ),
    "egfr": Measure(
        "62238-1",
        "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma "
        "or Blood by Creatinine-based formula (CKD-EPI)",
        "laboratory",
        "mL/min/1.73 m2",
        "mL/min/{1.73_m2}",
    ),
    "uric_acid_mg_dl": Measure(
        "3084-1", "Urate [Mass/volume] in Serum or Plasma", "laboratory", "mg/dL", "mg/dL"
    ),
    "lvef_percent": Measure("10230-1", "Left ventricular Ejection fraction", "imaging", "%", "%"),
}

# The visit's own columns (ControlVisit.weight_kg, height_cm and the BMI computed from them).
WEIGHT = Measure("29463-7", "Body weight", "vital-signs", "kg", "kg")
HEIGHT = Measure("8302-2", "Body height", "vital-signs", "cm", "cm")
BMI = Measure("39156-5", "Body mass index (BMI) [Ratio]", "vital-signs", "kg/m2", "kg/m2")
