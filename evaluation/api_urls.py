from django.urls import path

from evaluation import apis

urlpatterns = [
    path("evaluation-tools/", apis.CatalogueApi.as_view(), name="api-evaluation-tools"),
    path("evaluation-tools/trl/", apis.TrlApi.as_view(), name="api-evaluation-trl"),
    path(
        "evaluation-tools/valuation/", apis.ValuationApi.as_view(), name="api-evaluation-valuation"
    ),
    path(
        "achievements/<int:pk>/evaluations/",
        apis.ReportApi.as_view(),
        name="api-achievement-evaluations",
    ),
]
