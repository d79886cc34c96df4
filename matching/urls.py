from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("", views.board, name="board"),
    path("mine/", views.mine, name="mine"),
    path("runs/start/", views.run_start, name="run_start"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
]
