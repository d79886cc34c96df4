from rest_framework import serializers

from accounts.models import Organization, User
from credit.models import Complaint, CreditRecord
from credit.selectors import is_broker_account


class ComplaintSerializer(serializers.ModelSerializer):
    class Meta:
        model = Complaint
        fields = [
            "id",
            "organization",
            "broker",
            "real_name",
            "facts",
            "status",
            "reply",
            "created_at",
            "decided_at",
        ]


class ComplaintInSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True, default=None
    )
    broker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_broker_account()).distinct(),
        required=False,
        allow_null=True,
        default=None,
    )
    real_name = serializers.CharField(max_length=50)
    contact = serializers.CharField(max_length=100)
    facts = serializers.CharField(max_length=20000)
    evidence = serializers.FileField()


class ComplaintDecisionSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    reply = serializers.CharField(max_length=2000)


class CreditRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditRecord
        fields = [
            "id",
            "organization",
            "broker",
            "kind",
            "source",
            "reason",
            "evidence",
            "starts_on",
            "ends_on",
            "lifted_at",
        ]


class CreditRecordInSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True, default=None
    )
    broker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_broker_account()).distinct(),
        required=False,
        allow_null=True,
        default=None,
    )
    kind = serializers.ChoiceField(choices=CreditRecord.Kind.choices)
    source = serializers.ChoiceField(choices=CreditRecord.Source.choices)
    reason = serializers.CharField(max_length=500)
    evidence = serializers.CharField(max_length=500)
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    public = serializers.BooleanField(required=False, default=True)


class CreditLiftSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
