from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from achievements import selectors, services
from achievements.filters import AchievementFilter
from achievements.serializers import AchievementSerializer
from portal.library.apis import LibraryViewSet


class AchievementViewSet(LibraryViewSet):
    serializer_class = AchievementSerializer
    filterset_class = AchievementFilter
    ordering_fields = ["published_at", "created_at", "asking_price", "trl", "title"]

    visible = staticmethod(selectors.achievements_visible_to)

    services = services.SERVICES

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act("withdraw")
