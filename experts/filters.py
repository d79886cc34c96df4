"""The experts library's filters (the API; the page passes the same names)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from experts.models import Expert
from experts.selectors import experts_search
from portal.core.reference import Industry, TechField
from portal.library.filters import SearchFilterSet


class ExpertFilter(SearchFilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Search"))
    tech_field = filters.ChoiceFilter(
        choices=TechField.choices, method="filter_field", label=_("Technology field")
    )
    industry = filters.ChoiceFilter(
        choices=Industry.choices, method="filter_industry", label=_("Industry cluster")
    )
    available = filters.BooleanFilter(field_name="available", label=_("Available"))

    class Meta:
        model = Expert
        fields = ["q", "tech_field", "industry", "available"]

    def filter_q(self, queryset, name, value):
        return experts_search(q=value, base=queryset)

    def filter_field(self, queryset, name, value):
        return queryset.filter(tech_fields__contains=[value])

    def filter_industry(self, queryset, name, value):
        return queryset.filter(industries__contains=[value])
