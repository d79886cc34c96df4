from django.urls import path

from achievements import imports
from achievements.views import PAGES
from portal.library.views import library_urls

app_name = "achievements"

urlpatterns = library_urls(
    PAGES,
    extra=[
        path("import/", imports.import_page, name="import"),
        path("import/<int:pk>/", imports.import_job, name="import_job"),
        path("import/<int:pk>/submit/", imports.import_submit_page, name="import_submit"),
        path("import/template.xlsx", imports.template_download, name="import_template"),
    ],
)
