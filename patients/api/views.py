from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import policy
from accounts.policy import Capability
from common.api import RecordDetailApi
from patients import selectors, services
from patients.models import Patient


class PatientOutputSerializer(serializers.ModelSerializer):
    fktp = serializers.CharField(source="fktp.kemenkes_code")
    pustu = serializers.CharField(source="pustu.kemenkes_code", allow_null=True, default=None)

    class Meta:
        model = Patient
        fields = ["id", *services.EDITABLE_FIELDS, "fktp"]


class PatientListApi(ListAPIView):
    serializer_class = PatientOutputSerializer
    patient_field = "pk"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        policy.require(self.request.user, Capability.SEE_PATIENTS)
        return selectors.patient_list(user=self.request.user, query=self.request.GET.get("q", ""))

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Name, NIK or BPJS number")],
        responses=PatientOutputSerializer(many=True),
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)


class PatientDetailApi(RecordDetailApi):
    """One patient of the user's puskesmas (Pustu staff: of their Pustu)."""

    serializer_class = PatientOutputSerializer
    access = selectors.patient_for_user
