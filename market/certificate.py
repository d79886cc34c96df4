"""The transaction certificate (交易凭证) of a market deal, as a PDF: the basis
for the change of ownership at CNIPA (MARKET.md §1.5, settled)."""

from django.utils import timezone

from market.models import Listing
from portal.core.money import yuan
from portal.core.pdf import certificate, verify_url


def certificate_pdf(subject) -> bytes:
    contract = subject.contract
    seller = subject.holder if isinstance(subject, Listing) else subject.seller
    lot = getattr(subject, "auction", None) if isinstance(subject, Listing) else subject
    price = subject.deal_price if isinstance(subject, Listing) else subject.hammer_price
    rows = [
        (
            "交易编号",
            subject.code + (f" / {lot.code}" if lot is not None and lot != subject else ""),
        ),
        ("科技成果", subject.achievement.title),
        ("交易方式", subject.get_trade_mode_display()),
        ("定价方式", contract.get_pricing_method_display() if contract else ""),
        ("转让方", f"{seller.name}（{seller.credit_code}）"),
        ("受让方", f"{contract.buyer.name}（{contract.buyer.credit_code}）" if contract else ""),
        ("成交价格", f"{yuan(price)} 元" if price is not None else ""),
        ("技术合同登记编号", contract.registration_number if contract else ""),
        (
            "出具日期",
            f"{timezone.localtime(subject.certificate_issued_at):%Y-%m-%d}"
            if subject.certificate_issued_at
            else "",
        ),
    ]
    return certificate(
        title="技术交易凭证",
        number=subject.certificate_number,
        rows=rows,
        text="上述科技成果经湖北技术交易市场公开挂牌或拍卖形成交易价格，成交结果已经公示，"
        "技术合同已认定登记。依据省有关规定，以此方式定价的职务科技成果免予资产评估。"
        "本凭证可作为办理权属变更的依据。",
        issuer="湖北技术交易市场（交易专用）",
        verify_url=verify_url(subject.certificate_number),
    )
