import pytest

from accounts.models import Market, Organization, User
from tests.factories import PASSWORD, OrganizationFactory, StaffFactory, UserFactory, credit_code

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"


def _payload(**org):
    return {
        "username": "alice",
        "password": PASSWORD,
        "email": "alice@example.cn",
        "organization": {
            "name": "武汉光电研究院",
            "kind": "institute",
            "credit_code": credit_code(7),
            "region_code": "420111",
            **org,
        },
    }


def test_register_then_token_then_me(api):
    response = api.post(REGISTER, _payload(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "alice"
    assert body["organization"]["verified"] is False
    assert body["organization"]["kind"] == "institute"
    assert set(body["organization"]) >= {
        "id",
        "name",
        "kind",
        "credit_code",
        "region_code",
        "verified",
    }

    token = api.post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/").json()
    assert me["username"] == "alice"
    assert me["roles"] == ["member", "org_admin"]  # the first member administers it
    assert me["market"] == "wuhan"
    assert me["organization"]["id"] == body["organization"]["id"]


def test_a_wrong_check_character_is_a_400_on_the_field_and_creates_nothing(api):
    bad = credit_code(7)[:-1] + ("0" if credit_code(7)[-1] != "0" else "1")
    response = api.post(REGISTER, _payload(credit_code=bad), format="json")
    assert response.status_code == 400
    assert "credit_code" in response.json()["organization"]
    assert not User.objects.exists() and not Organization.objects.exists()


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            {
                "organization": {
                    "credit_code": credit_code(7),
                    "region_code": "429999",
                    "name": "x",
                    "kind": "enterprise",
                }
            },
            ("organization", "region_code"),
        ),
        ({"password": "password"}, ("password",)),
        ({"email": "not-an-email"}, ("email",)),
        (
            {
                "organization": {
                    "credit_code": credit_code(7),
                    "region_code": "420111",
                    "name": "x",
                    "kind": "bank",
                }
            },
            ("organization", "kind"),
        ),
    ],
)
def test_bad_registrations_are_400_with_field_messages(api, change, path):
    response = api.post(REGISTER, {**_payload(), **change}, format="json")
    assert response.status_code == 400
    node = response.json()
    for key in path:
        node = node[key]
    assert isinstance(node, list) and node and all(isinstance(m, str) for m in node)
    assert not User.objects.exists()


def test_a_duplicate_username_is_refused(api):
    UserFactory(username="alice")
    response = api.post(REGISTER, _payload(), format="json")
    assert response.status_code == 400
    assert "username" in response.json()


def test_me_needs_credentials(api):
    assert api.get("/api/v1/me/").status_code == 401


def test_anonymous_sees_verified_organisations_staff_see_all(api):
    OrganizationFactory(name="已认证")
    OrganizationFactory(name="待认证", verified=False)
    names = [o["name"] for o in api.get("/api/v1/organizations/").json()["results"]]
    assert names == ["已认证"]
    api.force_authenticate(StaffFactory(staff_market=Market.objects.get(code="yichang")))
    assert api.get("/api/v1/organizations/").json()["count"] == 2


def test_organisations_filter_by_kind_and_region_prefix(api):
    OrganizationFactory(name="甲", kind="university", region_code="420111")
    OrganizationFactory(name="乙", kind="enterprise", region_code="420602")
    OrganizationFactory(name="丙", kind="enterprise", region_code="420606")
    results = api.get("/api/v1/organizations/?kind=enterprise&region_code=4206").json()
    assert sorted(o["name"] for o in results["results"]) == ["丙", "乙"]
    bad = api.get("/api/v1/organizations/?kind=bank")
    assert bad.status_code == 400 and "kind" in bad.json()


def test_verify_endpoint_permissions(api):
    org = OrganizationFactory(region_code="420602", verified=False)
    url = f"/api/v1/organizations/{org.pk}/verify/"
    assert api.post(url).status_code == 401
    api.force_authenticate(UserFactory())
    assert api.post(url).status_code == 404  # members cannot even see it
    api.force_authenticate(StaffFactory(staff_market=Market.objects.get(code="yichang")))
    assert api.post(url).status_code == 403  # seen, but out of scope
    org.refresh_from_db()
    assert not org.verified
    api.force_authenticate(StaffFactory(staff_market=Market.objects.get(code="xiangyang")))
    response = api.post(url)
    assert response.status_code == 200 and response.json()["verified"] is True


def test_pagination_follows_the_convention(api):
    OrganizationFactory.create_batch(3)
    page = api.get("/api/v1/organizations/?page_size=2").json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert len(api.get("/api/v1/organizations/?page_size=1000").json()["results"]) == 3
    assert api.get("/api/v1/organizations/?page=99").status_code == 404


def test_the_schema_and_docs_are_served_without_internet(api):
    schema = api.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/auth/register/" in schema.content
    docs = api.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs
