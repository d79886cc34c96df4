from django.urls import path

from accounts import apis

urlpatterns = [
    path("auth/token/", apis.TokenApi.as_view(), name="api-token"),
    path("auth/register/", apis.RegisterApi.as_view(), name="api-register"),
    path("me/", apis.MeApi.as_view(), name="api-me"),
    path("organizations/", apis.OrganizationListApi.as_view(), name="api-organizations"),
    path("organizations/<int:pk>/", apis.OrganizationDetailApi.as_view(), name="api-organization"),
    path(
        "organizations/<int:pk>/verify/",
        apis.OrganizationVerifyApi.as_view(),
        name="api-organization-verify",
    ),
    path("organizations/<int:pk>/members/", apis.MemberListApi.as_view(), name="api-members"),
    path(
        "organizations/<int:pk>/members/<int:user_id>/approve/",
        apis.MemberApproveApi.as_view(),
        name="api-member-approve",
    ),
    path(
        "organizations/<int:pk>/members/<int:user_id>/refuse/",
        apis.MemberRefuseApi.as_view(),
        name="api-member-refuse",
    ),
    path(
        "organizations/<int:pk>/members/<int:user_id>/remove/",
        apis.MemberRemoveApi.as_view(),
        name="api-member-remove",
    ),
    path(
        "organizations/<int:pk>/members/<int:user_id>/role/",
        apis.MemberRoleApi.as_view(),
        name="api-member-role",
    ),
]
