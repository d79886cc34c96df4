from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/event.ics", views.event_ics, name="ics"),
    path("<int:pk>/register/", views.event_register, name="register"),
    path("<int:pk>/check-in/", views.event_check_in, name="check_in"),
    path("<int:pk>/items/", views.item_add, name="item_add"),
    path("<int:pk>/intents/", views.intent_add, name="intent_add"),
    path("<int:pk>/outcomes/", views.outcome_add, name="outcome_add"),
    path("<int:pk>/<slug:action>/", views.event_action, name="action"),
    path("tickets/<int:pk>/", views.ticket, name="ticket"),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/deals/", views.deal_start, name="deal_start"),
    path("deals/<int:pk>/agreement.pdf", views.deal_document, name="deal_document"),
    path("deals/<int:pk>/<slug:action>/", views.deal_action, name="deal_action"),
]
