from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The core: errors, audit, money, notifications, reference data, the
    transition machinery, the library registry, API conventions. It never
    imports an app. Its tables keep the label they were made with."""

    name = "portal.core"
    label = "portal"
    verbose_name = _("Portal")
