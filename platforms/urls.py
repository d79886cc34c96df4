from django.urls import path

from platforms import views

app_name = "platforms"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.xlsx", views.directory_export, name="export"),
    path("new/", views.platform_new, name="new"),
    path("<int:pk>/", views.platform_detail, name="detail"),
    path("<int:pk>/records/", views.record_add, name="record"),
    path("<int:pk>/reports/", views.report_submit, name="report"),
    path("reports/<int:pk>/decide/", views.report_decide, name="report_decide"),
    path("<int:pk>/<slug:action>/", views.platform_act, name="act"),
]
