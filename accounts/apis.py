from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services, two_factor
from accounts.models import Membership, Organization, User
from accounts.permissions import may_admit
from accounts.serializers import (
    MembershipApproveSerializer,
    MembershipSerializer,
    MeSerializer,
    OrganizationSerializer,
    RegisteredSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from accounts.tokens import token_issue
from portal.core import ratelimit
from portal.core.api import ReasonSerializer
from portal.core.audit import client_ip


class TokenApi(APIView):
    """Sign in for an API token: the password, and the authenticator's code
    (`otp`) for an account with two-step sign-in. Audited, counted towards
    the lockout and reset by a success exactly like the sign-in page; each
    sign-in replaces the account's earlier tokens."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer)
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        http = request._request
        ratelimit.check(http, "token", subject=data["username"])
        user = authenticate(http, username=data["username"], password=data["password"])
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to sign in with these credentials.")]}
            )
        if two_factor.missing_but_required(user):
            raise serializers.ValidationError(
                {
                    "otp": [
                        _(
                            "This account must use two-step sign-in: turn it on in the "
                            "portal first (账户 → 两步登录)."
                        )
                    ]
                }
            )
        if two_factor.confirmed_device(user) is not None:
            code = data.get("otp") or ""
            if not code:
                raise serializers.ValidationError(
                    {"otp": [_("This account uses two-step sign-in: send the current code.")]}
                )
            if two_factor.verify(user, code) is None:
                # A wrong second factor is a failed sign-in: counted and audited.
                user_login_failed.send(
                    sender=__name__, credentials={"username": data["username"]}, request=http
                )
                raise serializers.ValidationError(
                    {"otp": [_("The code is wrong or has expired; try the current one.")]}
                )
        user.signed_in_via = "token"
        user_logged_in.send(sender=user.__class__, request=http, user=user)
        token, key = token_issue(user=user, ip=client_ip(http))
        return Response(TokenSerializer({"token": key, "expires_at": token.expires_at}).data)


class RegisterApi(APIView):
    permission_classes = [permissions.AllowAny]
    rate_limit_scope = "register"

    @extend_schema(request=RegisterSerializer, responses={201: RegisteredSerializer})
    def post(self, request):
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data)
        return Response(
            RegisteredSerializer(user, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class MeApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = User.objects.select_related("organization__market", "staff_market").get(
            pk=request.user.pk
        )
        return Response(MeSerializer(user).data)


class OrganizationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Organization.Kind.choices)
    region_code = filters.CharFilter(field_name="region_code", lookup_expr="startswith")
    market = filters.CharFilter(field_name="market__code")

    class Meta:
        model = Organization
        fields = ["kind", "region_code", "market", "verified"]


class OrganizationListApi(generics.ListAPIView):
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    ordering_fields = ["name", "created_at"]
    permission_classes = [permissions.AllowAny]
    rate_limit_scope = "lookup"

    def get_queryset(self):
        return selectors.organizations_visible_to(self.request.user).order_by("name", "id")


class OrganizationDetailApi(generics.RetrieveAPIView):
    serializer_class = OrganizationSerializer
    permission_classes = [permissions.AllowAny]
    rate_limit_scope = "lookup"

    def get_queryset(self):
        return selectors.organizations_visible_to(self.request.user)


class OrganizationVerifyApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=OrganizationSerializer)
    def post(self, request, pk: int):
        org = get_object_or_404(selectors.organizations_visible_to(request.user), pk=pk)
        org = services.organization_verify(organization=org, by=request.user)
        return Response(OrganizationSerializer(org).data)


def _organization_for_admitter(request, pk: int) -> Organization:
    """The organisation, if this account may manage its members; else a 404."""
    org = get_object_or_404(Organization.objects.select_related("market"), pk=pk)
    if not may_admit(request.user, org):
        raise Http404
    return org


class MemberListApi(generics.ListAPIView):
    """The organisation's members and requests to join (its administrators, staff in scope)."""

    serializer_class = MembershipSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["status", "role"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Membership.objects.none()
        org = _organization_for_admitter(self.request, self.kwargs["pk"])
        return selectors.memberships_of(org)


class MemberActionApi(APIView):
    """One decision on one account's membership of an organisation: a subclass
    names its body and the service it calls."""

    permission_classes = [permissions.IsAuthenticated]
    body = ReasonSerializer

    def act(self, membership: Membership, by, data: dict) -> Membership:
        raise NotImplementedError

    def post(self, request, pk: int, user_id: int):
        org = _organization_for_admitter(request, pk)
        # The account's latest membership of it; a wrong status is a 409.
        membership = selectors.memberships_of(org).filter(user_id=user_id).order_by("-id").first()
        if membership is None:
            raise Http404
        body = self.body(data=request.data)
        body.is_valid(raise_exception=True)
        membership = self.act(membership, request.user, body.validated_data)
        return Response(MembershipSerializer(membership).data)


@extend_schema(request=MembershipApproveSerializer, responses=MembershipSerializer)
class MemberApproveApi(MemberActionApi):
    body = MembershipApproveSerializer

    def act(self, membership, by, data):
        return services.membership_approve(membership=membership, by=by, role=data["role"])


@extend_schema(request=ReasonSerializer, responses=MembershipSerializer)
class MemberRefuseApi(MemberActionApi):
    def act(self, membership, by, data):
        return services.membership_refuse(membership=membership, by=by, reason=data["reason"])


@extend_schema(request=ReasonSerializer, responses=MembershipSerializer)
class MemberRemoveApi(MemberActionApi):
    def act(self, membership, by, data):
        return services.membership_remove(membership=membership, by=by, reason=data["reason"])


@extend_schema(request=MembershipApproveSerializer, responses=MembershipSerializer)
class MemberRoleApi(MemberActionApi):
    body = MembershipApproveSerializer

    def act(self, membership, by, data):
        return services.membership_set_role(membership=membership, by=by, role=data["role"])
