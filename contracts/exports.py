"""The finance department's sheet of approved applications."""

from contracts.models import SubsidyApplication, SubsidyProgram
from portal.core.xlsx import xlsx_response

HEADERS = [
    "申请编号",
    "企业名称",
    "统一社会信用代码",
    "所属市场",
    "合同登记编号",
    "符合条件的实付金额（元）",
    "核定补助金额（元）",
    "状态",
    "拨付凭证号",
    "拨付日期",
    "批准时间",
]


def approved_applications(program: SubsidyProgram, visible):
    """The approved and disbursed applications of `visible` (the asker's
    selector: city staff export their market's, central staff every market's)."""
    applications = (
        visible.filter(
            program=program,
            status__in=[SubsidyApplication.Status.APPROVED, SubsidyApplication.Status.DISBURSED],
        )
        .select_related("organization__market")
        .prefetch_related("lines__contract")
        .order_by("organization__name", "id")
    )

    def rows():
        for a in applications.iterator(chunk_size=2000):
            numbers = sorted({line.contract.registration_number or "" for line in a.lines.all()})
            yield [
                a.pk,
                a.organization.name,
                a.organization.credit_code,
                a.organization.market.name,
                "、".join(numbers),
                a.eligible_paid_amount,
                a.granted_amount,
                a.get_status_display(),
                a.voucher,
                a.paid_on.strftime("%Y-%m-%d") if a.paid_on else "",
                a.approved_at.strftime("%Y-%m-%d %H:%M") if a.approved_at else "",
            ]

    return xlsx_response(
        filename=f"subsidies-{program.year}-approved.xlsx",
        headers=HEADERS,
        rows=rows(),
        sheet="批准名单",
    )
