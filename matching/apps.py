from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        from accounts.permissions import is_member_of_any
        from matching import panels, selectors
        from matching.permissions import can_use_board
        from portal.core import registry
        from portal.core.workflow import status_changed

        status_changed.connect(publication_changed, dispatch_uid="matching.publication")
        registry.add_panel(
            "achievements",
            registry.Panel("matching/_recommendations.html", panels.recommendations("achievement")),
        )
        registry.add_panel(
            "demands",
            registry.Panel("matching/_recommendations.html", panels.recommendations("demand")),
        )
        registry.add_tasks(selectors.workspace_tasks)
        registry.add_menu_item(
            registry.MenuItem(
                "mine",
                "recommendations",
                _("My recommendations"),
                "matching:mine",
                is_member_of_any,
                order=40,
            )
        )
        registry.add_menu_item(
            registry.MenuItem(
                "workbench", "matching", _("Matching"), "matching:board", can_use_board, order=60
            )
        )


def publication_changed(sender, item, previous: str, status: str, **kwargs) -> None:
    """Embed and match an item once it is published; take it out of every list
    when it leaves. Only libraries registered with a matching side take part."""
    from matching.tasks import embed_item_task
    from portal.core import registry

    library = registry.library_of(sender)
    if library is None or library.matching is None:
        return
    if sender.PUBLISHED not in (previous, status):
        return
    side = "demand" if library.matching == "demand" else "achievement"
    embed_item_task.delay(side, item.pk)  # then matched, with or without a vector
