"""/api/v1/brokers/: the public broker registry (API.md, "Brokers ...")."""

from rest_framework import mixins, permissions, viewsets

from brokers import selectors
from brokers.serializers import BrokerSerializer


class BrokerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BrokerSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        params = self.request.query_params
        return selectors.registry(
            query=params.get("q", "")[:100],
            level=params.get("level", "")[:20],
            market=params.get("market", "")[:20],
        )
