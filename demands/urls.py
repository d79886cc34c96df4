from demands.views import PAGES
from portal.library.views import library_urls

app_name = "demands"

urlpatterns = library_urls(PAGES)
