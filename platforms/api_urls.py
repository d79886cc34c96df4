from platforms import apis
from portal.core.api import Router

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("platforms", apis.PlatformViewSet, basename="api-platform")

urlpatterns = router.urls
