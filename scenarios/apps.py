from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScenariosConfig(AppConfig):
    name = "scenarios"
    verbose_name = _("Application scenarios")

    def ready(self):
        from portal.core.registry import register_visibility
        from scenarios.models import Scenario
        from scenarios.selectors import scenarios_visible_to

        register_visibility(Scenario, scenarios_visible_to)
