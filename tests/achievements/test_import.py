import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from achievements.imports import (
    EXAMPLE_MARK,
    HEADERS,
    achievements_import,
    import_submit_all,
    template_bytes,
)
from achievements.models import Achievement, ImportJob
from tests.factories import OrganizationFactory, member_of
from tests.files import upload

pytestmark = pytest.mark.django_db

GOOD = [
    "石墨烯散热膜",
    "简介一",
    "描述",
    "新材料及其应用",
    "新材料, 光芯屏端网",
    "石墨烯, 散热",
    6,
    "张三",
    "ZL202110123456.7",
    "转让, 许可",
    "协议定价",
    "",
]


def workbook(rows, headers=HEADERS):
    wb = Workbook()
    sheet = wb.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return upload("成果.xlsx", buffer.getvalue())


@pytest.fixture
def officer():
    return member_of(OrganizationFactory(kind="university"))


def test_the_template_has_the_headers_and_a_valid_example(officer):
    wb = load_workbook(io.BytesIO(template_bytes()))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    # The example row is marked, and never imported …
    assert str(rows[1][0]).startswith(EXAMPLE_MARK)
    with pytest.raises(ValidationError):
        achievements_import(by=officer, upload=workbook([rows[1]]))
    # … though it is valid: without its mark it imports.
    unmarked = [str(rows[1][0]).removeprefix(EXAMPLE_MARK), *rows[1][1:]]
    saved, report = achievements_import(by=officer, upload=workbook([rows[1], unmarked]))
    assert (saved, report) == (1, [])
    assert "技术领域" in " ".join(str(r[0]) for r in wb["说明"].iter_rows(values_only=True))


def test_good_rows_are_saved_as_searchable_drafts_of_the_uploader(officer):
    second = [
        "锂离子电池正极材料",
        "简介二",
        "",
        "energy",
        "nev",
        "正极",
        "7",
        "",
        "",
        "license",
        "listed",
        "120000",
    ]
    saved, report = achievements_import(by=officer, upload=workbook([GOOD, second]))
    assert (saved, report) == (2, [])
    items = Achievement.objects.order_by("id")
    assert [a.status for a in items] == ["draft", "draft"]
    assert {a.organization for a in items} == {officer.organization}
    assert items[1].pricing_mode == "listed" and str(items[1].asking_price) == "120000.00"
    assert items[0].transfer_modes == ["transfer", "license"]
    assert Achievement.objects.filter(search_vector="石墨烯").count() == 1


def test_one_bad_row_saves_nothing_and_says_which_rows_and_why(officer):
    bad_trl = [*GOOD[:6], "十", *GOOD[7:]]
    bad_field = [GOOD[0], GOOD[1], GOOD[2], "炼金术", *GOOD[4:]]
    bad_patent = [*GOOD[:8], "ZL123", *GOOD[9:]]
    listed_without_price = [*GOOD[:10], "挂牌交易", ""]
    saved, report = achievements_import(
        by=officer, upload=workbook([GOOD, bad_trl, bad_field, bad_patent, listed_without_price])
    )
    assert saved == 0
    assert [number for number, _errors in report] == [3, 4, 5, 6]
    text = {number: " ".join(errors) for number, errors in report}
    assert "技术就绪水平" in text[3] and "十" in text[3]
    assert "炼金术" in text[4]
    assert "ZL123" in text[5]
    assert "挂牌价格" in text[6] or "价格" in text[6]
    assert not Achievement.objects.exists()


def test_a_wrong_header_is_refused(officer):
    with pytest.raises(ValidationError) as exc:
        achievements_import(by=officer, upload=workbook([GOOD], headers=["名称", *HEADERS[1:]]))
    assert "表头" in str(exc.value)
    assert not Achievement.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused(officer):
    with pytest.raises(ValidationError):
        achievements_import(by=officer, upload=upload("a.xlsx", b"MZ\x90\x00not excel"))


def test_only_publishers_may_import():
    with pytest.raises(PermissionDenied):
        achievements_import(
            by=member_of(OrganizationFactory(kind="agency")), upload=workbook([GOOD])
        )


def test_the_import_runs_as_a_job_whose_page_shows_the_report(
    client, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    bad = [*GOOD[:6], "abc", *GOOD[7:]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/achievements/import/", {"file": workbook([GOOD, bad])})
    assert response.status_code == 302  # to the job's page
    job = ImportJob.objects.get()
    assert response["Location"] == f"/achievements/import/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-report"' in page and "abc" in page
    assert client.get(f"/achievements/import/{job.pk}/?format=json").json() == {
        "status": "refused",
        "progress": 100,
        "finished": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/achievements/import/", {"file": workbook([GOOD])})
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-done"' in page and Achievement.objects.count() == 1
    # Another organisation's member sees neither job.
    client.force_login(member_of(OrganizationFactory(kind="university")))
    assert client.get(f"/achievements/import/{job.pk}/").status_code == 404
    template = client.get("/achievements/import/template.xlsx")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_file_that_is_not_the_template_is_refused_on_the_form_at_once(client, officer):
    client.force_login(officer)
    response = client.post(
        "/achievements/import/", {"file": workbook([GOOD], headers=["名称", *HEADERS[1:]])}
    )
    assert response.status_code == 200 and "表头" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_numbers_the_table_constraints_guard_are_reported_per_row(officer):
    # The import skips Django's constraint queries; the field validators must catch these.
    trl_12 = [*GOOD[:6], 12, *GOOD[7:]]
    negative_price = [*GOOD[:10], "挂牌交易", "-5"]
    saved, report = achievements_import(by=officer, upload=workbook([trl_12, negative_price]))
    assert saved == 0 and [number for number, _errors in report] == [2, 3]
    text = {number: " ".join(errors) for number, errors in report}
    assert "技术就绪水平" in text[2] and "挂牌价格" in text[3]
    assert not Achievement.objects.exists()


def test_every_error_of_a_row_is_reported_at_once(officer):
    row = ["", GOOD[1], GOOD[2], "炼金术", *GOOD[4:8], "ZL123", *GOOD[9:]]
    saved, report = achievements_import(by=officer, upload=workbook([row]))
    assert saved == 0
    ((number, errors),) = report
    text = " ".join(errors)
    assert number == 2 and "炼金术" in text and "ZL123" in text and "名称" in text


def test_the_template_offers_drop_downs_for_coded_columns():
    wb = load_workbook(io.BytesIO(template_bytes()))
    sheet = wb["导入"]
    ranges = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    field_column = get_column_letter(HEADERS.index("技术领域") + 1)
    lists = [v for r, v in ranges.items() if r.startswith(field_column) and v.type == "list"]
    assert lists and "代码表" in lists[0].formula1
    codes = [row[0] for row in wb["代码表"].iter_rows(values_only=True)]
    assert "新材料及其应用" in codes
    assert any(v.type == "whole" for v in ranges.values())


def test_imported_drafts_are_submitted_all_at_once(officer):
    job = ImportJob.objects.create(
        organization=officer.organization, created_by=officer, file_name="x.xlsx"
    )
    saved, _report = achievements_import(
        by=officer, upload=workbook([GOOD, [f"{GOOD[0]}二", *GOOD[1:]]]), job=job
    )
    assert saved == 2
    stranger = member_of(OrganizationFactory(kind="university"))
    with pytest.raises(PermissionDenied):
        import_submit_all(job=job, by=stranger)
    submitted, refused = import_submit_all(job=job, by=officer)
    assert (submitted, refused) == (2, [])
    assert set(Achievement.objects.values_list("status", flat=True)) == {"pending"}
