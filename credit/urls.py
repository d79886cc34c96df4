from django.urls import path

from credit import views

app_name = "credit"

urlpatterns = [
    path("", views.credit_list, name="list"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/evidence/", views.complaint_evidence, name="evidence"),
    path("complaints/<int:pk>/<slug:action>/", views.complaint_act, name="complaint_act"),
    path("records/<int:pk>/lift/", views.record_lift, name="lift"),
]
for kind in ("organization", "broker"):
    urlpatterns += [
        path(f"{kind}s/<int:pk>/", views.credit_page, {"kind": kind}, name=f"{kind}"),
        path(
            f"{kind}s/<int:pk>/complain/",
            views.complaint_new,
            {"kind": kind},
            name=f"complain_{kind}",
        ),
    ]
