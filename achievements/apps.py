from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    name = "achievements"
    verbose_name = _("Achievements")

    def ready(self):
        from achievements import selectors
        from achievements.filters import AchievementFilter
        from achievements.models import Achievement
        from achievements.permissions import can_create
        from portal.core import registry
        from portal.library.selectors import items_published
        from portal.library.services import item_reindex

        registry.register(
            registry.Library(
                name="achievements",
                model=Achievement,
                visible=selectors.achievements_visible_to,
                published=lambda: items_published(Achievement),
                filterset=AchievementFilter,
                list_url="achievements:list",
                mine=selectors.achievements_of_organization,
                review_queue=selectors.achievements_to_review,
                index=item_reindex,
                matching="supply",
                subscribable=True,
                cached=True,
                order=10,
            )
        )
        registry.add_card(
            registry.Card(
                "achievements",
                _("Achievements"),
                _("Technologies ready to transfer, license, invest or co-develop."),
                "achievements:list",
                order=10,
            )
        )
        registry.add_home_section(
            registry.Section(
                key="achievements",
                heading=_("Newest achievements"),
                template="achievements/_home.html",
                items=lambda user: items_published(Achievement).order_by("-published_at")[:6],
                order=10,
                extra={"list_url": "achievements:list"},
            )
        )
        registry.add_tasks(selectors.workspace_tasks)
        registry.add_menu_item(
            registry.MenuItem(
                "mine",
                "achievements",
                _("My achievements"),
                "achievements:mine",
                can_create,
                order=10,
            )
        )
