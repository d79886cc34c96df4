from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "demands"
    verbose_name = _("Technical demands")

    def ready(self):
        from demands.models import Demand
        from demands.selectors import demands_visible_to
        from portal.core.registry import register_visibility

        register_visibility(Demand, demands_visible_to)
