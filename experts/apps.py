from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Experts")

    def ready(self):
        from experts import panels, selectors, services
        from experts.apis import ExpertViewSet
        from experts.filters import ExpertFilter
        from experts.models import Expert
        from experts.permissions import is_expert
        from portal.core import registry

        registry.register(
            registry.Library(
                name="experts",
                model=Expert,
                visible=lambda user: Expert.objects.select_related("organization"),
                published=lambda: Expert.objects.select_related("organization"),
                filterset=ExpertFilter,
                list_url="experts:list",
                urls="experts.urls",
                viewset=ExpertViewSet,
                index=services.expert_reindex,
                title=_("Experts"),
                description=_("People who evaluate achievements and advise on demands."),
                order=30,
            )
        )
        registry.add_panel(
            "achievements", registry.Panel("experts/_reviews.html", panels.reviews, order=20)
        )
        registry.add_tasks(selectors.workspace_tasks)
        registry.add_menu_item(
            registry.MenuItem(
                "mine", "reviews", _("My reviews"), "experts:assignments", is_expert, order=5
            )
        )
