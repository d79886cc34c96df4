from django_filters import rest_framework as filters

from portal.library.filters import LibraryFilter
from scenarios.models import Scenario


class ScenarioFilter(LibraryFilter):
    status = filters.ChoiceFilter(choices=Scenario.Status.choices)

    class Meta:
        model = Scenario
        fields = ["q", "tech_field", "industry", "region_code", "market", "organization", "status"]
