from events import apis
from portal.core.api import Router

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("events", apis.EventViewSet, basename="api-event")
router.register("event-registrations", apis.RegistrationViewSet, basename="api-event-registration")

urlpatterns = router.urls
