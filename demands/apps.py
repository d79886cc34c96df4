from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "demands"
    verbose_name = _("Technical demands")

    def ready(self):
        from demands.apis import DemandViewSet
        from demands.filters import DemandFilter
        from demands.models import Demand
        from demands.permissions import can_create
        from demands.selectors import workspace_tasks
        from portal.core import registry
        from portal.library.registration import newest, register_item_library
        from portal.library.selectors import items_published

        register_item_library(
            Demand,
            filterset=DemandFilter,
            title=_("Technical demands"),
            description=_("Enterprises' technical problems and what they would pay."),
            order=20,
            can_create=can_create,
            menu_label=_("My demands"),
            menu_order=20,
            tasks=workspace_tasks,
            viewset=DemandViewSet,
            matching="demand",
            home=registry.Section(
                key="demands",
                heading=_("Newest demands"),
                template="demands/_home.html",
                items=newest(Demand, count=6),
                order=20,
                extra={"list_url": "demands:list"},
            ),
        )
        registry.add_home_section(
            registry.Section(
                key="challenges",
                heading=_("Open challenges (揭榜挂帅)"),
                template="demands/_home_challenges.html",
                items=lambda user: (
                    items_published(Demand).filter(is_challenge=True).order_by("deadline")[:4]
                ),
                order=30,
            )
        )
