from django.urls import path

from market import apis
from portal.core.api import Router

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("listings", apis.ListingViewSet, basename="api-listing")
router.register("listing-intents", apis.IntentViewSet, basename="api-listing-intent")
router.register("auctions", apis.AuctionViewSet, basename="api-auction")
router.register(
    "auction-registrations", apis.RegistrationViewSet, basename="api-auction-registration"
)
router.register("deposits", apis.DepositViewSet, basename="api-deposit")

urlpatterns = [
    path("market-rules/", apis.RulesApi.as_view(), name="api-market-rules"),
    path("calendar/", apis.CalendarApi.as_view(), name="api-calendar"),
    *router.urls,
]
