from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("Public credit")

    def ready(self):
        from credit import selectors
        from credit.models import Complaint
        from portal.core import registry

        registry.add_review_section(
            registry.Section(
                "complaints",
                _("Complaints to decide"),
                "credit/_queue.html",
                selectors.complaints_to_decide,
                order=97,
                queued_at="created_at",
                organization="organization",
                title="facts",
            )
        )
        registry.add_visible(Complaint, selectors.complaints_visible_to)
