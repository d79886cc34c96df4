from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self):
        from accounts.permissions import is_member_of_any, is_staff
        from inquiries import panels, selectors
        from inquiries.models import Inquiry
        from portal.core import registry

        registry.add_visible(Inquiry, selectors.inquiries_visible_to)
        for library in ("achievements", "demands", "scenarios", "experts"):
            registry.add_panel(
                library, registry.Panel("inquiries/_panel.html", panels.inquire, order=5)
            )
        registry.add_tasks(selectors.workspace_tasks)
        item = registry.MenuItem
        registry.add_menu_item(
            item("mine", "inquiries", _("Inquiries"), "inquiries:list", is_member_of_any, order=40)
        )
        registry.add_menu_item(
            item(
                "workbench",
                "inquiries",
                _("Inquiries without a reply"),
                "inquiries:staff",
                is_staff,
                order=44,
            )
        )
