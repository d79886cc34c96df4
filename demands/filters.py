from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from demands.models import Demand
from portal.library.engine import Facet, Range
from portal.library.filters import LibraryFilter


class DemandFilter(LibraryFilter):
    # A demand fits a budget range when its own range overlaps it; an unstated
    # bound is open.
    budget_min = filters.NumberFilter(method="filter_budget_min", label=_("Budget from (yuan)"))
    budget_max = filters.NumberFilter(method="filter_budget_max", label=_("Budget up to (yuan)"))
    cooperation_mode = filters.ChoiceFilter(
        choices=Demand.CooperationMode.choices, method="filter_mode", label=_("Cooperation mode")
    )
    is_challenge = filters.BooleanFilter(label=_("Open challenges only"))
    status = filters.ChoiceFilter(choices=Demand.Status.choices, label=_("Status"))

    ENGINE_FILTERS = {
        **LibraryFilter.ENGINE_FILTERS,
        "budget_min": Range("budget_max", at_least=True),
        "budget_max": Range("budget_min", at_least=False),
        "cooperation_mode": Facet("cooperation_mode"),
        "is_challenge": Facet("is_challenge"),
    }

    class Meta:
        model = Demand
        fields = [
            "q",
            "tech_field",
            "industry",
            "region_code",
            "market",
            "budget_min",
            "budget_max",
            "cooperation_mode",
            "is_challenge",
            "organization",
            "status",
        ]

    def filter_budget_min(self, queryset, name, value):
        return queryset.filter(Q(budget_max__gte=value) | Q(budget_max__isnull=True))

    def filter_budget_max(self, queryset, name, value):
        return queryset.filter(Q(budget_min__lte=value) | Q(budget_min__isnull=True))

    def filter_mode(self, queryset, name, value):
        return queryset.filter(cooperation_modes__contains=[value])
