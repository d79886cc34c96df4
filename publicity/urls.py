from django.urls import path

from publicity import views

app_name = "publicity"

urlpatterns = [
    path("<int:pk>/object/", views.object_to, name="object"),
    path("objections/<int:pk>/<slug:decision>/", views.decide, name="decide"),
]
