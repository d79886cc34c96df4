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


def template_workbook(
    headers: Sequence[str],
    example: Sequence,
    notes: Sequence[str],
    *,
    lists: dict[int, Sequence[str]] | None = None,
    codes: dict[str, Sequence[str]] | None = None,
    whole_numbers: dict[int, tuple[int, int]] | None = None,
    rows: int = 10_000,
) -> bytes:
    """An import template: bold headers, the example row (greyed, italic), a
    drop-down on each column of `lists` (column index → allowed values, kept on
    the sheet 代码表), whole-number checks, the other codes on 代码表, the notes."""
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "导入"
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(list(example))
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    for i, header in enumerate(headers):
        sheet.column_dimensions[get_column_letter(i + 1)].width = max(12, len(header) * 2 + 4)
    table = workbook.create_sheet("代码表")
    column = 0
    for index, values in (lists or {}).items():
        column += 1
        letter = get_column_letter(column)
        table.cell(row=1, column=column, value=headers[index]).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            table.cell(row=row, column=column, value=value)
        check = DataValidation(
            type="list",
            formula1=f"'代码表'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            error="请从下拉列表中选择。",
        )
        target = get_column_letter(index + 1)
        check.add(f"{target}3:{target}{rows + 2}")
        sheet.add_data_validation(check)
    for name, values in (codes or {}).items():
        column += 1
        table.cell(row=1, column=column, value=name).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            table.cell(row=row, column=column, value=value)
    for index, (low, high) in (whole_numbers or {}).items():
        check = DataValidation(
            type="whole",
            operator="between",
            formula1=str(low),
            formula2=str(high),
            allow_blank=True,
            showErrorMessage=True,
            error=f"请填写 {low}–{high} 的整数。",
        )
        target = get_column_letter(index + 1)
        check.add(f"{target}3:{target}{rows + 2}")
        sheet.add_data_validation(check)
    help_sheet = workbook.create_sheet("说明")
    for note in notes:
        help_sheet.append([note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)
