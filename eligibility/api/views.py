from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from eligibility.rules import RequestError, evaluate

EXAMPLE_REQUEST = {
    "mode": "back_referral",
    "program": "DM",
    "as_of": "2026-11-01",
    "patient": {"sex": "M", "birth_date": "1968-04-02"},
    "general": {"a": True, "b": True, "c": True, "e": True, "f": True, "comorbidities": []},
    "facts": {"hba1c_percent": 6.8, "oral_antidiabetic_count": 2, "sbp": 132, "dbp": 82},
}


class EligibilityEvaluateApi(APIView):
    """Evaluate KMK 1645/2024 back-referral or re-referral criteria (contract eligibility.md).

    No database rows are read or written: the request carries every fact.
    """

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        examples=[OpenApiExample("DM back-referral", value=EXAMPLE_REQUEST, request_only=True)],
        operation_id="eligibility_evaluate",
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            return Response(
                {"errors": {"": [_("The request must be a JSON object.")]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            result = evaluate(request.data)
        except RequestError as exc:
            return Response({"errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response(result)
