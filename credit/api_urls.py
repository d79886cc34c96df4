from credit import apis
from portal.core.api import Router

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("complaints", apis.ComplaintViewSet, basename="api-complaint")
router.register("credit-records", apis.CreditRecordViewSet, basename="api-credit-record")

urlpatterns = router.urls
