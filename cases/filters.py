"""The cases library's filters (the API)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from cases.models import Case
from cases.selectors import cases_ranked
from portal.core.reference import TechField
from portal.library.filters import SearchFilterSet


class CaseFilter(SearchFilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Search"))
    tech_field = filters.ChoiceFilter(choices=TechField.choices, label=_("Technology field"))

    class Meta:
        model = Case
        fields = ["q", "tech_field"]

    def filter_q(self, queryset, name, value):
        return cases_ranked(queryset, value)
