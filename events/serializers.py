from rest_framework import serializers

from accounts.models import Organization
from contracts.models import Contract
from events.models import (
    EventOutcome,
    EventRegistration,
    InvestmentDeal,
    MatchingEvent,
)
from portal.core.reference import Industry


class EventSerializer(serializers.ModelSerializer):
    organizer = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = MatchingEvent
        fields = [
            "id",
            "code",
            "series",
            "title",
            "organizer",
            "city",
            "format",
            "starts_at",
            "ends_at",
            "capacity",
            "status",
        ]


class EventInSerializer(serializers.Serializer):
    """What creating an event takes; the rules (city, window, capacity) are the service's."""

    organizer = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False
    )
    series = serializers.ChoiceField(choices=MatchingEvent.Series.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000
    )
    city = serializers.CharField(max_length=6)
    node_type = serializers.ChoiceField(choices=MatchingEvent.NodeType.choices)
    format = serializers.ChoiceField(choices=MatchingEvent.Format.choices)
    topic_industries = serializers.ListField(
        child=serializers.ChoiceField(choices=Industry.choices), required=False, default=list
    )
    venue = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=100_000)


class EventRegistrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventRegistration
        fields = [
            "id",
            "event",
            "user",
            "organization",
            "role",
            "code",
            "registered_at",
            "checked_in_at",
        ]


class EventRegistrationInSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=EventRegistration.Role.choices)
    for_organization = serializers.BooleanField(required=False, default=True)


class EventOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventOutcome
        fields = ["id", "event", "kind", "amount", "contract", "deal", "confirmed_at"]


class EventOutcomeInSerializer(serializers.Serializer):
    """`amount` may be sent, and must then be the document's: it is never typed in."""

    kind = serializers.ChoiceField(choices=EventOutcome.Kind.choices)
    amount = serializers.DecimalField(max_digits=15, decimal_places=2, required=False)
    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.all(), required=False)
    deal = serializers.PrimaryKeyRelatedField(queryset=InvestmentDeal.objects.all(), required=False)
