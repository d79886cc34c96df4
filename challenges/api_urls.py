from challenges import apis
from portal.core.api import Router

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("challenges", apis.ChallengeViewSet, basename="api-challenge")
router.register(
    "challenge-applications", apis.ApplicationViewSet, basename="api-challenge-application"
)
router.register("challenge-reports", apis.ReportViewSet, basename="api-challenge-report")
router.register("challenge-milestones", apis.MilestoneViewSet, basename="api-challenge-milestone")

urlpatterns = router.urls
