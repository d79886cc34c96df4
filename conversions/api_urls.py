from conversions import apis
from portal.core.api import Router

router = Router(trailing_slash=True)
router.include_root_view = False
router.register(
    "conversion-projects", apis.ConversionProjectViewSet, basename="api-conversion-project"
)

urlpatterns = router.urls
