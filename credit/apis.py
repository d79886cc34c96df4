"""/api/v1/complaints/ and /api/v1/credit-records/: real-name complaints and
the public credit records (MARKET.md §6)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from credit import selectors, services
from credit.models import CreditRecord
from credit.serializers import (
    ComplaintDecisionSerializer,
    ComplaintInSerializer,
    ComplaintSerializer,
    CreditLiftSerializer,
    CreditRecordInSerializer,
    CreditRecordSerializer,
)


class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The complainant's own complaints; staff see those of their market."""

    serializer_class = ComplaintSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["status"]

    def get_queryset(self):
        return selectors.complaints_visible_to(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=ComplaintInSerializer, responses=ComplaintSerializer)
    def create(self, request):
        body = ComplaintInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        complaint = services.complaint_submit(by=request.user, **body.validated_data)
        return Response(ComplaintSerializer(complaint).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def investigate(self, request, pk=None):
        done = services.complaint_investigate(complaint=self.get_object(), by=request.user)
        return Response(ComplaintSerializer(done).data)

    @extend_schema(request=ComplaintDecisionSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        body = ComplaintDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.complaint_decide(
            complaint=self.get_object(), by=request.user, **body.validated_data
        )
        return Response(ComplaintSerializer(done).data)


class CreditRecordViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Public records to anyone; staff record and lift them."""

    serializer_class = CreditRecordSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_fields = ["organization", "broker", "kind"]

    def get_queryset(self):
        return CreditRecord.objects.filter(public=True).order_by("-starts_on", "-id")

    @extend_schema(request=CreditRecordInSerializer, responses=CreditRecordSerializer)
    def create(self, request):
        body = CreditRecordInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.record_create(by=request.user, **body.validated_data)
        return Response(CreditRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CreditLiftSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        body = CreditLiftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.record_lift(
            record=self.get_object(), by=request.user, reason=body.validated_data["reason"]
        )
        return Response(CreditRecordSerializer(done).data)
