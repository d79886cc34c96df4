from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The site layer: it composes the apps (root URLs, home, the search across
    libraries, workspace, dashboards, monitoring, saved searches, site-wide
    jobs). Nothing imports it."""

    name = "portal.site"
    label = "site"
    verbose_name = _("Site")

    def ready(self):
        from accounts.permissions import is_staff
        from portal.core import registry
        from portal.site.selectors import unread_notifications

        # Last in the workspace: everyone's unread notifications.
        registry.add_tasks(unread_notifications)
        registry.add_menu_item(
            registry.MenuItem(
                "workbench", "review", _("Review queue"), "review", is_staff, order=10
            )
        )
