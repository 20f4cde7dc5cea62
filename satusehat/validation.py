"""Every resource PRB sends or exports is validated as FHIR R4 first.

``fhir.resources`` 8 has no R4 package; its R4B models are identical to R4 for the
resources PRB builds (Encounter, Condition, Observation, Medication, MedicationRequest,
MedicationDispense, ServiceRequest, EpisodeOfCare, Patient, Practitioner, Organization,
Location, Bundle). Kemkes profiles and extensions are kept as ``meta.profile`` and
``extension``, which the base models accept.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError


class InvalidResource(ValueError):
    """A resource PRB built does not validate: a bug in a builder, never the user's input."""


def fhir_validate(resource: dict[str, Any]) -> dict[str, Any]:
    """Validate with ``fhir.resources.R4B``; returns the resource, raises ``InvalidResource``."""
    resource_type = resource.get("resourceType", "")
    try:
        model = get_fhir_model_class(resource_type)
    except (KeyError, ValueError) as exc:
        raise InvalidResource(f"unknown resource type {resource_type!r}") from exc
    try:
        model.model_validate(resource)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        raise InvalidResource(f"{resource_type}: {problems}") from exc
    return resource
