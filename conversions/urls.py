from django.urls import path

from conversions import views

app_name = "conversions"

urlpatterns = [
    path("", views.library, name="library"),
    path("export.xlsx", views.library_export, name="export"),
    path("new/", views.project_new, name="new"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.project_act, name="act"),
]
