from rest_framework import serializers

from brokers.models import Broker


class BrokerSerializer(serializers.ModelSerializer):
    """API.md: name, level, certificate number, agency, status, registered deals."""

    name = serializers.CharField(source="real_name")
    certificate_number = serializers.CharField(allow_null=True)
    agency = serializers.CharField(source="agency_name", allow_null=True)
    registered_deals = serializers.IntegerField()

    class Meta:
        model = Broker
        fields = [
            "id",
            "name",
            "level",
            "certificate_number",
            "agency",
            "status",
            "registered_deals",
        ]
