from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/", views.contract_edit, name="create"),
    path("choices/", views.contract_choices, name="choices"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/edit/", views.contract_edit, name="edit"),
    path("<int:pk>/document/", views.contract_document, name="document"),
    path("<int:pk>/document/download/", views.contract_document_download, name="document_download"),
    path("<int:pk>/certificate.pdf", views.contract_certificate, name="certificate"),
    path("<int:pk>/payments/", views.payment_add, name="payment_add"),
    path("<int:pk>/reward/", views.reward_save, name="reward"),
    path("<int:pk>/case/", views.contract_case, name="case"),
    path("<int:pk>/<slug:action>/", views.contract_action, name="action"),
    path("payments/<int:pk>/evidence/", views.payment_evidence, name="payment_evidence"),
    path("payments/<int:pk>/<slug:action>/", views.payment_action, name="payment_action"),
    path("subsidies/", views.subsidy_list, name="subsidies"),
    path("subsidies/<int:pk>/", views.subsidy_detail, name="subsidy"),
    path("subsidies/<int:pk>/files/", views.subsidy_files, name="subsidy_files"),
    path("subsidies/<int:pk>/delete/", views.subsidy_delete, name="subsidy_delete"),
    path("subsidies/<int:pk>/<slug:action>/", views.subsidy_action, name="subsidy_action"),
    path("programs/", views.program_list, name="programs"),
    path("programs/new/", views.program_edit, name="program_create"),
    path("programs/<int:pk>/", views.program_detail, name="program"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("programs/<int:pk>/apply/", views.program_apply, name="program_apply"),
    path("programs/<int:pk>/export.xlsx", views.program_export, name="program_export"),
]
