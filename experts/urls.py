from django.urls import path

from experts import views

app_name = "experts"

urlpatterns = [
    path("", views.expert_list, name="list"),
    path("me/", views.expert_edit, name="me"),
    path("new/", views.expert_edit, name="create"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("reviews/open/<int:achievement_pk>/", views.review_open, name="review_open"),
    path("<int:pk>/", views.expert_detail, name="detail"),
    path("<int:pk>/edit/", views.expert_edit, name="edit"),
]
