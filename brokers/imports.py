"""A training base's Excel import of attendance and exam results for one
course: all rows or none, with a report per row (like the achievements
import). Each row goes through the same services as the course page."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from brokers import services
from brokers.models import Broker, Enrollment, TrainingCourse
from portal.core.errors import ApplicationError, NotPermitted, RuleBroken, error_text
from portal.core.files import check_upload
from portal.core.xlsx import template_workbook

MAX_ROWS = 2000
HEADERS = ["身份证号", "姓名", "已修学时", "考试日期", "考试成绩"]
EXAMPLE = ["【示例】42010219900101123X", "李明", 48, "2026-06-30", 82]
NOTES = [
    "每行一名已报名本课程的学员；身份证号用于核对学员，不会保存。",
    "已修学时不超过课程总学时；考试日期须在课程结束之后，考试日期和成绩可同时留空。",
    "全部行通过校验才会导入；任一行有误则一行也不导入，并逐行说明原因。",
]


class _Refused(Exception):
    """Some row failed: undo every row."""


def template_bytes() -> bytes:
    return template_workbook(HEADERS, EXAMPLE, NOTES, whole_numbers={2: (0, 1000), 4: (0, 100)})


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _rows(upload) -> list[tuple[int, list]]:
    check_upload(upload, allowed=frozenset({"xlsx"}))
    try:
        sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
    except Exception:  # a file that passed the type check but does not open
        raise RuleBroken({"file": [_("The workbook cannot be read.")]}) from None
    rows = []
    for n, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        values = list(values)[: len(HEADERS)] + [None] * len(HEADERS)
        if not any(_text(v) for v in values[: len(HEADERS)]) or _text(values[0]).startswith(
            "【示例】"
        ):
            continue
        rows.append((n, values))
        if len(rows) > MAX_ROWS:
            raise RuleBroken({"file": [_("At most %(n)d rows at a time.") % {"n": MAX_ROWS}]})
    return rows


def _date(value):
    import datetime

    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_text(value))
    except ValueError:
        return "bad"


def results_import(*, course: TrainingCourse, by, upload) -> list[dict]:
    """[{"row", "name", "ok", "message"}] for every row; saved only when all pass."""
    if not services.runs_base(by, course.base_id):
        raise NotPermitted(_("Only the training base can do this."))
    rows = _rows(upload)
    if not rows:
        raise RuleBroken({"file": [_("The workbook has no row to import.")]})
    report: list[dict] = []
    try:
        with transaction.atomic():
            for n, values in rows:
                id_number, name, hours, exam_on, score = values[:5]
                digest = services.id_digest(_text(id_number))[0]
                broker = Broker.objects.filter(id_hash=digest).first()
                try:
                    with transaction.atomic():
                        enrollment = Enrollment.objects.filter(course=course, broker=broker).first()
                        if broker is None or enrollment is None:
                            raise RuleBroken({"id_number": [services.not_enrolled_message()]})
                        hours_value = int(hours) if _text(hours).isdigit() else -1
                        services.attendance_record(enrollment=enrollment, by=by, hours=hours_value)
                        if _text(exam_on) or _text(score):
                            day = _date(exam_on)
                            services.exam_record(
                                course=course,
                                broker=broker,
                                by=by,
                                exam_on=day if day != "bad" else None,
                                score=int(score) if _text(score).isdigit() else -1,
                            )
                    report.append({"row": n, "name": _text(name), "ok": True, "message": ""})
                except (ApplicationError, ValidationError) as exc:
                    report.append(
                        {"row": n, "name": _text(name), "ok": False, "message": error_text(exc)}
                    )
            if any(not r["ok"] for r in report):
                raise _Refused
    except _Refused:
        pass
    return report
