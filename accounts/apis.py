from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.models import Organization, User
from accounts.serializers import (
    MeSerializer,
    OrganizationSerializer,
    RegisteredSerializer,
    RegisterSerializer,
)


class RegisterApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=RegisterSerializer, responses={201: RegisteredSerializer})
    def post(self, request):
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data)
        return Response(RegisteredSerializer(user).data, status=status.HTTP_201_CREATED)


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

    def get_queryset(self):
        return selectors.organizations_visible_to(self.request.user).order_by("name", "id")


class OrganizationDetailApi(generics.RetrieveAPIView):
    serializer_class = OrganizationSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.organizations_visible_to(self.request.user)


class OrganizationVerifyApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=OrganizationSerializer)
    def post(self, request, pk: int):
        org = get_object_or_404(selectors.organizations_visible_to(request.user), pk=pk)
        org = services.organization_verify(organization=org, by=request.user)
        return Response(OrganizationSerializer(org).data)
