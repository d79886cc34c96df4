from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import permissions, serializers, viewsets

from cases import selectors
from cases.filters import CaseFilter
from cases.models import Case


class CaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", *Case.WRITTEN, "achievement", "contract", "status", "published_at"]


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Published cases (staff also see drafts); search with `q`, filter `tech_field`."""

    serializer_class = CaseSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter
    rate_limit_scope = "search"

    @staticmethod
    def rate_limit_applies(request) -> bool:
        return bool(request.query_params.get("q"))

    def get_queryset(self):
        return selectors.cases_visible_to(self.request.user).order_by("-published_at", "-id")
