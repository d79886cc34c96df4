from agencies import apis
from portal.core.api import Router

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("agencies", apis.AgencyViewSet, basename="api-agency")

urlpatterns = router.urls
