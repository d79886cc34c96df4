from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "market"
    verbose_name = _("Technology market")

    def ready(self):
        from accounts.permissions import in_scope, is_member_of_any, is_staff
        from accounts.selectors import people_of
        from market import permissions, selectors
        from market.models import Auction, Listing
        from market.services import deals
        from portal.core import registry
        from publicity.subjects import Subject, register_subject

        register_subject(
            Subject(
                name="listing",
                model=Listing,
                watchers=lambda listing: people_of(listing.holder_id),
                decides=lambda user, listing: in_scope(user, listing.holder.market_id),
                decided=deals.objection_decided,
            )
        )
        register_subject(
            Subject(
                name="auction",
                model=Auction,
                watchers=lambda lot: people_of(lot.seller_id),
                decides=lambda user, lot: in_scope(user, lot.seller.market_id),
                decided=deals.objection_decided,
            )
        )
        registry.add_guard("contracts.contract.submit", deals.contract_guard)
        registry.add_guard("contracts.contract.register", deals.contract_guard)
        registry.add_follower("contracts.contract.registered", deals.contract_registered)
        registry.add_tasks(selectors.workspace_tasks)
        registry.add_card(
            registry.Card(
                "market",
                _("Technology market"),
                _("Listings with public notice and online auctions (鄂来拍)."),
                "market:hall",
                order=70,
            )
        )
        item = registry.MenuItem
        registry.add_menu_item(
            item("mine", "market", _("My market"), "market:mine", is_member_of_any, order=45)
        )
        registry.add_menu_item(
            item("workbench", "market", _("Market work"), "market:staff", is_staff, order=45)
        )
        registry.add_menu_item(
            item(
                "workbench",
                "refunds",
                _("Deposits to refund"),
                "market:refunds",
                is_staff,
                order=46,
            )
        )
        registry.add_menu_item(
            item(
                "workbench",
                "market-rules",
                _("Market rules"),
                "market:rules",
                permissions.may_edit_rules,
                order=47,
            )
        )
        registry.add_menu_item(
            item(
                "workbench",
                "calendar",
                _("Working-day calendar"),
                "market:calendar",
                permissions.may_edit_calendar,
                order=48,
            )
        )
        registry.add_review_section(
            registry.Section(
                "market-listings",
                _("Listings to review"),
                "market/_queue.html",
                lambda user: selectors.to_review(user)["listings"],
                order=90,
                queued_at="updated_at",
                organization="holder",
                title="achievement__title",
            )
        )
        registry.add_review_section(
            registry.Section(
                "market-lots",
                _("Auction lots to review"),
                "market/_queue.html",
                lambda user: selectors.to_review(user)["lots"],
                order=91,
                queued_at="updated_at",
                organization="seller",
                title="achievement__title",
            )
        )
