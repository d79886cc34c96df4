from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScenariosConfig(AppConfig):
    name = "scenarios"
    verbose_name = _("Application scenarios")

    def ready(self):
        from portal.core import registry
        from portal.library.selectors import items_published
        from portal.library.services import item_reindex
        from scenarios import selectors
        from scenarios.filters import ScenarioFilter
        from scenarios.models import Scenario
        from scenarios.permissions import can_create

        registry.register(
            registry.Library(
                name="scenarios",
                model=Scenario,
                visible=selectors.scenarios_visible_to,
                published=lambda: items_published(Scenario),
                filterset=ScenarioFilter,
                list_url="scenarios:list",
                mine=selectors.scenarios_of_organization,
                review_queue=selectors.scenarios_to_review,
                index=item_reindex,
                subscribable=True,
                cached=True,
                order=60,
            )
        )
        registry.add_card(
            registry.Card(
                "scenarios",
                _("Application scenarios"),
                _("Places where a new technology can be piloted, open for proposals."),
                "scenarios:list",
                order=60,
            )
        )
        registry.add_home_section(
            registry.Section(
                key="scenarios",
                heading=_("Scenario calls"),
                template="scenarios/_home.html",
                items=lambda user: items_published(Scenario).order_by("deadline")[:4],
                order=40,
                extra={"list_url": "scenarios:list"},
            )
        )
        registry.add_tasks(selectors.workspace_tasks)
        registry.add_menu_item(
            registry.MenuItem(
                "mine", "scenarios", _("My scenarios"), "scenarios:mine", can_create, order=30
            )
        )
