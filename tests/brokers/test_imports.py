"""A training base's Excel import of hours and exam results: all rows or none,
with a report per row (issue 20, point 6)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from brokers import imports
from brokers.models import Broker, Enrollment, ExamResult
from portal.core.models import AuditEntry
from tests.brokers import flow
from tests.brokers.flow import enrolled, workbook
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_all_rows_or_none_with_a_report_per_row(client):
    base, officer = flow.base()
    course = flow.course(base, officer)
    (first, first_id), (second, second_id) = enrolled(course, 2)
    today = timezone.localdate().isoformat()
    bad = workbook(
        [
            [first_id, "学员0", 48, today, 80],
            [second_id, "学员1", 99, "", ""],  # more hours than the course has
            ["42010219990101999X", "陌生人", 10, "", ""],  # not enrolled
        ]
    )
    report = imports.results_import(course=course, by=officer, upload=bad)
    assert [r["ok"] for r in report] == [True, False, False]
    assert "48" in report[1]["message"] and report[2]["message"]
    assert not Enrollment.objects.filter(attended_hours__gt=0).exists()
    assert not ExamResult.objects.exists()
    assert not AuditEntry.objects.filter(action="brokers.examresult.recorded").exists()

    good = workbook([[first_id, "学员0", 48, today, 80], [second_id, "学员1", 30, "", ""]])
    client.force_login(officer)
    response = client.post(f"/brokers/courses/{course.pk}/import/", {"file": good})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Broker.Status.TRAINING_COMPLETED or first.exams.get().passed
    assert Enrollment.objects.get(broker=second).attended_hours == 30
    assert ExamResult.objects.get(broker=first).score == 80


def test_only_the_base_imports_and_a_bad_file_is_refused(client):
    base, officer = flow.base()
    course = flow.course(base, officer)
    client.force_login(UserFactory())
    assert (
        client.post(f"/brokers/courses/{course.pk}/import/", {"file": workbook([])}).status_code
        == 404
    )
    client.force_login(officer)
    page = client.post(
        f"/brokers/courses/{course.pk}/import/",
        {"file": SimpleUploadedFile("results.xlsx", b"not a workbook")},
        follow=True,
    )
    assert page.status_code == 200 and "xlsx".upper() in page.content.decode().upper()
    template = client.get("/brokers/courses/import-template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
