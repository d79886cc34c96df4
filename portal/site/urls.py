from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from contracts.apis import ContractViewSet, PaymentActionApi, ProgramViewSet, SubsidyViewSet
from portal.core import registry
from portal.core.api import Router
from portal.site import dashboards, views
from portal.site.apis import CertificateApi, IndicatorsApi, SuggestionsApi

router = Router(trailing_slash=True)
router.include_root_view = False
# Every registered library's API and pages (portal.core.registry), then the rest.
for lib in registry.libraries():
    if lib.viewset is not None:
        router.register(lib.name, lib.viewset, basename=f"api-{lib.model._meta.model_name}")
router.register("contracts", ContractViewSet, basename="api-contract")
router.register("subsidy-programs", ProgramViewSet, basename="api-subsidy-program")
router.register("subsidies", SubsidyViewSet, basename="api-subsidy")

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("matching.api_urls")),
    path("", include("evaluation.api_urls")),
    path("", include("market.api_urls")),
    path("", include("publicity.api_urls")),
    path("", include("inquiries.api_urls")),
    path("", include("events.api_urls")),
    path("", include("challenges.api_urls")),
    path("", include("credit.api_urls")),
    path("", include("brokers.api_urls")),
    path("", include("platforms.api_urls")),
    path("", include("agencies.api_urls")),
    path("", include("conversions.api_urls")),
    path("stats/indicators/", IndicatorsApi.as_view(), name="api-indicators"),
    path("certificates/<str:number>/", CertificateApi.as_view(), name="api-certificate"),
    path("search/suggestions/", SuggestionsApi.as_view(), name="api-suggestions"),
    path("payments/<int:pk>/<slug:action>/", PaymentActionApi.as_view(), name="api-payment-action"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("verify/", views.verify, name="verify"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    *(path(f"{lib.name}/", include(lib.urls)) for lib in registry.libraries() if lib.urls),
    path("evaluation/", include("evaluation.urls")),
    path("review/", views.review_queue, name="review"),
    path("review/approve/", views.review_approve, name="review_approve"),
    path("matching/", include("matching.urls")),
    path("contracts/", include("contracts.urls")),
    path("market/", include("market.urls")),
    path("publicity/", include("publicity.urls")),
    path("inquiries/", include("inquiries.urls")),
    path("events/", include("events.urls")),
    path("challenges/", include("challenges.urls")),
    path("credit/", include("credit.urls")),
    path("brokers/", include("brokers.urls")),
    path("platforms/", include("platforms.urls")),
    path("agencies/", include("agencies.urls")),
    path("conversion-projects/", include("conversions.urls")),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", dashboards.notification_open, name="notification_open"),
    path("workspace/", dashboards.workspace, name="workspace"),
    path("search/", dashboards.search, name="search"),
    path("monitoring/", dashboards.monitoring, name="monitoring"),
    path("monitoring/export.xlsx", dashboards.monitoring_export, name="monitoring_export"),
    path("subscriptions/", dashboards.subscriptions, name="subscriptions"),
    path(
        "subscriptions/<int:pk>/delete/", dashboards.subscription_delete, name="subscription_delete"
    ),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through the portal's own page, two-step sign-in included.
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]

handler403 = "portal.site.views.error_403"
handler404 = "portal.site.views.error_404"
handler500 = "portal.site.views.error_500"
