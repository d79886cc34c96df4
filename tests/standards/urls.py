from portal.site.urls import urlpatterns as site
from tests.standards.library import urlpatterns as standards

urlpatterns = [*standards, *site]
