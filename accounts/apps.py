from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from accounts import selectors, signals  # noqa: F401  (signals: their receivers)
        from accounts.permissions import is_org_admin, is_staff
        from portal.core import registry

        registry.add_tasks(selectors.workspace_tasks)
        member = registry.MenuItem
        registry.add_menu_item(
            member("mine", "members", _("Members"), "accounts:members", is_org_admin, order=45)
        )
        registry.add_menu_item(
            member(
                "workbench",
                "verify",
                _("Verify organisations"),
                "accounts:verify_queue",
                is_staff,
                order=20,
            )
        )
        registry.add_menu_item(
            member(
                "workbench",
                "requests",
                _("Requests to join"),
                "accounts:membership_requests",
                is_staff,
                order=30,
            )
        )
