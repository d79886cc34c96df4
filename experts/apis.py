from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, viewsets

from experts import selectors
from experts.models import Expert


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
        return expert.contact if selectors.may_see_contact(user, expert) else None


class ExpertViewSet(viewsets.ReadOnlyModelViewSet):
    """The experts library: search with `q`, `tech_field`, `industry`, `available`."""

    serializer_class = ExpertSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends = []
    rate_limit_scope = "search"

    @staticmethod
    def rate_limit_applies(request) -> bool:
        return bool(request.query_params.get("q"))

    def get_queryset(self):
        params = self.request.query_params
        available = {"true": True, "1": True, "false": False, "0": False}.get(
            params.get("available", "")
        )
        return selectors.experts_search(
            q=params.get("q", ""),
            tech_field=params.get("tech_field", ""),
            industry=params.get("industry", ""),
            available=available,
        )
