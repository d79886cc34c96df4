import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from portal.core import files
from portal.core.attachments import attachments_add, attachments_of
from portal.core.models import Attachment
from tests.factories import AchievementFactory, member_of
from tests.files import EXE, JPEG, PDF, PNG, office, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    return AchievementFactory()


@pytest.fixture
def owner(item):
    return member_of(item.organization)


def _stored(media):
    return sorted(p for p in media.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("name", "content", "ext"),
    [
        ("成果说明.pdf", PDF, "pdf"),
        ("图.png", PNG, "png"),
        ("照片.jpeg", JPEG, "jpg"),
        ("报告.docx", office("docx"), "docx"),
        ("数据.xlsx", office("xlsx"), "xlsx"),
        ("misnamed.png", PDF, "pdf"),
    ],
)
def test_allowed_types_are_recognised_by_their_content(item, owner, media, name, content, ext):
    [saved] = attachments_add(target=item, files=[upload(name, content)], by=owner)
    assert saved.name.endswith(f".{ext}")
    assert saved.mime_type == files.MIME[ext]
    stored = _stored(media)
    assert len(stored) == 1 and stored[0].read_bytes() == content
    assert name.rsplit(".", 1)[0] not in str(stored[0])  # random name on disk


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", EXE),  # an executable renamed .pdf
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),
        (
            "js.pdf",
            PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(x)>>"),
        ),
        ("plain.zip.docx", b"PK\x03\x04" + b"\x00" * 40),  # a broken zip
        ("empty.pdf", b""),
    ],
)
def test_hostile_or_unknown_files_are_refused_and_nothing_is_stored(
    item, owner, media, name, content
):
    with pytest.raises(ValidationError):
        attachments_add(target=item, files=[upload(name, content)], by=owner)
    assert not Attachment.objects.exists() and _stored(media) == []


def test_a_zip_bomb_disguised_as_docx_is_refused(item, owner, media):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (150 * 1024 * 1024))
    with pytest.raises(ValidationError):
        attachments_add(target=item, files=[upload("bomb.docx", buffer.getvalue())], by=owner)
    assert _stored(media) == []


def test_a_file_over_20_mb_is_refused(item, owner, media):
    big = upload("big.pdf", PDF + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        attachments_add(target=item, files=[big], by=owner)
    assert "20 MB" in str(exc.value)
    assert _stored(media) == []


def test_one_bad_file_in_a_batch_saves_none(item, owner, media):
    with pytest.raises(ValidationError):
        attachments_add(target=item, files=[upload("a.pdf", PDF), upload("b.pdf", EXE)], by=owner)
    assert not Attachment.objects.exists() and _stored(media) == []


def test_an_eleventh_attachment_is_refused(item, owner):
    attachments_add(target=item, files=[upload(f"{i}.pdf", PDF) for i in range(10)], by=owner)
    with pytest.raises(ValidationError) as exc:
        attachments_add(target=item, files=[upload("11.pdf", PDF)], by=owner)
    assert "10" in str(exc.value)
    assert attachments_of(item).count() == 10


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("noext", "noext.pdf"),
        ("  报告\u200b.pdf ", "报告.pdf"),  # a zero-width space: cleaned, not refused
        ("<script>.pdf", "script.pdf"),
        ("photo.exe", "photo.pdf"),
    ],
)
def test_names_are_sanitised(item, owner, name, expected):
    [saved] = attachments_add(target=item, files=[upload(name, PDF)], by=owner)
    assert saved.name == expected


def test_deleting_an_item_leaves_no_orphan_file(
    item, owner, media, django_capture_on_commit_callbacks
):
    attachments_add(target=item, files=[upload("a.pdf", PDF), upload("b.png", PNG)], by=owner)
    assert len(_stored(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert not Attachment.objects.exists() and _stored(media) == []


def test_download_checks_visibility_and_sends_safe_headers(client, item, owner):
    [saved] = attachments_add(target=item, files=[upload("说明.pdf", PDF)], by=owner)
    url = f"/attachments/{saved.pk}/"
    assert client.get(url).status_code == 404  # a draft: anonymous may not see it
    client.force_login(member_of(AchievementFactory().organization))
    assert client.get(url).status_code == 404  # nor may another organisation
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    client.logout()
    type(item).objects.filter(pk=item.pk).update(status="published")
    assert client.get(url).status_code == 200  # published: anyone
