"""The case's PRB record as one FHIR R4 Bundle (STYLE.md 6: one view per operation)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from patients.models import PatientAccessLog
from patients.services import patient_record_read
from referrals.selectors import case_for_user
from satusehat.bundle import case_bundle


class CaseFhirBundleApi(APIView):
    """Every resource of the case (FHIR R4 Bundle, type collection); 404 outside the user's scope."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, pk: int) -> Response:
        case = case_for_user(request.user, pk)
        bundle = case_bundle(case)
        patient_record_read(request, case.patient, action=PatientAccessLog.Action.EXPORT)
        return Response(bundle, content_type="application/fhir+json")
