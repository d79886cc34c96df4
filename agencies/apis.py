"""/api/v1/agencies/: the public registry of transfer agencies."""

from rest_framework import mixins, permissions, viewsets

from agencies import selectors
from agencies.serializers import AgencySerializer


class AgencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AgencySerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        params = self.request.query_params
        return selectors.registry(
            query=params.get("q", "")[:100], level=params.get("level", "")[:20]
        )
