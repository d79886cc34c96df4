from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrokersConfig(AppConfig):
    name = "brokers"
    verbose_name = _("Technology broker registry")

    def ready(self):
        from brokers import selectors
        from portal.core import registry

        registry.add_review_section(
            registry.Section(
                "brokers",
                _("Brokers to register"),
                "portal/_registry_queue.html",
                selectors.brokers_to_register,
                order=101,
                queued_at="updated_at",
                organization="user__organization",
                title="real_name",
            )
        )
