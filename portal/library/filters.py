"""Filters shared by the library lists (API and pages use the same FilterSet)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from accounts.models import Market
from accounts.regions import region_prefix_choices
from portal.core.forms import BootstrapFormMixin
from portal.core.reference import Industry, TechField
from portal.library.search import search_query, search_rank


class LibraryFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Search"))
    tech_field = filters.ChoiceFilter(choices=TechField.choices, label=_("Technology field"))
    industry = filters.ChoiceFilter(
        choices=Industry.choices, method="filter_industry", label=_("Industry cluster")
    )
    region_code = filters.CharFilter(
        field_name="organization__region_code",
        lookup_expr="startswith",
        label=_("Region"),
        # The API takes any prefix; the page offers Hubei's cities.
        widget=forms.Select(choices=lambda: [("", "---------"), *region_prefix_choices()]),
    )
    market = filters.ModelChoiceFilter(
        field_name="organization__market",
        to_field_name="code",
        queryset=Market.objects.all(),
        label=_("Market"),
    )
    organization = filters.NumberFilter(
        field_name="organization_id", label=_("Organisation"), widget=forms.HiddenInput
    )

    def get_form_class(self):
        return type("FilterForm", (BootstrapFormMixin, super().get_form_class()), {})

    def filter_q(self, queryset, name, value):
        query = search_query(value)
        if query is None:
            return queryset
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=search_rank(value, query))
            .order_by("-rank", "-published_at", "-id")
        )

    def filter_industry(self, queryset, name, value):
        return queryset.filter(industries__contains=[value])
