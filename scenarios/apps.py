from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScenariosConfig(AppConfig):
    name = "scenarios"
    verbose_name = _("Application scenarios")

    def ready(self):
        from portal.core.registry import Section
        from portal.library.registration import newest, register_item_library
        from scenarios.apis import ScenarioViewSet
        from scenarios.filters import ScenarioFilter
        from scenarios.models import Scenario
        from scenarios.permissions import can_create
        from scenarios.selectors import workspace_tasks

        register_item_library(
            Scenario,
            filterset=ScenarioFilter,
            title=_("Application scenarios"),
            description=_("Places where a new technology can be piloted, open for proposals."),
            order=60,
            can_create=can_create,
            menu_label=_("My scenarios"),
            menu_order=30,
            tasks=workspace_tasks,
            viewset=ScenarioViewSet,
            home=Section(
                key="scenarios",
                heading=_("Scenario calls"),
                template="scenarios/_home.html",
                items=newest(Scenario, count=4, order_by="deadline"),
                order=40,
                extra={"list_url": "scenarios:list"},
            ),
        )
