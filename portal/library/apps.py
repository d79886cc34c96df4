from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """The library kernel: what every library shares (the item model, its
    lifecycle services, search, pages and API), above accounts and below the
    libraries."""

    name = "portal.library"
    label = "library"
    verbose_name = _("Libraries")

    def ready(self):
        from portal.core import registry
        from portal.library.selectors import search_engine_tasks

        registry.add_tasks(search_engine_tasks)
