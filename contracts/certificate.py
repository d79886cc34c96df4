"""The registration certificate (技术合同登记证明) as a PDF, with an embedded CJK font.

The font comes from the system (Debian's fonts-noto-cjk, which `make` installs,
or fonts-wqy-zenhei), or from CJK_FONT_PATH. fpdf2 embeds the subset that the
certificate uses, so the PDF prints the same everywhere.
"""

from django.utils import timezone
from fpdf import FPDF

from contracts.models import Contract
from portal.core.money import yuan
from portal.core.pdf import cjk_font


def certificate_pdf(contract: Contract) -> bytes:
    path, index = cjk_font()
    pdf = FPDF(format="A4")
    pdf.set_title(f"技术合同登记证明 {contract.registration_number}")
    pdf.set_author(contract.market.name if contract.market else "")
    pdf.add_page()
    pdf.add_font("cjk", fname=path, collection_font_number=index)
    pdf.set_font("cjk", size=22)
    pdf.cell(0, 16, "技术合同登记证明", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.cell(
        0, 8, f"登记编号：{contract.registration_number}", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(6)
    rows = [
        ("合同名称", contract.title),
        (
            "合同类型",
            f"{contract.get_contract_type_display()}"
            + (f"（{contract.subtype}）" if contract.subtype else ""),
        ),
        ("买方（委托方/受让方）", f"{contract.buyer.name}（{contract.buyer.credit_code}）"),
        ("卖方（受托方/让与方）", f"{contract.seller.name}（{contract.seller.credit_code}）"),
        ("技术领域", contract.get_tech_field_display()),
        ("合同成交额", f"{yuan(contract.amount)} 元"),
        ("技术交易额", f"{yuan(contract.tech_transaction_amount)} 元"),
        ("签订日期", f"{contract.signed_on:%Y-%m-%d}"),
        ("有效期", f"{contract.valid_from:%Y-%m-%d} 至 {contract.valid_to:%Y-%m-%d}"),
        ("登记日期", f"{timezone.localtime(contract.registered_at):%Y-%m-%d}"),
        ("登记机构", contract.market.name if contract.market else ""),
    ]
    pdf.set_font("cjk", size=11)
    with pdf.table(col_widths=(45, 125), line_height=8, first_row_as_headings=False) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label)
            row.cell(value)
    pdf.ln(10)
    pdf.set_font("cjk", size=10)
    pdf.multi_cell(
        0,
        6,
        "经审查，上述合同符合《中华人民共和国民法典》关于技术合同的规定，"
        "予以认定登记。本证明可在湖北技术交易市场门户以登记编号查验。",
    )
    pdf.ln(8)
    pdf.cell(
        0,
        8,
        f"{contract.market.name if contract.market else ''}（登记专用）",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
