"""Excel in and out for the libraries."""

import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell that begins with one of these is a formula to a spreadsheet (or to
# one that re-imports a CSV of it): users' text is never run as one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(worksheet, value):
    """The value as a cell; text that a spreadsheet would run as a formula
    becomes a plain text cell (quote-prefixed, shown as typed)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def xlsx_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence], sheet: str = "Sheet1"
) -> HttpResponse:
    """A workbook streamed in write-only mode, so a long list does not fill memory."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append([_safe(worksheet, h) for h in headers])
    for row in rows:
        worksheet.append([_safe(worksheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def template_workbook(headers: Sequence[str], example: Sequence, notes: Sequence[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "导入"
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(list(example))
    for i, header in enumerate(headers):
        sheet.column_dimensions[chr(ord("A") + i)].width = max(12, len(header) * 2 + 4)
    help_sheet = workbook.create_sheet("说明")
    for note in notes:
        help_sheet.append([note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)
