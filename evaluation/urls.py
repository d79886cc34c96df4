from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("methods/<slug:slug>/", views.method, name="method"),
    path("trl/", views.trl_tool, name="trl"),
    path("valuation/", views.valuation_tool, name="valuation"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
]
