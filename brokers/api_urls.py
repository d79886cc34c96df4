from brokers import apis
from portal.core.api import Router

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("brokers", apis.BrokerViewSet, basename="api-broker")

urlpatterns = router.urls
