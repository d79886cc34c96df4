from decimal import Decimal

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organization
from contracts import exports, selectors, services
from contracts.models import Contract, SubsidyProgram
from contracts.permissions import (
    may_export_subsidies,
    may_manage_programmes,
    may_see_reward,
    sees_ledger,
)
from contracts.serializers import (
    ContractSerializer,
    DisburseSerializer,
    LedgerSerializer,
    PaymentSerializer,
    ProgramSerializer,
    RewardSerializer,
    SubsidyCreateSerializer,
    SubsidySerializer,
)
from portal.core.api import ReasonSerializer, service_action
from portal.core.guard import GuardedJSONParser


class RecognitionSerializer(serializers.Serializer):
    """The office's 认定, all optional: the technology transaction amount as
    registered (at most the declared one; lower with a reason) and the type."""

    tech_transaction_amount = serializers.DecimalField(
        max_digits=15, decimal_places=2, required=False, min_value=Decimal("0.01")
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    contract_type = serializers.ChoiceField(
        choices=Contract.Type.choices, required=False, default=""
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ContractViewSet(viewsets.ModelViewSet):
    serializer_class = ContractSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_fields = ["status", "contract_type", "tech_field"]
    ordering_fields = ["registered_at", "amount", "signed_on"]

    def get_queryset(self):
        return selectors.contracts_visible_to(self.request.user).order_by("-id")

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        contract = services.contract_create(by=request.user, data=body.validated_data)
        return Response(self.get_serializer(contract).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        contract = self.get_object()
        body = self.get_serializer(contract, data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        contract = services.contract_update(
            contract=contract, by=request.user, data=body.validated_data
        )
        return Response(self.get_serializer(contract).data)

    def _done(self, contract):
        return Response(self.get_serializer(self.get_queryset().get(pk=contract.pk)).data)

    confirm = service_action(
        "confirm",
        services.contract_confirm,
        "contract",
        doc="An administrator of a party agrees to the contract as it stands.",
    )
    submit = service_action("submit", services.contract_submit, "contract")
    register = service_action(
        "register", services.contract_register, "contract", body=RecognitionSerializer
    )
    reject = service_action("reject", services.contract_reject, "contract", body=ReasonSerializer)
    terminate = service_action(
        "terminate", services.contract_terminate, "contract", body=ReasonSerializer
    )

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        }
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def document(self, request, pk=None):
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                {"file": ["Upload the contract as a PDF in the field `file`."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self._done(
            services.contract_attach_document(
                contract=self.get_object(), by=request.user, upload=upload
            )
        )

    @extend_schema(methods=["get"], responses=PaymentSerializer(many=True))
    @extend_schema(
        methods=["post"],
        request={"multipart/form-data": PaymentSerializer},
        responses={201: PaymentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, GuardedJSONParser],
    )
    def payments(self, request, pk=None):
        contract = self.get_object()
        if request.method == "GET":
            return Response(
                PaymentSerializer(contract.payments.order_by("paid_on", "id"), many=True).data
            )
        body = PaymentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment = services.payment_add(contract=contract, by=request.user, **body.validated_data)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses=RewardSerializer)
    @extend_schema(methods=["put"], request=RewardSerializer, responses=RewardSerializer)
    @action(detail=True, methods=["get", "put"])
    def reward(self, request, pk=None):
        contract = self.get_object()
        if request.method == "GET":
            reward = (
                getattr(contract, "reward", None)
                if may_see_reward(request.user, contract)
                else None
            )
            if reward is None:
                return Response(
                    {"detail": "No distribution recorded yet."}, status=status.HTTP_404_NOT_FOUND
                )
            return Response(RewardSerializer(reward).data)
        body = RewardSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reward = services.reward_save(contract=contract, by=request.user, **body.validated_data)
        return Response(RewardSerializer(reward).data)


class PaymentActionApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReasonSerializer, responses=PaymentSerializer)
    def post(self, request, pk: int, action: str):
        payment = get_object_or_404(selectors.payments_visible_to(request.user), pk=pk)
        if action == "verify":
            payment = services.payment_verify(payment=payment, by=request.user)
        elif action == "confirm":
            payment = services.payment_confirm(payment=payment, by=request.user)
        elif action == "reject":
            body = ReasonSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            payment = services.payment_reject(
                payment=payment, by=request.user, reason=body.validated_data["reason"]
            )
        else:
            return Response(status=status.HTTP_404_NOT_FOUND)
        return Response(PaymentSerializer(payment).data)


class CentralStaffWritesOrReadOnly(permissions.BasePermission):
    """Anyone reads the programmes; central staff set them."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or may_manage_programmes(request.user)


class ProgramViewSet(viewsets.ModelViewSet):
    serializer_class = ProgramSerializer
    permission_classes = [CentralStaffWritesOrReadOnly]
    queryset = SubsidyProgram.objects.order_by("-year", "-id")
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.program_save(
            by=self.request.user, program=SubsidyProgram(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        program = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(program, name, value)
        serializer.instance = services.program_save(by=self.request.user, program=program)


class SubsidyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SubsidySerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["program", "status", "organization"]

    def get_queryset(self):
        return (
            selectors.subsidies_visible_to(self.request.user)
            .prefetch_related("lines")
            .order_by("-id")
        )

    @extend_schema(request=SubsidyCreateSerializer, responses={201: SubsidySerializer})
    def create(self, request):
        body = SubsidyCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        program = body.validated_data["program"]
        existing = selectors.open_application(
            program=program, organization=getattr(request.user, "organization", None)
        )
        if existing is not None and getattr(request.user, "organization_id", None):
            return Response(SubsidySerializer(existing).data)  # the open draft, not a second
        application = services.subsidy_apply(
            by=request.user,
            program=program,
            organization=body.validated_data.get("organization"),
        )
        return Response(SubsidySerializer(application).data, status=status.HTTP_201_CREATED)

    def _done(self, application):
        return Response(SubsidySerializer(self.get_queryset().get(pk=application.pk)).data)

    submit = service_action("submit", services.subsidy_submit, "application")
    city_review = service_action("city_review", services.subsidy_city_review, "application")
    approve = service_action("approve", services.subsidy_approve, "application")
    reject = service_action("reject", services.subsidy_reject, "application", body=ReasonSerializer)
    send_back = service_action(
        "send_back", services.subsidy_send_back, "application", body=ReasonSerializer
    )
    disburse = service_action(
        "disburse", services.subsidy_disburse, "application", body=DisburseSerializer
    )

    @extend_schema(
        parameters=[
            OpenApiParameter("organization", int, required=True),
            OpenApiParameter("program", int, required=True),
        ],
        responses=LedgerSerializer,
    )
    @action(detail=False, methods=["get"])
    def ledger(self, request):
        program = _param(request, "program", SubsidyProgram.objects.all())
        organization = _param(request, "organization", Organization.objects.all())
        if not sees_ledger(request.user, organization):
            raise PermissionDenied("Only the enterprise and staff in scope see its ledger.")
        granted, remaining = services.ledger_of(program=program, organization=organization)
        return Response(
            LedgerSerializer({"granted_total": granted, "remaining_cap": remaining}).data
        )

    @extend_schema(
        parameters=[OpenApiParameter("program", int, required=True)],
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes
        },
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        if not may_export_subsidies(request.user):
            raise PermissionDenied("Staff only.")
        return exports.approved_applications(
            _param(request, "program", SubsidyProgram.objects.all()),
            selectors.subsidies_visible_to(request.user),
        )


def _param(request, name: str, queryset):
    from rest_framework.exceptions import ValidationError

    value = request.query_params.get(name, "")
    if not value.isdigit():
        raise ValidationError({name: ["Give the id as a number."]})
    found = queryset.filter(pk=int(value)).first()
    if found is None:
        raise ValidationError({name: ["No such id."]})
    return found
