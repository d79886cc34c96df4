from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    name = "achievements"
    verbose_name = _("Achievements")

    def ready(self):
        from achievements.models import Achievement
        from achievements.selectors import achievements_visible_to
        from portal.core.registry import register_visibility

        register_visibility(Achievement, achievements_visible_to)
