from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "demands"
    verbose_name = _("Technical demands")

    def ready(self):
        from demands import selectors
        from demands.filters import DemandFilter
        from demands.models import Demand
        from demands.permissions import can_create
        from portal.core import registry
        from portal.library.selectors import items_published
        from portal.library.services import item_reindex

        registry.register(
            registry.Library(
                name="demands",
                model=Demand,
                visible=selectors.demands_visible_to,
                published=lambda: items_published(Demand),
                filterset=DemandFilter,
                list_url="demands:list",
                mine=selectors.demands_of_organization,
                review_queue=selectors.demands_to_review,
                index=item_reindex,
                matching="demand",
                subscribable=True,
                cached=True,
                order=20,
            )
        )
        registry.add_card(
            registry.Card(
                "demands",
                _("Technical demands"),
                _("Enterprises' technical problems and what they would pay."),
                "demands:list",
                order=20,
            )
        )
        registry.add_home_section(
            registry.Section(
                key="demands",
                heading=_("Newest demands"),
                template="demands/_home.html",
                items=lambda user: items_published(Demand).order_by("-published_at")[:6],
                order=20,
                extra={"list_url": "demands:list"},
            )
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
        registry.add_tasks(selectors.workspace_tasks)
        registry.add_menu_item(
            registry.MenuItem(
                "mine", "demands", _("My demands"), "demands:mine", can_create, order=20
            )
        )
