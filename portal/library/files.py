"""Uploaded files: the type decided by the content, names made harmless.

A file is accepted only when its bytes say it is one of the allowed types,
whatever its name or the browser's claim: PDF, DOCX, XLSX, PNG, JPEG. Office
files are ZIP archives; they are opened and checked for their own parts and
for decompression bombs. PDFs that carry JavaScript, launch actions or
embedded files are refused.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from portal.errors import DomainError

MAX_SIZE = 20 * 1024 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 100

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
}
ALL_TYPES = frozenset(MIME)
PDF_ONLY = frozenset({"pdf"})
RECEIPT_TYPES = frozenset({"pdf", "png", "jpg"})

_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")
# Characters that are unsafe in file names on some system (Cf characters, such
# as right-to-left overrides, are removed separately in clean_name).
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    ext: str
    mime_type: str
    name: str
    size: int


def _zip_kind(upload: UploadedFile) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            unzipped = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if unzipped > MAX_UNZIPPED or unzipped / packed > MAX_RATIO:
        raise DomainError(_("The archive expands to far more than its size; refused."))
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def sniff(upload: UploadedFile) -> str | None:
    """The file's real type among the allowed ones, or None."""
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(b"%PDF-"):
        upload.seek(0)
        if _PDF_ACTIVE.search(upload.read()):
            raise DomainError(_("PDF files with scripts, actions or embedded files are refused."))
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return None


def clean_name(name: str) -> str:
    """The uploader's file name without paths, control or direction characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    return re.sub(r"\s+", " ", _UNSAFE_NAME.sub("", name)).strip(" .")


def safe_name(name: str, ext: str) -> str:
    """A clean name ending with the extension of the type the file really is."""
    name = clean_name(name)
    stem = (name.rsplit(".", 1)[0] if "." in name else name)[:100].strip(" .")
    return f"{stem or 'attachment'}.{ext}"


def check_upload(upload: UploadedFile, *, allowed: frozenset[str] = ALL_TYPES) -> CheckedFile:
    label = clean_name(upload.name)[:100] or "attachment"
    if upload.size > MAX_SIZE:
        raise DomainError(_("%(name)s is larger than 20 MB.") % {"name": label})
    if upload.size == 0:
        raise DomainError(_("%(name)s is empty.") % {"name": label})
    ext = sniff(upload)
    upload.seek(0)
    if ext is None or ext not in allowed:
        kinds = ", ".join(sorted(e.upper() for e in allowed))
        raise DomainError(
            _(
                "%(name)s is not an allowed file type (%(kinds)s); the type is read from "
                "the content, not from the name."
            )
            % {"name": label, "kinds": kinds}
        )
    return CheckedFile(upload, ext, MIME[ext], safe_name(upload.name, ext), upload.size)
