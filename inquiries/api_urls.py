from inquiries import apis
from portal.core.api import Router

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("inquiries", apis.InquiryViewSet, basename="api-inquiry")

urlpatterns = router.urls
