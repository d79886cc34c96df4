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

    @staticmethod
    def create_service(*, by, data):
        return services.demand_create(by=by, data=data)

    @staticmethod
    def update_service(item, *, by, data):
        return services.demand_update(demand=item, by=by, data=data)

    @staticmethod
    def delete_service(item, *, by):
        services.demand_delete(demand=item, by=by)

    @staticmethod
    def submit_service(item, *, by):
        return services.demand_submit(demand=item, by=by)

    @staticmethod
    def approve_service(item, *, by):
        return services.demand_approve(demand=item, by=by)

    @staticmethod
    def reject_service(item, *, by, reason):
        return services.demand_reject(demand=item, by=by, reason=reason)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._act(lambda item, by: services.demand_close(demand=item, by=by))
