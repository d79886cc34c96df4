from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Membership, Organization, User


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
    """The new account, the organisation it created or asked to join, and its
    membership. An unverified organisation's name is never shown to someone
    who is not (yet) its member: typing a credit code reveals nothing."""

    organization = serializers.SerializerMethodField()
    membership = serializers.CharField(source="membership.status", read_only=True)

    class Meta:
        model = User
        fields = ["username", "organization", "membership"]

    @extend_schema_field(OrganizationSerializer)
    def get_organization(self, user: User) -> dict:
        org = user.membership.organization
        data = OrganizationSerializer(org).data
        if not org.verified and user.membership.status != Membership.Status.ACTIVE:
            data["name"] = ""
        return data


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        help_text="The authenticator's current code, or a recovery code, for an account "
        "with two-step sign-in.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "username", "email", "status", "role", "created_at", "decided_at"]
        read_only_fields = fields


class MembershipApproveSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.MEMBER)


class MeSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True, allow_null=True)  # staff have none
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)
    market = serializers.SerializerMethodField()
    membership = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "email", "organization", "roles", "market", "membership"]

    @extend_schema_field(
        serializers.DictField(allow_null=True, help_text='{"status", "role", "organization"}')
    )
    def get_membership(self, user: User) -> dict | None:
        """The account's membership asked for or held; a pending request names
        a verified organisation only."""
        membership = (
            user.memberships.filter(status__in=Membership.LIVE)
            .select_related("organization")
            .first()
        )
        if membership is None:
            return None
        org = membership.organization
        return {
            "status": membership.status,
            "role": membership.role,
            "organization": org.pk,
            "organization_name": org.name
            if org.verified or membership.status == Membership.Status.ACTIVE
            else "",
        }

    def get_market(self, user: User) -> str | None:
        if user.staff_market_id:
            return user.staff_market.code
        if user.organization_id:
            return user.organization.market.code
        return None
