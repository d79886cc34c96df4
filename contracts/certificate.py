"""The registration certificate (技术合同登记证明) as a PDF, with an embedded CJK font.

The font comes from the system (Debian's fonts-noto-cjk, which `make` installs,
or fonts-wqy-zenhei), or from CJK_FONT_PATH. fpdf2 embeds the subset that the
certificate uses, so the PDF prints the same everywhere.
"""

from django.utils import timezone

from contracts.models import Contract
from portal.core.money import yuan
from portal.core.pdf import certificate, verify_url


def certificate_pdf(contract: Contract) -> bytes:
    office = contract.market.name if contract.market else ""
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
        ("登记机构", office),
    ]
    if contract.pricing_method:
        rows.append(("定价方式", contract.get_pricing_method_display()))
    return certificate(
        title="技术合同登记证明",
        number=contract.registration_number,
        rows=rows,
        text="经审查，上述合同符合《中华人民共和国民法典》关于技术合同的规定，"
        "予以认定登记。本证明可在湖北技术交易市场门户以登记编号查验。",
        issuer=f"{office}（登记专用）",
        number_label="登记编号",
        verify_url=verify_url(contract.registration_number),
    )
