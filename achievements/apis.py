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

    @staticmethod
    def create_service(*, by, data):
        return services.achievement_create(by=by, data=data)

    @staticmethod
    def update_service(item, *, by, data):
        return services.achievement_update(achievement=item, by=by, data=data)

    @staticmethod
    def delete_service(item, *, by):
        services.achievement_delete(achievement=item, by=by)

    @staticmethod
    def submit_service(item, *, by):
        return services.achievement_submit(achievement=item, by=by)

    @staticmethod
    def approve_service(item, *, by):
        return services.achievement_approve(achievement=item, by=by)

    @staticmethod
    def reject_service(item, *, by, reason):
        return services.achievement_reject(achievement=item, by=by, reason=reason)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(lambda item, by: services.achievement_withdraw(achievement=item, by=by))
