"""/api/v1/events/ and /api/v1/event-registrations/ (API.md, "The market")."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from events import selectors, services
from events.serializers import (
    EventInSerializer,
    EventOutcomeInSerializer,
    EventOutcomeSerializer,
    EventRegistrationInSerializer,
    EventRegistrationSerializer,
    EventSerializer,
)


class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Public events; planned ones to their organisers and staff."""

    serializer_class = EventSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_fields = ["series", "city", "status"]

    def get_queryset(self):
        return selectors.events_visible_to(self.request.user).order_by("-starts_at", "-id")

    @extend_schema(request=EventInSerializer, responses=EventSerializer)
    def create(self, request):
        body = EventInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = services.event_create(by=request.user, data=body.validated_data)
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EventRegistrationInSerializer, responses=EventRegistrationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def registrations(self, request, pk=None):
        body = EventRegistrationInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        organization = (
            request.user.organization if body.validated_data["for_organization"] else None
        )
        registration = services.event_register(
            event=self.get_object(),
            by=request.user,
            role=body.validated_data["role"],
            organization=organization,
        )
        return Response(
            EventRegistrationSerializer(registration).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=EventOutcomeInSerializer, responses=EventOutcomeSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def outcomes(self, request, pk=None):
        body = EventOutcomeInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        document = "contract" if data["kind"] == "contract_registered" else "deal"
        if not data.get(document):
            raise ValidationError({document: [_("This field is required.")]})
        subject = data[document]
        expected = subject.tech_transaction_amount if document == "contract" else subject.amount
        if "amount" in data and data["amount"] != expected:
            raise ValidationError(
                {"amount": [_("The amount is the document's: %(amount)s.") % {"amount": expected}]}
            )
        outcome = services.outcome_record(
            event=self.get_object(), by=request.user, **{document: subject}
        )
        return Response(EventOutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)


class RegistrationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One's own registrations; those of the events one manages."""

    serializer_class = EventRegistrationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.registrations_visible_to(self.request.user).order_by("id")

    @extend_schema(request=None, responses=EventRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def check_in(self, request, pk=None):
        registration = services.registration_check_in(
            registration=self.get_object(), by=request.user
        )
        return Response(EventRegistrationSerializer(registration).data)
