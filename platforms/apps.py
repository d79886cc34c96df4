from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = _("Pilot bases and concept-verification centres")

    def ready(self):
        from accounts.permissions import is_central
        from accounts.selectors import people_of
        from platforms.models import Platform
        from publicity.subjects import Subject, register_subject

        register_subject(
            Subject(
                name="platform",
                model=Platform,
                watchers=lambda platform: people_of(platform.host_id),
                decides=lambda user, platform: is_central(user),
            )
        )

        from platforms import selectors as _selectors
        from portal.core import registry as _registry

        _registry.add_review_section(
            _registry.Section(
                "platforms",
                _("Pilot platforms to review"),
                "portal/_registry_queue.html",
                _selectors.platforms_to_review,
                order=99,
                queued_at="updated_at",
                organization="host",
                title="name",
            )
        )
