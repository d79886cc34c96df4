from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from achievements.models import Achievement
from portal.library.engine import Facet, Range
from portal.library.filters import LibraryFilter


class AchievementFilter(LibraryFilter):
    trl_min = filters.NumberFilter(field_name="trl", lookup_expr="gte", label=_("TRL from"))
    trl_max = filters.NumberFilter(field_name="trl", lookup_expr="lte", label=_("TRL up to"))
    pricing_mode = filters.ChoiceFilter(
        choices=Achievement.PricingMode.choices, label=_("Pricing mode")
    )
    price_max = filters.NumberFilter(
        field_name="asking_price", lookup_expr="lte", label=_("Price up to (yuan)")
    )
    status = filters.ChoiceFilter(choices=Achievement.Status.choices, label=_("Status"))

    ENGINE_FILTERS = {
        **LibraryFilter.ENGINE_FILTERS,
        "trl_min": Range("trl", at_least=True),
        "trl_max": Range("trl", at_least=False),
        "pricing_mode": Facet("pricing_mode"),
        "price_max": Range("price", at_least=False),
    }

    class Meta:
        model = Achievement
        fields = [
            "q",
            "tech_field",
            "industry",
            "trl_min",
            "trl_max",
            "region_code",
            "market",
            "pricing_mode",
            "price_max",
            "organization",
            "status",
        ]
