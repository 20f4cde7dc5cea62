"""API for hospital systems and integrations (STYLE.md 6: one view per operation)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from accounts.http import AuthedApiRequest
from accounts.policy import Capability
from common.api import RecordDetailApi, StrictSerializer
from common.text import LONG_TEXT
from facilities.models import Facility
from patients.models import Patient
from patients.programs import Program
from patients.validators import validate_birth_date, validate_bpjs_number, validate_nik_format
from pharmacy.models import Medicine
from referrals import selectors
from referrals.models import BackReferralLetter, ControlVisit, PrbCase
from referrals.services import letters


class LetterOutputSerializer(serializers.ModelSerializer):
    class MedicineOutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ReferralLetterMedicine"

        medicine = serializers.IntegerField(source="medicine_id")
        name = serializers.CharField(source="medicine.name")
        strength = serializers.CharField()
        signa = serializers.CharField()
        quantity_per_month = serializers.IntegerField()

    facility = serializers.CharField(source="facility.kemenkes_code")
    hospital = serializers.CharField(source="hospital.kemenkes_code")
    patient = serializers.IntegerField(source="patient_id")
    case = serializers.IntegerField(source="case_id", allow_null=True)
    medicines = MedicineOutputSerializer(many=True)

    class Meta:
        model = BackReferralLetter
        fields = [
            "id",
            "srb_number",
            "sep_number",
            "letter_date",
            "facility",
            "hospital",
            "dpjp_name",
            "patient",
            "program",
            "icd10",
            "comorbidities",
            "next_hospital_review",
            "facts",
            "general",
            "evaluation",
            "outcome",
            "status",
            "return_reasons",
            "case",
            "medicines",
        ]


class ReferralCreateApi(APIView):
    """Receive a back-referral letter (SRB) from a hospital system.

    Idempotent by SRB number: sending the same letter again returns the
    letter already received (200); the same number with other content is a
    400. A hospital account sends to the FKTP named by ``fktp``; an FKTP
    account receives into its own puskesmas and names the ``hospital``.
    """

    class InputSerializer(StrictSerializer):
        class Meta:
            ref_name = "ReferralCreateInput"

        class PatientSerializer(StrictSerializer):
            class Meta:
                ref_name = "ReferralPatientInput"

            nik = serializers.CharField(max_length=16, validators=[validate_nik_format])
            bpjs_number = serializers.CharField(max_length=13, validators=[validate_bpjs_number])
            name = serializers.CharField(max_length=150)
            sex = serializers.ChoiceField(choices=Patient.Sex.choices)
            birth_date = serializers.DateField(validators=[validate_birth_date])
            address = serializers.CharField(max_length=255, required=False, default="")
            phone = serializers.CharField(max_length=20, required=False, default="")

        class ComorbiditySerializer(StrictSerializer):
            class Meta:
                ref_name = "ReferralComorbidityInput"

            icd10 = serializers.RegexField(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$", max_length=10)
            controlled_months = serializers.FloatField(min_value=0, max_value=600)

        class GeneralSerializer(StrictSerializer):
            class Meta:
                ref_name = "ReferralGeneralInput"

            a = serializers.BooleanField(required=False, allow_null=True, default=None)
            b = serializers.BooleanField(required=False, allow_null=True, default=None)
            c = serializers.BooleanField(required=False, allow_null=True, default=None)
            d = serializers.BooleanField(
                required=False,
                allow_null=True,
                default=None,
                help_text=(
                    "KEEMPAT.d stated by the doctor; false (comorbidities not controlled) "
                    "decides whatever the comorbidity list holds (criteria contract v2)."
                ),
            )
            e = serializers.BooleanField(required=False, allow_null=True, default=None)
            f = serializers.BooleanField(required=False, allow_null=True, default=None)

        class MedicineSerializer(StrictSerializer):
            class Meta:
                ref_name = "ReferralMedicineInput"

            medicine = serializers.PrimaryKeyRelatedField(queryset=Medicine.objects.active())
            strength = serializers.CharField(max_length=60, required=False, default="")
            signa = serializers.CharField(max_length=60)
            quantity_per_month = serializers.IntegerField(min_value=1)

        fktp = serializers.CharField(
            required=False,
            max_length=20,
            help_text="Kemenkes code of the receiving FKTP (hospital accounts).",
        )
        hospital = serializers.CharField(
            required=False,
            max_length=20,
            help_text="Kemenkes code of the sending hospital (FKTP accounts).",
        )
        dpjp_name = serializers.CharField(max_length=150)
        srb_number = serializers.CharField(max_length=40)
        sep_number = serializers.CharField(max_length=40, required=False, default="")
        letter_date = serializers.DateField()
        patient = PatientSerializer()
        program = serializers.ChoiceField(choices=Program.choices)
        icd10 = serializers.RegexField(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$", max_length=10)
        comorbidities = ComorbiditySerializer(many=True, required=False, default=list)
        general = GeneralSerializer(required=False, default=dict)
        clinical_resume = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=LONG_TEXT
        )
        management_plan = serializers.CharField(
            required=False, default="", allow_blank=True, max_length=LONG_TEXT
        )
        next_hospital_review = serializers.DateField(required=False, allow_null=True, default=None)
        facts = serializers.DictField(required=False, default=dict)
        medicines = MedicineSerializer(many=True, required=False, default=list)

    def _facilities(self, user: Any, data: dict[str, Any]) -> tuple[Facility, Facility]:
        own = user.facility
        # A hospital account sends, an FKTP account receives: both hold RECEIVE_LETTER.
        if own is None or not policy.can(user, Capability.RECEIVE_LETTER):
            raise PermissionDenied
        if own.kind == Facility.Kind.RUMAH_SAKIT:
            fktp = Facility.objects.filter(
                kemenkes_code=data.get("fktp", ""), kind__in=Facility.PRIMARY_CARE
            ).first()
            if fktp is None:
                raise ApiValidationError({"fktp": [_("Unknown receiving FKTP.")]})
            return fktp, own
        hospital = Facility.objects.filter(
            kemenkes_code=data.get("hospital", ""), kind=Facility.Kind.RUMAH_SAKIT
        ).first()
        if hospital is None:
            raise ApiValidationError({"hospital": [_("Unknown sending hospital.")]})
        return own, hospital

    @extend_schema(
        request=InputSerializer,
        responses={
            201: LetterOutputSerializer,
            200: OpenApiResponse(LetterOutputSerializer, description="Same SRB already received"),
            400: OpenApiResponse(description='Field errors, e.g. {"facts.hba1c_percent": [...]}'),
        },
    )
    def post(self, request: AuthedApiRequest) -> Response:
        policy.require(request.user, Capability.RECEIVE_LETTER)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        facility, hospital = self._facilities(request.user, data)
        letter, created = letters.letter_receive_idempotent(
            actor=request.user,
            letter=letters.LetterInput(
                facility=facility,
                hospital=hospital,
                dpjp_name=data["dpjp_name"],
                srb_number=data["srb_number"],
                sep_number=data["sep_number"],
                letter_date=data["letter_date"],
                patient=letters.PatientInput(**data["patient"]),
                program=data["program"],
                icd10=data["icd10"],
                comorbidities=[dict(c) for c in data["comorbidities"]],
                attestations=dict(data["general"]),
                clinical_resume=data["clinical_resume"],
                management_plan=data["management_plan"],
                next_hospital_review=data["next_hospital_review"],
                facts=dict(data["facts"]),
                medicines=[letters.LetterMedicineInput(**dict(m)) for m in data["medicines"]],
                source=BackReferralLetter.Source.API,
            ),
        )
        letter = selectors.letter_for_user(request.user, letter.pk)
        return Response(
            LetterOutputSerializer(letter).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ReferralDetailApi(RecordDetailApi):
    """One back-referral letter (SRB) received by the user's puskesmas, or sent by its hospital."""

    serializer_class = LetterOutputSerializer
    access = selectors.letter_for_user


class CaseOutputSerializer(serializers.ModelSerializer):
    patient = serializers.IntegerField(source="patient_id")
    patient_name = serializers.CharField(source="patient.name")
    facility = serializers.IntegerField(source="facility_id")

    class Meta:
        model = PrbCase
        fields = [
            "id",
            "patient",
            "patient_name",
            "program",
            "facility",
            "status",
            "enrolled_on",
            "next_control_date",
            "next_hospital_review",
        ]


class CaseDetailOutputSerializer(CaseOutputSerializer):
    class Meta(CaseOutputSerializer.Meta):
        fields = [
            *CaseOutputSerializer.Meta.fields,
            "baseline_facts",
            "baseline_on",
            "current_regimen",
            "override_reason",
            "status_note",
            "status_changed_on",
        ]


class CaseListQuerySerializer(serializers.Serializer):
    """The list's filters: a status outside the schema's enum is a 400, not an empty list."""

    q = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    status = serializers.ChoiceField(choices=PrbCase.Status.choices, required=False)


class CaseListApi(ListAPIView):
    serializer_class = CaseOutputSerializer
    patient_field = "patient_id"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        policy.require(self.request.user, Capability.SEE_CASES)
        # A plain dict: a QueryDict would read an empty ?status= as absent (HTML form rules).
        filters = CaseListQuerySerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        return selectors.case_list(
            user=self.request.user,
            status=filters.validated_data.get("status", ""),
            query=filters.validated_data.get("q", ""),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Name, NIK or BPJS number"),
            OpenApiParameter("status", str, enum=PrbCase.Status.values),
        ],
        responses=CaseOutputSerializer(many=True),
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)


class CaseDetailApi(RecordDetailApi):
    """One PRB case with its baseline facts and current regimen."""

    serializer_class = CaseDetailOutputSerializer
    access = selectors.case_for_user


class VisitOutputSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id")
    prescription = serializers.IntegerField(source="prescription_id", allow_null=True)

    class Meta:
        model = ControlVisit
        fields = [
            "id",
            "case",
            "visit_date",
            "facts",
            "weight_kg",
            "height_cm",
            "symptoms",
            "adherence",
            "side_effects",
            "prescription",
            "next_control_date",
            "outcome",
            "evaluation",
            "warnings",
        ]


class CaseVisitListApi(ListAPIView):
    serializer_class = VisitOutputSerializer
    patient_field = "case.patient_id"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        case = selectors.case_for_user(self.request.user, self.kwargs["pk"])
        return selectors.visit_list(case=case)

    @extend_schema(responses=VisitOutputSerializer(many=True))
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)


class VisitDetailApi(RecordDetailApi):
    """One monthly control visit with its re-referral evaluation."""

    serializer_class = VisitOutputSerializer
    access = selectors.visit_for_user
