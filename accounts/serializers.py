from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Organization, User


class OrganizationSerializer(serializers.ModelSerializer):
    market = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "credit_code", "region_code", "market", "verified"]
        read_only_fields = fields


class OrganizationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=Organization.Kind.choices, required=False)
    credit_code = serializers.CharField(max_length=18)
    region_code = serializers.CharField(max_length=6, required=False, allow_blank=True)


class RegisterSerializer(serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]{3,150}$",
        error_messages={"invalid": _("3–150 letters, digits or @ . + - _ characters.")},
    )
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    email = serializers.EmailField()
    organization = OrganizationInputSerializer()


class RegisteredSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["username", "organization"]


class MeSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True, allow_null=True)  # staff have none
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)
    market = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "email", "organization", "roles", "market"]

    def get_market(self, user: User) -> str | None:
        if user.staff_market_id:
            return user.staff_market.code
        if user.organization_id:
            return user.organization.market.code
        return None
