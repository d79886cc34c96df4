from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token

from accounts import apis

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("auth/register/", apis.RegisterApi.as_view(), name="api-register"),
    path("me/", apis.MeApi.as_view(), name="api-me"),
    path("organizations/", apis.OrganizationListApi.as_view(), name="api-organizations"),
    path("organizations/<int:pk>/", apis.OrganizationDetailApi.as_view(), name="api-organization"),
    path(
        "organizations/<int:pk>/verify/",
        apis.OrganizationVerifyApi.as_view(),
        name="api-organization-verify",
    ),
]
