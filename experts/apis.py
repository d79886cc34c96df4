from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, viewsets

from experts.filters import ExpertFilter
from experts.models import Expert
from experts.permissions import may_see_contact


class ExpertSerializer(serializers.ModelSerializer):
    affiliation = serializers.CharField(source="organization.name", default=None, read_only=True)
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Expert
        fields = [
            "id",
            "name",
            "affiliation",
            "title",
            "tech_fields",
            "industries",
            "keywords",
            "bio",
            "available",
            "contact",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_contact(self, expert: Expert):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return expert.contact if may_see_contact(user, expert) else None


class ExpertViewSet(viewsets.ReadOnlyModelViewSet):
    """The experts library: search with `q`, `tech_field`, `industry`, `available`."""

    serializer_class = ExpertSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ExpertFilter
    rate_limit_scope = "search"

    @staticmethod
    def rate_limit_applies(request) -> bool:
        return bool(request.query_params.get("q"))

    def get_queryset(self):
        return Expert.objects.select_related("organization").order_by("name", "id")
