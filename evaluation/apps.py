from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation tools and methods")

    def ready(self):
        from evaluation import panels
        from portal.core import registry

        registry.add_card(
            registry.Card(
                "evaluation",
                _("Evaluation tools and methods"),
                _("Technology readiness self-assessment and valuation calculators."),
                "evaluation:catalogue",
                order=50,
            )
        )
        registry.add_panel(
            "achievements",
            registry.Panel("evaluation/_reports.html", panels.reports, order=30),
        )
