from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Open challenges")

    def ready(self):
        from challenges import selectors
        from challenges.models import Challenge
        from portal.core import registry

        registry.add_visible(Challenge, selectors.challenges_visible_to)
        registry.add_review_section(
            registry.Section(
                "challenges",
                _("Challenges to review"),
                "challenges/_queue.html",
                selectors.challenges_to_review,
                order=95,
                queued_at="updated_at",
                organization="issuer",
                title="title",
            )
        )
