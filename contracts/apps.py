from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts and subsidies")

    def ready(self):
        from contracts import selectors
        from portal.core import registry

        registry.provide("comparable_amounts", selectors.comparable_amounts)
        registry.add_tasks(selectors.workspace_tasks)
        for order, (key, heading, template, items) in enumerate(
            (
                (
                    "contracts",
                    _("Contracts to register"),
                    "contracts/_queue_contracts.html",
                    selectors.contracts_to_register,
                ),
                (
                    "payments",
                    _("Payments to verify"),
                    "contracts/_queue_payments.html",
                    selectors.payments_to_verify,
                ),
                (
                    "subsidies",
                    _("Subsidy applications to review"),
                    "contracts/_queue_subsidies.html",
                    selectors.subsidies_to_review,
                ),
            ),
            start=100,
        ):
            registry.add_review_section(registry.Section(key, heading, template, items, order))
