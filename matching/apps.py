from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        from portal.core.workflow import PUBLICATION_HOOKS

        PUBLICATION_HOOKS.append(publication_changed)


def publication_changed(item, previous: str, status: str) -> None:
    """Match an item once it is published; take it out of every list when it leaves."""
    from matching.tasks import match_item_task

    side = "demand" if item._meta.model_name == "demand" else "achievement"
    match_item_task.delay(side, item.pk)
