from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from accounts import selectors, signals  # noqa: F401  (signals: their receivers)
        from portal.core import registry

        registry.add_tasks(selectors.workspace_tasks)
