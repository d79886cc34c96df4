from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    name = "achievements"
    verbose_name = _("Achievements")

    def ready(self):
        from achievements.apis import AchievementViewSet
        from achievements.filters import AchievementFilter
        from achievements.models import Achievement
        from achievements.permissions import can_create
        from achievements.selectors import workspace_tasks
        from portal.core.registry import Section
        from portal.library.registration import newest, register_item_library

        register_item_library(
            Achievement,
            filterset=AchievementFilter,
            title=_("Achievements"),
            description=_("Technologies ready to transfer, license, invest or co-develop."),
            order=10,
            can_create=can_create,
            menu_label=_("My achievements"),
            menu_order=10,
            tasks=workspace_tasks,
            viewset=AchievementViewSet,
            matching="supply",
            home=Section(
                key="achievements",
                heading=_("Newest achievements"),
                template="achievements/_home.html",
                items=newest(Achievement, count=6),
                order=10,
                extra={"list_url": "achievements:list"},
            ),
        )
