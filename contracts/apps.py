from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts and subsidies")

    def ready(self):
        from accounts.permissions import is_broker, is_member_of_any, is_staff
        from contracts import permissions, selectors
        from portal.core import registry

        registry.provide("comparable_amounts", selectors.comparable_amounts)
        from contracts.models import SubsidyApplication

        # An application's documents are read by whoever may read the application.
        registry.add_visible(SubsidyApplication, selectors.subsidies_visible_to)
        registry.add_tasks(selectors.workspace_tasks)
        item = registry.MenuItem
        registry.add_menu_item(
            item(
                "mine",
                "contracts",
                _("Technology contracts"),
                "contracts:list",
                is_member_of_any,
                order=50,
            )
        )
        registry.add_menu_item(
            item(
                "mine",
                "subsidies",
                _("Subsidy applications"),
                "contracts:subsidies",
                permissions.may_apply,
                order=60,
            )
        )
        registry.add_menu_item(
            item(
                "workbench",
                "subsidies",
                _("Subsidy applications"),
                "contracts:subsidies",
                is_staff,
                order=40,
            )
        )
        registry.add_menu_item(
            item(
                "workbench",
                "contracts",
                _("Technology contracts"),
                "contracts:list",
                lambda user: is_staff(user) or is_broker(user),
                order=50,
            )
        )
        for section in (
            registry.Section(
                "contracts",
                _("Contracts to register"),
                "contracts/_queue_contracts.html",
                selectors.contracts_to_register,
                order=100,
                queued_at="submitted_at",
                organization="seller",
                title="title",
                market="market",
            ),
            registry.Section(
                "payments",
                _("Payments to verify"),
                "contracts/_queue_payments.html",
                selectors.payments_to_verify,
                order=101,
                queued_at="created_at",
                organization="contract__buyer",
                title="contract__title",
                market="contract__market",
            ),
            registry.Section(
                "subsidies",
                _("Subsidy applications to review"),
                "contracts/_queue_subsidies.html",
                selectors.subsidies_to_review,
                order=102,
                queued_at="submitted_at",
                organization="organization",
                title="program__name",
            ),
        ):
            registry.add_review_section(section)
