"""Filters shared by the library lists (API and pages use the same FilterSet)."""

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, F, Func, IntegerField, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES

from accounts.models import Market
from accounts.regions import region_prefix_choices
from portal.core.api import Pagination
from portal.core.forms import BootstrapFormMixin
from portal.core.paginator import EXACT_COUNT_LIMIT, with_search_total
from portal.core.reference import Industry, TechField
from portal.library import engine
from portal.library.engine import Facet
from portal.library.search import search_query, search_rank
from portal.library.selectors import visible_facets

# Ids beyond a caller's depth that are checked too, in case PostgreSQL hides
# some before it (a change the engine has not synced yet).
DEPTH_MARGIN = 50


class SearchFilterSet(filters.FilterSet):
    """What every library's FilterSet takes beside django-filter's arguments."""

    def __init__(self, *args, published_since=None, depth: int | None = None, **kwargs):
        """`published_since`: only items published then or later, newest first
        (a saved search's digest). `depth`: how far into a search's results the
        caller reads (a page: its number × its size); the API's is read from its
        page parameters; EXACT_COUNT_LIMIT when unknown."""
        super().__init__(*args, **kwargs)
        self.published_since = published_since
        self.depth = depth


class LibraryFilter(SearchFilterSet):
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

    # How the search engine asks for each filter (portal/library/engine.py); a
    # search with an active filter not named here runs in PostgreSQL.
    ENGINE_FILTERS = {
        "tech_field": Facet("tech_field"),
        "industry": Facet("industry"),
        "region_code": Facet("region"),
        "market": Facet("market", attr="code"),
        "organization": Facet("org"),
        "status": Facet("status"),
    }

    def filter_queryset(self, queryset):
        """A search goes through the engine when the library has one: it picks
        and orders the ids; PostgreSQL applies the queryset's visibility and
        every filter to them as without it."""
        if self.published_since is not None:
            queryset = queryset.filter(published_at__gte=self.published_since)
        hits = self._engine_hits()
        if hits is None:
            queryset = super().filter_queryset(queryset)
            if self.published_since is not None:
                queryset = queryset.order_by("-published_at", "-id")
            return queryset
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        # Only the ids the caller can reach are read (a row costs ~10 µs to
        # check, and ranking is already done), with a margin for ids that
        # PostgreSQL no longer shows; the count reads them all, up to the limit.
        reached = hits.pks[: self._depth() + DEPTH_MARGIN]
        # all the ids when they are few enough to count (search_hits gives them all then)
        every = queryset.filter(pk__in=hits.pks)
        ids = Cast(Value(reached), ArrayField(BigIntegerField()))
        position = Func(ids, F("pk"), function="array_position", output_field=IntegerField())
        results = queryset.filter(pk__in=reached).order_by(position)
        return with_search_total(results, hits.total, every)

    def _depth(self) -> int:
        if self.depth is not None:
            return min(self.depth, EXACT_COUNT_LIMIT)
        params = getattr(self.request, "query_params", None)
        if params is None or params.get("ordering"):
            return EXACT_COUNT_LIMIT  # another order sorts the best EXACT_COUNT_LIMIT
        try:
            page = max(1, int(params.get("page", 1)))
            size = min(Pagination.max_page_size, max(1, int(params.get("page_size", 20))))
        except ValueError:  # "last", or what DRF's pagination refuses anyway
            return EXACT_COUNT_LIMIT
        return min(page * size, EXACT_COUNT_LIMIT)

    def _engine_hits(self):
        model = self._meta.model
        q = self.form.cleaned_data.get("q")
        if not q or not engine.ready(model):
            return None
        conditions = []
        for name, value in self.form.cleaned_data.items():
            if name == "q" or value in EMPTY_VALUES:
                continue
            how = self.ENGINE_FILTERS.get(name)
            if how is None:
                return None
            conditions.append((how, value))
        user = getattr(self.request, "user", None)
        return engine.search_hits(
            model,
            q,
            conditions=conditions,
            visible=visible_facets(model, user),
            published_since=self.published_since,
            depth=self._depth() + DEPTH_MARGIN,
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
