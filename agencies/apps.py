from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Technology transfer agencies")

    def ready(self):
        from accounts.permissions import is_central
        from agencies.models import EvaluationRound
        from publicity.subjects import Subject, register_subject

        register_subject(
            Subject(
                name="evaluation_round",
                model=EvaluationRound,
                watchers=lambda round_: [],
                decides=lambda user, round_: is_central(user),
            )
        )

        from agencies import selectors as _selectors
        from portal.core import registry as _registry

        _registry.add_review_section(
            _registry.Section(
                "agency_filings",
                _("Agency filings to accept"),
                "portal/_registry_queue.html",
                _selectors.filings_to_accept,
                order=98,
                queued_at="created_at",
                organization="organization",
                title="organization__name",
            )
        )
