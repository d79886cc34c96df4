"""The registration an app's ready() would make, called by the tests."""

from django.http import HttpResponse
from django.urls import path

from portal.core import registry
from portal.library.filters import LibraryFilter
from portal.library.selectors import items_published
from portal.library.services import item_reindex
from tests.standards.models import Standard


class StandardFilter(LibraryFilter):
    class Meta:
        model = Standard
        fields = ["q", "tech_field", "industry", "region_code", "market", "organization"]


def register() -> registry.Library:
    return registry.register(
        registry.Library(
            name="standards",
            model=Standard,
            visible=lambda user: items_published(Standard),
            published=lambda: items_published(Standard),
            filterset=StandardFilter,
            list_url="standards-list",
            index=item_reindex,
            subscribable=True,
            order=90,
        )
    )


def unregister() -> None:
    registry.unregister("standards")


def standards_list(request):
    return HttpResponse("standards")


# The site's URLs plus this library's list (ROOT_URLCONF in the test).
urlpatterns = [path("standards/", standards_list, name="standards-list")]
