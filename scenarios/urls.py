from portal.library.views import library_urls
from scenarios.views import EXTRA, PAGES

app_name = "scenarios"

urlpatterns = library_urls(PAGES, extra=EXTRA)
