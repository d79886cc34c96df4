from django.urls import path

from matching import apis

urlpatterns = [
    path("demands/<int:pk>/matches/", apis.DemandMatchesApi.as_view(), name="api-demand-matches"),
    path("demands/<int:pk>/experts/", apis.DemandExpertsApi.as_view(), name="api-demand-experts"),
    path(
        "achievements/<int:pk>/matches/",
        apis.AchievementMatchesApi.as_view(),
        name="api-achievement-matches",
    ),
    path("matches/<int:pk>/feedback/", apis.FeedbackApi.as_view(), name="api-match-feedback"),
    path("matching/runs/", apis.RunListApi.as_view(), name="api-match-runs"),
    path("matching/runs/<int:pk>/", apis.RunDetailApi.as_view(), name="api-match-run"),
]
