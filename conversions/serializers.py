from rest_framework import serializers

from contracts.models import Contract
from conversions.models import ConversionProject
from portal.core.reference import TechField


class ConversionProjectSerializer(serializers.ModelSerializer):
    applicant = serializers.CharField(source="applicant.name", read_only=True)

    class Meta:
        model = ConversionProject
        fields = [
            "id",
            "code",
            "name",
            "product_name",
            "applicant",
            "tech_field",
            "stage",
            "ip_items",
            "source",
            "fast_lane",
            "status",
            "recognized_on",
            "valid_until",
        ]


class IpItemSerializer(serializers.Serializer):
    type = serializers.CharField(max_length=30)
    number = serializers.CharField(max_length=50)
    date = serializers.DateField()
    holder = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    exclusive = serializers.BooleanField(required=False, default=False)
    worldwide = serializers.BooleanField(required=False, default=False)
    years = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)


class TestReportSerializer(serializers.Serializer):
    agency = serializers.CharField(max_length=200)
    accreditation = serializers.CharField(max_length=50)
    number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class ConversionProjectInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    product_name = serializers.CharField(max_length=200)
    tech_field = serializers.ChoiceField(choices=TechField.choices)
    stage = serializers.ChoiceField(choices=ConversionProject.Stage.choices)
    ip_items = IpItemSerializer(many=True)
    test_reports = TestReportSerializer(many=True, required=False, default=list)
    licences = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )
    source = serializers.ChoiceField(choices=ConversionProject.Source.choices)
    contract = serializers.PrimaryKeyRelatedField(
        queryset=Contract.objects.filter(status=Contract.Status.REGISTERED),
        required=False,
        allow_null=True,
        default=None,
    )
    expected_revenue = serializers.DecimalField(max_digits=15, decimal_places=2, min_value=0)
    description = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, default=""
    )
