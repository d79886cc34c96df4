from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Open challenges")

    def ready(self):
        from challenges import selectors, services
        from challenges.models import Challenge
        from portal.core import registry
        from portal.core.workflow import status_changed

        status_changed.connect(demand_published, dispatch_uid="challenges.from_demand")
        registry.add_visible(Challenge, selectors.challenges_visible_to)
        # The agreement is a technology contract registered through the contracts flow.
        registry.add_guard("contracts.contract.submit", services.agreement_guard)
        registry.add_guard("contracts.contract.register", services.agreement_guard)
        registry.add_follower("contracts.contract.registered", services.agreement_registered)
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


def demand_published(sender, item, previous: str, status: str, **kwargs) -> None:
    """A demand flagged 揭榜挂帅 that is published becomes a draft challenge."""
    from challenges.services import challenge_from_demand
    from demands.models import Demand

    if sender is Demand and status == Demand.Status.PUBLISHED and item.is_challenge:
        challenge_from_demand(demand=item)
