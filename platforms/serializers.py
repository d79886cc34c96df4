from rest_framework import serializers

from platforms.models import Platform
from portal.core.reference import Industry


class PlatformSerializer(serializers.ModelSerializer):
    host = serializers.CharField(source="host.name", read_only=True)

    class Meta:
        model = Platform
        fields = [
            "id",
            "code",
            "kind",
            "level",
            "name",
            "host",
            "city",
            "industries",
            "services",
            "equipment_value",
            "open_service",
            "status",
            "recognized_on",
            "valid_until",
        ]


class EquipmentSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    model = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    value = serializers.DecimalField(max_digits=15, decimal_places=2)
    shareable = serializers.BooleanField(required=False, default=False)


class PlatformInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Platform.Kind.choices)
    level = serializers.ChoiceField(choices=Platform.Level.choices)
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=200)
    industries = serializers.ListField(child=serializers.ChoiceField(choices=Industry.choices))
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=Platform.Service.choices)
    )
    premises_m2 = serializers.IntegerField(min_value=1, max_value=10_000_000)
    equipment = EquipmentSerializer(many=True)
    lead_name = serializers.CharField(max_length=50)
    staff_total = serializers.IntegerField(min_value=1, max_value=1_000_000)
    engineers = serializers.IntegerField(min_value=0, max_value=1_000_000)
    annual_budget = serializers.DecimalField(max_digits=15, decimal_places=2)
    open_service = serializers.BooleanField()
    fee_schedule = serializers.CharField(max_length=2000)
    ip_policy = serializers.CharField(max_length=2000)
    incidents = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, default=list
    )
    established_on = serializers.DateField()
    description = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, default=""
    )

    def validate_equipment(self, rows):
        return [{**row, "value": str(row["value"])} for row in rows]


class PlatformReviewSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=5, decimal_places=2)
    opinion = serializers.CharField(max_length=2000)
    passed = serializers.BooleanField()


class PlatformReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
