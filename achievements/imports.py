"""Bulk import of achievements from Excel: all rows or none.

Universities hold hundreds of achievements. They download the template, fill
one row per achievement and upload it; every row is checked with the same
rules as the form, and only when every row passes are they saved, as drafts
of the uploader's organisation, in one transaction.
"""

import itertools
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import load_workbook

from achievements.models import Achievement, ImportJob
from achievements.permissions import can_create
from achievements.services import achievement_submit
from portal.core.actions import show_on_form
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, TransitionNotAllowed, error_text
from portal.core.files import check_upload
from portal.core.forms import BootstrapFormMixin, ListField
from portal.core.reference import Industry, TechField
from portal.core.workflow import apply_transition
from portal.core.xlsx import XLSX, template_workbook
from portal.library.services import item_reindex

MAX_ROWS = 10_000
# The job writes its progress every so many rows.
PROGRESS_EVERY = 250

# (header, model field)
COLUMNS = [
    ("成果名称", "title"),
    ("成果简介", "summary"),
    ("详细描述", "description"),
    ("技术领域", "tech_field"),
    ("产业集群", "industries"),
    ("关键词", "keywords"),
    ("技术就绪水平", "trl"),
    ("成果完成人", "completers"),
    ("专利号", "patents"),
    ("转化方式", "transfer_modes"),
    ("定价方式", "pricing_mode"),
    ("挂牌价格（元）", "asking_price"),
]
HEADERS = [h for h, _f in COLUMNS]

# The template's example row starts with this mark; a row that does is never imported.
EXAMPLE_MARK = "【示例】"
EXAMPLE = [
    EXAMPLE_MARK + "石墨烯高导热散热膜制备技术",
    "一种面向5G基站与消费电子的石墨烯散热膜量产工艺。",
    "采用氧化石墨烯涂布—还原—压延工艺，导热系数≥1500 W/(m·K)……",
    "新材料及其应用",
    "新材料, 光芯屏端网",
    "石墨烯, 散热膜, 导热",
    6,
    "张三, 李四",
    "ZL202110123456.7",
    "转让, 许可",
    "协议定价",
    "",
]


def _by_label(choices) -> dict[str, str]:
    """Accept a value by its code or its Chinese name."""
    from django.utils import translation

    table = {}
    with translation.override("zh-hans"):
        for value, label in choices:
            table[str(value).lower()] = value
            table[str(label)] = value
    return table


def _notes() -> list[str]:
    from django.utils import translation

    with translation.override("zh-hans"):
        return [
            "每行一项科技成果，第一行为表头，请勿修改表头。第二行为示例（名称以【示例】开头），不会被导入。",
            "技术领域、定价方式可从下拉列表中选择；产业集群、转化方式可填多个，取值见“代码表”。",
            "技术领域（必填，填写名称或代码）："
            + "、".join(str(lb) for _v, lb in TechField.choices),
            "产业集群（可多选，逗号分隔）：" + "、".join(str(lb) for _v, lb in Industry.choices),
            "技术就绪水平：1–9 的整数。",
            "转化方式（必填，可多选）："
            + "、".join(str(lb) for _v, lb in Achievement.TransferMode.choices),
            "定价方式："
            + "、".join(str(lb) for _v, lb in Achievement.PricingMode.choices)
            + "；挂牌交易和拍卖须填写挂牌价格。",
            "专利号示例：ZL202110123456.7、CN112345678B，多个用逗号分隔。",
            f"一次最多导入 {MAX_ROWS} 行；任何一行有错误时，整个文件都不会导入。",
        ]


def template_bytes() -> bytes:
    """The template: headers, the marked example row, a drop-down list on each
    column of one coded value (the codes on a sheet of their own), the notes."""
    lists = {
        HEADERS.index("技术领域"): [str(label) for _v, label in TechField.choices],
        HEADERS.index("定价方式"): [str(label) for _v, label in Achievement.PricingMode.choices],
    }
    codes = {
        "产业集群": [str(label) for _v, label in Industry.choices],
        "转化方式": [str(label) for _v, label in Achievement.TransferMode.choices],
    }
    return template_workbook(
        HEADERS,
        EXAMPLE,
        _notes(),
        lists=lists,
        codes=codes,
        whole_numbers={HEADERS.index("技术就绪水平"): (1, 9)},
        rows=MAX_ROWS,
    )


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_row(values: list, tables: dict) -> tuple[dict, list[str], set[str]]:
    """The row's fields, its errors, and the fields those errors are about."""
    data, errors = {}, []
    bad: set[str] = set()
    split = ListField().to_python
    for (header, field), raw in zip(COLUMNS, values, strict=False):
        text = _cell_text(raw)
        if field in ("title", "summary", "description"):
            data[field] = text
        elif field in ("keywords", "completers", "patents"):
            data[field] = split(text)
        elif field in ("tech_field", "pricing_mode"):
            if not text and field == "pricing_mode":
                data[field] = Achievement.PricingMode.NEGOTIATED
                continue
            value = tables[field].get(text.lower()) or tables[field].get(text)
            if value is None:
                errors.append(_("%(col)s: unknown value “%(v)s”.") % {"col": header, "v": text})
                bad.add(field)
            data[field] = value or ""
        elif field in ("industries", "transfer_modes"):
            values_ = []
            for part in split(text):
                value = tables[field].get(part.lower()) or tables[field].get(part)
                if value is None:
                    errors.append(_("%(col)s: unknown value “%(v)s”.") % {"col": header, "v": part})
                    bad.add(field)
                else:
                    values_.append(value)
            data[field] = values_
        elif field == "trl":
            try:
                data[field] = int(text)
            except ValueError:
                errors.append(
                    _("%(col)s: “%(v)s” is not a whole number.") % {"col": header, "v": text}
                )
                bad.add(field)
                data[field] = None
        elif field == "asking_price":
            try:
                data[field] = Decimal(text.replace(",", "")) if text else None
            except InvalidOperation:
                errors.append(_("%(col)s: “%(v)s” is not a number.") % {"col": header, "v": text})
                bad.add(field)
                data[field] = None
    return data, errors, bad


def _open(upload, *, check_file: bool = True):
    if check_file:
        check_upload(upload, allowed=frozenset({"xlsx"}))
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValidationError(
            {"file": [_("The file cannot be read as an Excel workbook.")]}
        ) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell_text(v) for v in next(rows, [])]
    if header[: len(HEADERS)] != HEADERS:
        raise ValidationError(
            {
                "file": [
                    _("The header row differs from the template. Expected: %(h)s.")
                    % {"h": "、".join(HEADERS)}
                ]
            }
        )
    return sheet, rows


def achievements_import(
    *,
    by,
    upload,
    progress: Callable[[int, int], None] | None = None,
    check_file: bool = True,
    job: ImportJob | None = None,
) -> tuple[int, list[tuple[int, list[str]]]]:
    """Import every row or none. Returns (saved count, [(row number, errors), ...]).

    `progress(checked, saved)` is called every PROGRESS_EVERY rows;
    `check_file=False` for a file the upload checks passed already (a job's).
    """
    org = by.organization
    if not can_create(by):
        raise PermissionDenied
    _sheet, rows = _open(upload, check_file=check_file)
    tables = {
        "tech_field": _by_label(TechField.choices),
        "pricing_mode": _by_label(Achievement.PricingMode.choices),
        "industries": _by_label(Industry.choices),
        "transfer_modes": _by_label(Achievement.TransferMode.choices),
    }
    report, items = [], []
    for number, values in enumerate(rows, start=2):
        values = list(values)
        if not any(_cell_text(v) for v in values):
            continue
        if _cell_text(values[0]).startswith(EXAMPLE_MARK):
            continue  # the template's example
        if len(items) + len(report) >= MAX_ROWS:
            raise ValidationError({"file": [_("At most %(n)d rows per file.") % {"n": MAX_ROWS}]})
        data, errors, bad = _parse_row(values, tables)
        item = Achievement(
            **data,
            organization=org,
            created_by=by,
            status=Achievement.Status.DRAFT,
            import_job=job,
        )
        # Every error of the row at once: the fields that parsed are validated too.
        try:
            # The table's check constraints repeat the field validators (TRL 1–9, a
            # price ≥ 0); validating them again costs two queries a row, and the
            # database still enforces them on insert.
            item.full_clean(
                exclude=["search_vector", "created_by", "import_job", *bad],
                validate_constraints=False,
            )
        except ValidationError as exc:
            labels = {
                f: str(Achievement._meta.get_field(f).verbose_name)
                for f in exc.message_dict
                if f != "__all__"
            }
            for field, messages_ in exc.message_dict.items():
                errors.extend(
                    f"{labels.get(field, '')}：{m}" if field in labels else m for m in messages_
                )
        if errors:
            report.append((number, errors))
        else:
            items.append(item)
        checked = len(items) + len(report)
        if progress and checked % PROGRESS_EVERY == 0:
            progress(checked, 0)
    if report:
        return 0, report
    if not items:
        raise ValidationError({"file": [_("The file has no rows to import.")]})
    with transaction.atomic():
        created = Achievement.objects.bulk_create(items, batch_size=500)
        for n, item in enumerate(created, start=1):
            item_reindex(item)
            if progress and n % PROGRESS_EVERY == 0:
                progress(len(items), n)
        audit_log(
            action="achievements.achievement.imported",
            actor=by,
            target=org,
            data={"count": len(created), "ids": [created[0].pk, created[-1].pk]},
        )
    return len(created), []


# --- the import as a job -------------------------------------------------------------


def imports_visible_to(user):
    """The imports of the account's organisation (its members see them)."""
    if not getattr(user, "is_authenticated", False) or not user.organization_id:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(organization_id=user.organization_id)


@transaction.atomic
def import_start(*, by, upload) -> ImportJob:
    """Check the file is an Excel workbook of the template, keep it, and queue
    the import: the rows are checked and saved by a Celery job, whose
    progress and report the page shows."""
    if not can_create(by):
        raise PermissionDenied
    _sheet, rows = _open(upload)
    # Count the rows for the progress bar (a sheet's stored size may be missing).
    total = sum(1 for _row in itertools.islice(rows, MAX_ROWS + 1))
    upload.seek(0)
    job = ImportJob(
        organization=by.organization,
        created_by=by,
        file_name=upload.name[:150],
        total_rows=min(total, MAX_ROWS),
    )
    job.file.save("import.xlsx", upload, save=False)
    job.save()
    audit_log(
        action="achievements.importjob.queued",
        actor=by,
        target=job,
        to_status=job.status,
        data={"file": job.file_name},
    )
    from achievements.tasks import import_run  # a service enqueues its own task

    transaction.on_commit(lambda: import_run.delay(job.pk))
    return job


def import_run(*, job_id: int) -> str:
    """The job's work: claimed once, then every row checked and saved, or none."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:  # claimed once: a redelivered task finds it started
        apply_transition(job, "start", by=None)
    except TransitionNotAllowed:
        return "not claimed"

    def progress(checked: int, saved: int) -> None:
        if saved and job.status == ImportJob.Status.RUNNING:
            apply_transition(job, "save", by=None)
        ImportJob.objects.filter(pk=job_id).update(checked_rows=checked, saved_rows=saved)

    changes: dict = {"finished_at": timezone.now()}
    try:
        with job.file.open("rb") as fh:
            saved, report = achievements_import(
                by=job.created_by, upload=fh, progress=progress, check_file=False, job=job
            )
    except ValidationError as exc:
        action, changes["error"] = "refuse", " ".join(exc.messages)
    except PermissionDenied:
        action = "refuse"
        changes["error"] = _("The account may no longer import for its organisation.")
    except Exception as exc:  # the job records any failure; the page shows it
        action, changes["error"] = "fail", type(exc).__name__
    else:
        action = "refuse" if report else "finish"
        changes |= {
            "report": [[number, errors] for number, errors in report],
            "saved_rows": saved,
            "checked_rows": job.total_rows,
        }
    job = apply_transition(
        job,
        action,
        by=job.created_by,
        changes=changes,
        audit_data={"saved": changes.get("saved_rows", 0), "error": changes.get("error", "")},
    )
    return job.status


def import_submit_all(*, job: ImportJob, by) -> tuple[int, list[tuple[str, str]]]:
    """Submit for review every draft the import saved: (how many were submitted,
    [(title, why not), ...] for the others). Each goes through the one submit
    service, with its checks and its audit entry."""
    if not imports_visible_to(by).filter(pk=job.pk).exists():
        raise PermissionDenied
    submitted, refused = 0, []
    drafts = Achievement.objects.filter(import_job=job, status=Achievement.Status.DRAFT)
    for item in drafts.order_by("id"):
        try:
            with transaction.atomic():
                achievement_submit(achievement=item, by=by)
            submitted += 1
        except (ApplicationError, ValidationError, PermissionDenied) as exc:
            refused.append((item.title, error_text(exc)))
    return submitted, refused


@login_required
@require_POST
def import_submit_page(request, pk: int):
    job = get_object_or_404(imports_visible_to(request.user), pk=pk)
    submitted, refused = import_submit_all(job=job, by=request.user)
    if submitted:
        messages.success(
            request, _("%(n)d imported drafts submitted for review.") % {"n": submitted}
        )
    for title, why in refused[:20]:
        messages.error(request, f"{title}：{why}")
    return redirect("achievements:import_job", pk=job.pk)


@login_required
def import_page(request):
    if not can_create(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_start(by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            return redirect("achievements:import_job", pk=job.pk)
    recent = imports_visible_to(request.user)[:5]
    return render(request, "achievements/import.html", {"form": form, "recent": recent})


@login_required
def import_job(request, pk: int):
    job = get_object_or_404(imports_visible_to(request.user), pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"status": job.status, "progress": job.progress, "finished": job.status in job.FINISHED}
        )
    drafts_left = Achievement.objects.filter(
        import_job=job, status=Achievement.Status.DRAFT
    ).count()
    return render(request, "achievements/import_job.html", {"job": job, "drafts_left": drafts_left})


@login_required
def template_download(request):
    response = HttpResponse(template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''achievements-template.xlsx"
    return response
