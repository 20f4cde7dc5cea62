"""Pharmacy API (STYLE.md 6): one view per operation, nested input/output serializers."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from accounts.http import AuthedApiRequest
from accounts.policy import Capability
from common.api import StrictSerializer
from pharmacy import selectors
from pharmacy.models import Lot, Medicine, StockCardLine
from pharmacy.services import movements, prescriptions


class CardLineOutputSerializer(serializers.ModelSerializer):
    batch = serializers.CharField(source="lot.batch")
    expiry_date = serializers.DateField(source="lot.expiry_date")
    user = serializers.CharField(source="user.username")

    class Meta:
        model = StockCardLine
        fields = [
            "id",
            "store",
            "medicine",
            "lot",
            "batch",
            "expiry_date",
            "date",
            "movement",
            "quantity_in",
            "quantity_out",
            "balance_after",
            "reference",
            "counterparty",
            "note",
            "reverses",
            "user",
            "created_at",
        ]


class StockReceiveApi(APIView):
    class InputSerializer(StrictSerializer):
        class Meta:
            ref_name = "StockReceiveInput"

        class LineSerializer(StrictSerializer):
            class Meta:
                ref_name = "StockReceiveLine"

            medicine = serializers.PrimaryKeyRelatedField(queryset=Medicine.objects.active())
            batch = serializers.CharField(max_length=40)
            expiry_date = serializers.DateField()
            quantity = serializers.IntegerField(min_value=1)

        store = serializers.IntegerField()
        received_on = serializers.DateField()
        # DRF's metaclass pops declared fields, so this does not shadow Field.source at
        # runtime; the stubs type it as the attribute (typeddjango/djangorestframework-stubs#158).
        source = serializers.ChoiceField(choices=Lot.Source.choices)  # type: ignore[assignment]
        supplier = serializers.CharField(max_length=150, required=False, default="")
        reference = serializers.CharField(max_length=100, required=False, default="")
        lines = LineSerializer(many=True, allow_empty=False)

    @extend_schema(
        request=InputSerializer,
        responses={201: CardLineOutputSerializer(many=True)},
        summary="Receive lots into a store",
    )
    def post(self, request: AuthedApiRequest) -> Response:
        policy.require(request.user, Capability.MOVE_STOCK)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        store = selectors.store_for_user(request.user, data["store"])
        # A service's ValidationError becomes field errors in common.api.exception_handler.
        lines = movements.stock_receive_entered(
            actor=request.user, store=store, entered=data, lines=data["lines"]
        )
        return Response(
            CardLineOutputSerializer(lines, many=True).data, status=status.HTTP_201_CREATED
        )


class StockDispenseApi(APIView):
    class InputSerializer(StrictSerializer):
        class Meta:
            ref_name = "StockDispenseInput"

        class LineSerializer(StrictSerializer):
            class Meta:
                ref_name = "StockDispenseLine"

            line = serializers.IntegerField()
            quantity = serializers.IntegerField(min_value=0)

        dispensed_on = serializers.DateField(required=False)
        lines = LineSerializer(
            many=True,
            required=False,
            allow_empty=False,
            help_text="Units per prescription line; without it every line gets what is owed.",
        )

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "StockDispenseOutput"

        class OwedSerializer(serializers.Serializer):
            class Meta:
                ref_name = "StockDispenseOwed"

            line = serializers.IntegerField()
            medicine = serializers.IntegerField()
            quantity = serializers.IntegerField()
            dispensed_quantity = serializers.IntegerField()
            owed_quantity = serializers.IntegerField()

        prescription = serializers.IntegerField()
        status = serializers.CharField(help_text="waiting, partly, dispensed or cancelled")
        lines = OwedSerializer(many=True)
        card_lines = CardLineOutputSerializer(many=True)

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer},
        summary="Dispense a prescription (FEFO; what stock cannot cover stays owed)",
    )
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        prescription = selectors.prescription_for_user(request.user, pk, write=Capability.DISPENSE)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        quantities = None
        if "lines" in data:
            # Only lines of this prescription: an unknown id is refused, never read as
            # "dispense everything".
            own = set(prescription.lines.values_list("pk", flat=True))
            errors = {
                str(index): {"line": [_("This line is not on the prescription.")]}
                for index, line in enumerate(data["lines"])
                if line["line"] not in own
            }
            if errors:
                raise ApiValidationError({"lines": errors})
            quantities = {line["line"]: line["quantity"] for line in data["lines"]}
        result = prescriptions.stock_dispense(
            actor=request.user,
            prescription=prescription,
            dispensed_on=data.get("dispensed_on"),
            quantities=quantities,
        )
        output = {
            "prescription": result.prescription.pk,
            "status": result.prescription.status,
            "lines": [
                {
                    "line": line.pk,
                    "medicine": line.medicine_id,
                    "quantity": line.quantity,
                    "dispensed_quantity": line.dispensed_quantity,
                    "owed_quantity": line.owed_quantity,
                }
                for line in result.lines
            ],
            "card_lines": result.card_lines,
        }
        return Response(self.OutputSerializer(output).data)


class StockLevelListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "StockLevelListOutput"

        class LotSerializer(serializers.Serializer):
            class Meta:
                ref_name = "StockLevelListLot"

            lot = serializers.IntegerField(source="lot_id")
            batch = serializers.CharField(source="lot.batch")
            expiry_date = serializers.DateField(source="lot.expiry_date")
            quantity = serializers.IntegerField()

        medicine = serializers.IntegerField(source="medicine.pk")
        medicine_name = serializers.CharField(source="medicine")
        unit = serializers.CharField(source="medicine.unit")
        quantity = serializers.IntegerField()
        usable_quantity = serializers.IntegerField()
        nearest_expiry = serializers.DateField(allow_null=True)
        lots = LotSerializer(many=True)

    @extend_schema(responses=OutputSerializer(many=True), summary="Stock levels of a store")
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        store = selectors.store_for_user(request.user, pk)
        return Response(self.OutputSerializer(selectors.stock_levels(store=store), many=True).data)


class StockCardLineListApi(ListAPIView):
    serializer_class = CardLineOutputSerializer
    patient_field = "patient_id"  # a dispense line names its patient

    def get_queryset(self):  # type: ignore[no-untyped-def]
        store = selectors.store_for_user(self.request.user, self.kwargs["pk"])
        lines = StockCardLine.objects.filter(store=store).select_related("lot", "user")
        medicine = self.request.GET.get("medicine", "")
        lot = self.request.GET.get("lot", "")
        if medicine:
            if not medicine.isdigit():
                raise ApiValidationError({"medicine": [_("Must be a number.")]})
            lines = lines.filter(medicine=get_object_or_404(Medicine, pk=int(medicine)))
        if lot:
            if not lot.isdigit():
                raise ApiValidationError({"lot": [_("Must be a number.")]})
            lines = lines.filter(lot_id=int(lot))
        return lines.order_by("id")  # card order: the order lines were written

    @extend_schema(
        parameters=[
            OpenApiParameter("medicine", int, description="Medicine id"),
            OpenApiParameter("lot", int, description="Lot id"),
        ],
        responses=CardLineOutputSerializer(many=True),
        summary="Stock card lines of a store",
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)
