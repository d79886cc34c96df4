from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.registry, name="registry"),
    path("export.xlsx", views.registry_export, name="export"),
    path("file/", views.agency_file, name="file"),
    path("<int:pk>/", views.agency_detail, name="detail"),
    path("<int:pk>/register/", views.agency_register, name="register"),
    path("<int:pk>/reports/", views.report_submit, name="report"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/agencies/<int:agency_pk>/", views.round_score, name="score"),
    path("rounds/<int:pk>/<slug:action>/", views.round_act, name="round_act"),
]
