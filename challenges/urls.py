from django.urls import path

from challenges import views

app_name = "challenges"

urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("new/", views.challenge_new, name="new"),
    path("<int:pk>/", views.challenge_detail, name="detail"),
    path("<int:pk>/nda/", views.nda_accept, name="nda"),
    path("<int:pk>/apply/", views.application_new, name="apply"),
    path("<int:pk>/panel/", views.reviewer_add, name="reviewer_add"),
    path("<int:pk>/select/", views.challenge_select, name="select"),
    path("<int:pk>/agreement/", views.agreement_draft, name="agreement"),
    path("<int:pk>/republish/", views.challenge_republish, name="republish"),
    path("<int:pk>/report/", views.report_new, name="report"),
    path("<int:pk>/<slug:action>/", views.challenge_action, name="action"),
    path("applications/<int:pk>/check/", views.application_check, name="check"),
    path("applications/<int:pk>/review/", views.review_new, name="review"),
    path("reports/<int:pk>/decide/", views.report_decide, name="report_decide"),
    path("reports/<int:pk>/document/", views.report_document, name="report_document"),
    path("milestones/<int:pk>/payment/", views.milestone_record, name="milestone_record"),
]
