from rest_framework import permissions, serializers, viewsets

from cases import selectors
from cases.models import Case


class CaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = [
            "id",
            "title",
            "summary",
            "body",
            "tech_field",
            "industries",
            "region_code",
            "achievement",
            "contract",
            "contract_amount",
            "new_revenue",
            "jobs",
            "status",
            "published_at",
        ]


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Published cases (staff also see drafts); search with `q`, filter `tech_field`."""

    serializer_class = CaseSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends = []
    rate_limit_scope = "search"

    @staticmethod
    def rate_limit_applies(request) -> bool:
        return bool(request.query_params.get("q"))

    def get_queryset(self):
        params = self.request.query_params
        return selectors.cases_search(
            self.request.user, q=params.get("q", ""), tech_field=params.get("tech_field", "")
        )
