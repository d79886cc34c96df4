from portal.core.api import Router
from publicity import apis

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("publicities", apis.PublicityViewSet, basename="api-publicity")
router.register("objections", apis.ObjectionViewSet, basename="api-objection")

urlpatterns = router.urls
