from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from demands import selectors, services
from demands.filters import DemandFilter
from demands.serializers import DemandSerializer
from portal.library.apis import LibraryViewSet


class DemandViewSet(LibraryViewSet):
    serializer_class = DemandSerializer
    filterset_class = DemandFilter
    ordering_fields = ["published_at", "created_at", "deadline", "budget_max", "title"]

    visible = staticmethod(selectors.demands_visible_to)

    services = services.SERVICES

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._act("close")
