"""Uploaded files: the type decided by the content, names made harmless.

A file is accepted only when its bytes say it is one of the allowed types,
whatever its name or the browser's claim: PDF, DOCX, XLSX, PNG, JPEG. Office
files are ZIP archives; they are opened and checked for their own parts, for
decompression bombs, macros, executables and paths that climb out of the
archive. PDFs that carry JavaScript, launch actions or embedded files are
refused. Polyglots are refused: a PDF, PNG or JPEG must end where its format
ends (no archive or page appended), and an image must not carry markup or
script. A name with a path, control characters or direction overrides is
refused rather than silently cleaned: no browser sends one.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from portal.core.errors import RuleBroken

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

_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia)\b")
# Markup or server script inside an image: an HTML/PHP polyglot.
_MARKUP = re.compile(rb"<(script|html|body|iframe|svg|\?php)\b|javascript:", re.IGNORECASE)
ZIP_END = b"PK\x05\x06"  # a ZIP's end-of-central-directory record
PNG_END = b"IEND\xaeB`\x82"
# Parts an office document never needs: macros, programs, scripts.
_OFFICE_FORBIDDEN = re.compile(
    r"(vbaProject\.bin|\.(exe|dll|com|scr|bat|cmd|ps1|vbs|js|jar|msi|sh))$", re.IGNORECASE
)
# Names no browser sends: folders, control characters, bidirectional overrides.
_HOSTILE_NAME = re.compile(r"[\\/\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
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
        raise RuleBroken(_("The archive expands to far more than its size; refused."))
    if any(
        n.startswith("/") or ".." in n.split("/") or "\\" in n or _OFFICE_FORBIDDEN.search(n)
        for n in names
    ):
        raise RuleBroken(_("The document contains macros, programs or unsafe paths; refused."))
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
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpg"
    else:
        return None
    upload.seek(0)
    content = upload.read()
    if kind == "pdf" and _PDF_ACTIVE.search(content):
        raise RuleBroken(_("PDF files with scripts, actions or embedded files are refused."))
    if not _ends_as(kind, content) or ZIP_END in content[-65536:]:
        raise RuleBroken(_("The file has data hidden after its end; refused."))
    if kind != "pdf" and _MARKUP.search(content):
        raise RuleBroken(_("The image carries markup or script; refused."))
    return kind


def _ends_as(kind: str, content: bytes) -> bool:
    """Whether the file ends where its format says (nothing appended to it)."""
    if kind == "pdf":  # readers accept the %%EOF marker within the last 1 KB
        return b"%%EOF" in content[-1024:]
    if kind == "png":
        return content.endswith(PNG_END)
    return content.rstrip(b"\x00").endswith(b"\xff\xd9")  # JPEG, zero padding allowed


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
    if _HOSTILE_NAME.search(upload.name or ""):
        raise RuleBroken(
            _("%(name)s: file names with folders, control or direction characters are refused.")
            % {"name": label}
        )
    if upload.size > MAX_SIZE:
        raise RuleBroken(_("%(name)s is larger than 20 MB.") % {"name": label})
    if upload.size == 0:
        raise RuleBroken(_("%(name)s is empty.") % {"name": label})
    ext = sniff(upload)
    upload.seek(0)
    if ext is None or ext not in allowed:
        kinds = ", ".join(sorted(e.upper() for e in allowed))
        raise RuleBroken(
            _(
                "%(name)s is not an allowed file type (%(kinds)s); the type is read from "
                "the content, not from the name."
            )
            % {"name": label, "kinds": kinds}
        )
    return CheckedFile(upload, ext, MIME[ext], safe_name(upload.name, ext), upload.size)


def download(field, name: str, content_type: str):
    """A stored file as an attachment that no browser runs or sniffs."""
    from django.http import FileResponse

    response = FileResponse(
        field.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
