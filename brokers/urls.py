from django.urls import path

from brokers import views

app_name = "brokers"

urlpatterns = [
    path("", views.registry, name="registry"),
    path("export.xlsx", views.registry_export, name="export"),
    path("apply/", views.broker_apply, name="apply"),
    path("courses/", views.courses, name="courses"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/enrol/", views.course_enrol, name="enrol"),
    path("courses/<int:pk>/import/", views.course_import, name="import"),
    path("courses/import-template.xlsx", views.import_template, name="import_template"),
    path("enrollments/<int:pk>/", views.enrollment_record, name="record"),
    path("exams/<int:pk>/certificate/", views.certificate_issue, name="certificate"),
    path("<int:pk>/", views.broker_detail, name="detail"),
    path("<int:pk>/affiliation/", views.affiliation_declare, name="affiliation"),
    path("<int:pk>/<slug:action>/", views.broker_act, name="act"),
]
