from django.urls import path

from inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.inquiry_list, name="list"),
    path("new/", views.inquiry_new, name="new"),
    path("staff/", views.staff, name="staff"),
    path("<int:pk>/", views.inquiry_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.inquiry_action, name="action"),
]
