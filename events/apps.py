from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Matching events and investment")

    def ready(self):
        from accounts.permissions import is_member_of_any
        from events import selectors
        from events.models import MatchingEvent
        from portal.core import registry

        registry.add_visible(MatchingEvent, selectors.events_visible_to)
        registry.add_tasks(selectors.workspace_tasks)
        item = registry.MenuItem
        registry.add_menu_item(
            item(
                "mine",
                "investment",
                _("Financing projects"),
                "events:projects",
                is_member_of_any,
                order=45,
            )
        )
