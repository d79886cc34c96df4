import pytest
from django.apps import apps
from django.contrib import admin

from tests.factories import OrganizationFactory, UserFactory
from tests.project import project_apps

pytestmark = pytest.mark.django_db

PORTAL_APPS = {config.label for config in project_apps()}


def test_every_model_of_the_portal_is_in_the_admin():
    models = [m for m in apps.get_models() if m._meta.app_label in PORTAL_APPS]
    assert models
    assert [m.__name__ for m in models if not admin.site.is_registered(m)] == []


def test_admin_lists_search_and_filter(client):
    OrganizationFactory(name="华中光电")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for model in admin.site._registry:
        if model._meta.app_label not in PORTAL_APPS:
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url, {"q": "华中"}).status_code == 200, url
    html = client.get("/admin/accounts/organization/", {"q": "华中"}).content.decode()
    assert "华中光电" in html
