from django.urls import path

from market import views

app_name = "market"

urlpatterns = [
    path("", views.hall, name="hall"),
    path("mine/", views.mine, name="mine"),
    path("staff/", views.staff, name="staff"),
    path("refunds/", views.refunds, name="refunds"),
    path("deposits/<int:pk>/refunded/", views.deposit_refunded, name="deposit_refunded"),
    path("rules/", views.rules_page, name="rules"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("listings/new/", views.listing_edit, name="listing_create"),
    path("listings/<int:pk>/", views.listing_detail, name="listing"),
    path("listings/<int:pk>/edit/", views.listing_edit, name="listing_edit"),
    path("listings/<int:pk>/decision.pdf", views.listing_decision, name="listing_decision"),
    path(
        "listings/<int:pk>/certificate.pdf", views.listing_certificate, name="listing_certificate"
    ),
    path("listings/<int:pk>/<slug:action>/", views.listing_action, name="listing_action"),
    path("intents/<int:pk>/<slug:action>/", views.intent_action, name="intent_action"),
    path("auctions/new/", views.auction_edit, name="auction_create"),
    path("auctions/<int:pk>/", views.auction_detail, name="auction"),
    path("auctions/<int:pk>/edit/", views.auction_edit, name="auction_edit"),
    path("auctions/<int:pk>/bid/", views.auction_bid, name="auction_bid"),
    path(
        "auctions/<int:pk>/certificate.pdf", views.auction_certificate, name="auction_certificate"
    ),
    path("auctions/<int:pk>/<slug:action>/", views.auction_action, name="auction_action"),
    path(
        "registrations/<int:pk>/<slug:action>/",
        views.registration_action,
        name="registration_action",
    ),
]
