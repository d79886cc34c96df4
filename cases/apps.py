from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from cases import selectors, services
        from cases.apis import CaseViewSet
        from cases.filters import CaseFilter
        from cases.models import Case
        from portal.core import registry

        registry.register(
            registry.Library(
                name="cases",
                model=Case,
                visible=selectors.cases_visible_to,
                published=lambda: Case.objects.filter(status=Case.Status.PUBLISHED),
                filterset=CaseFilter,
                list_url="cases:list",
                urls="cases.urls",
                viewset=CaseViewSet,
                index=services.case_reindex,
                title=_("Cases"),
                description=_("Success stories of transfer and commercialisation."),
                order=40,
            )
        )
