"""Limits (issue 13, finding 4 and 7): a 4 MB description held a worker past
its timeout; an Excel import of 4,000 rows died at the worker timeout; nothing
limited registrations, token requests, reset e-mails or searches."""

import io

import pytest
from django.core import mail
from openpyxl import Workbook

from achievements.imports import HEADERS, MAX_ROWS, import_run
from achievements.models import Achievement, ImportJob
from portal.core import limits
from portal.core.models import RateLimitCounter
from tests.factories import PASSWORD, OrganizationFactory, credit_code, member_of
from tests.files import upload

pytestmark = pytest.mark.django_db

ROW = ["成果", "简介", "", "新材料及其应用", "", "", 6, "", "", "转让", "协议定价", ""]


def achievement(**overrides):
    return {
        "title": "高效节能电机控制技术",
        "summary": "一种面向工业电机的高效节能控制技术。",
        "tech_field": "energy",
        "trl": 5,
        "transfer_modes": ["transfer"],
        **overrides,
    }


@pytest.fixture
def officer():
    return member_of(OrganizationFactory(kind="university"))


def test_a_body_above_the_limit_is_refused_unread(api, officer):
    api.force_authenticate(officer)
    body = achievement(description="技" * (2 * 1024 * 1024))  # 6 MB of UTF-8
    response = api.post("/api/v1/achievements/", body, format="json")
    assert response.status_code == 400 and "MB" in response.json()["detail"]
    assert not Achievement.objects.exists()


def test_a_description_above_its_length_is_a_field_error(api, client, officer):
    api.force_authenticate(officer)
    long = "技" * (limits.DESCRIPTION_MAX + 1)
    response = api.post("/api/v1/achievements/", achievement(description=long), format="json")
    assert response.status_code == 400 and "description" in response.json()
    client.force_login(officer)
    page = client.post("/achievements/new/", {**achievement(description=long), "keywords": ""})
    assert page.status_code == 200 and page.context["form"].errors["description"]
    assert not Achievement.objects.exists()
    fine = api.post(
        "/api/v1/achievements/",
        achievement(description="技" * limits.DESCRIPTION_MAX),
        format="json",
    )
    assert fine.status_code == 201


def test_registration_is_rate_limited_per_address(api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": {"address": (2, 3600)}}
    answers = []
    for n in range(3):
        answers.append(
            api.post(
                "/api/v1/auth/register/",
                {
                    "username": f"new{n}",
                    "password": PASSWORD,
                    "email": f"new{n}@example.cn",
                    "organization": {
                        "name": f"新公司{n}",
                        "kind": "enterprise",
                        "credit_code": credit_code(900 + n),
                        "region_code": "420111",
                    },
                },
                format="json",
            )
        )
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert int(answers[-1]["Retry-After"]) > 0 and "detail" in answers[-1].json()
    # Counted in PostgreSQL, where every worker process reads the same count.
    assert RateLimitCounter.objects.get(key__startswith="register:ip:").count == 3


def test_token_requests_are_limited_per_address_and_per_username(api, settings, officer):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "token": {"address": (100, 600), "subject": (2, 600)},
    }
    body = {"username": officer.username, "password": PASSWORD}
    answers = [api.post("/api/v1/auth/token/", body, format="json").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    other = member_of(OrganizationFactory())
    other_body = {"username": other.username, "password": PASSWORD}
    assert api.post("/api/v1/auth/token/", other_body, format="json").status_code == 200


def test_password_reset_mails_are_limited(client, settings, officer):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "password_reset": {"address": (10, 3600), "subject": (1, 3600)},
    }
    first = client.post("/accounts/password-reset/", {"email": officer.email})
    second = client.post("/accounts/password-reset/", {"email": officer.email})
    assert first.status_code == 302 and second.status_code == 429
    assert len(mail.outbox) == 1


def test_searches_are_limited_per_address_and_per_account(api, client, settings, officer):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "search": {"address": (3, 60), "account": (2, 60)},
    }
    assert [api.get("/api/v1/achievements/", {"q": "电机"}).status_code for _ in range(3)] == [
        200,
        200,
        200,
    ]
    assert api.get("/api/v1/demands/", {"q": "电机"}).status_code == 429
    assert api.get("/api/v1/demands/").status_code == 200  # browsing is not searching
    page = client.get("/search/", {"q": "电机"})
    assert page.status_code == 429 and page["Retry-After"]
    RateLimitCounter.objects.all().delete()
    api.force_authenticate(officer)
    answers = [api.get("/api/v1/experts/", {"q": "电机"}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_organisation_look_ups_are_limited(api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "lookup": {"address": (1, 60)}}
    org = OrganizationFactory()
    assert api.get(f"/api/v1/organizations/{org.pk}/").status_code == 200
    assert api.get("/api/v1/organizations/").status_code == 429


def test_sign_in_attempts_of_an_address_are_limited(client, settings, officer):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_in": {"address": (2, 600)}}
    for _ in range(2):
        client.post("/accounts/login/", {"username": "nobody", "password": "x"})
    response = client.post("/accounts/login/", {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 429


def _workbook(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("导入")
    sheet.append(HEADERS)
    for n in range(rows):
        sheet.append([f"成果{n}", *ROW[1:]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_import_runs_as_a_job_with_its_progress(officer, django_capture_on_commit_callbacks):
    from achievements.imports import import_start

    with django_capture_on_commit_callbacks(execute=True):
        job = import_start(by=officer, upload=upload("成果.xlsx", _workbook(600)))
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.saved_rows, job.progress) == ("done", 600, 600, 100)
    assert Achievement.objects.filter(organization=officer.organization).count() == 600
    assert import_run(job_id=job.pk) == "not claimed"  # run twice, done once


def test_an_import_above_the_row_limit_saves_nothing(officer, django_capture_on_commit_callbacks):
    from achievements.imports import import_start

    with django_capture_on_commit_callbacks(execute=True):
        job = import_start(by=officer, upload=upload("成果.xlsx", _workbook(MAX_ROWS + 1)))
    job.refresh_from_db()
    assert job.status == "refused" and str(MAX_ROWS) in job.error
    assert not Achievement.objects.exists()


def test_a_failing_import_is_recorded_not_lost(officer, django_capture_on_commit_callbacks):
    from achievements.imports import import_start

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = import_start(by=officer, upload=upload("成果.xlsx", _workbook(3)))
    job.file.storage.delete(job.file.name)  # the stored file is gone
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == "failed" and job.error
    assert ImportJob.objects.count() == 1
